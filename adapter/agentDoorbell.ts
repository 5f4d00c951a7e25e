/**
 * The agent's doorbell (python-agent `interval_doorbell.py`, docs/agent-protocol.md): a second
 * connection to the agent, on which the adapter rings just before it sends a request while the
 * program runs. The ring's few bytes are written by the agent's kernel straight into the
 * program's GIL switch interval, so the agent's reader takes the request about 0.1 ms per busy
 * program thread after it arrives instead of 5 ms per thread. The adapter only relays the
 * bytes the agent chose; what they mean is the agent's business.
 */
import { connect, type Socket } from 'node:net';
import { log } from './log';

/** `openDoorbell`'s answer: where to connect and what to send, or why there is no doorbell. */
export interface DoorbellOffer {
  readonly port?: number;
  readonly token?: string;
  readonly ring?: string;
  readonly unavailable?: string;
}

export class AgentDoorbell {
  private constructor(
    private readonly socket: Socket,
    private readonly ringBytes: Buffer,
  ) {}

  /** Connects to the offer at `host` and presents its token; undefined when there is nothing to connect to. */
  static open(host: string, offer: DoorbellOffer): Promise<AgentDoorbell | undefined> {
    if (offer.unavailable !== undefined || offer.port === undefined || !offer.token || !offer.ring || !/^([0-9a-f]{2})+$/.test(offer.ring)) {
      log(`agent doorbell unavailable: ${offer.unavailable ?? 'the offer was incomplete'}`);
      return Promise.resolve(undefined);
    }
    const ringBytes = Buffer.from(offer.ring, 'hex');
    const token = offer.token;
    return new Promise((resolve) => {
      const socket = connect({ host, port: offer.port as number });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.write(token + '\n');
        resolve(new AgentDoorbell(socket, ringBytes));
      });
      socket.on('error', (error) => {
        log(`agent doorbell: ${error.message}`);
        socket.destroy();
        resolve(undefined);
      });
    });
  }

  /** Rings once; false when the doorbell is gone (the request is then sent without it). */
  ring(): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(this.ringBytes);
    return true;
  }

  close(): void {
    this.socket.destroy();
  }
}
