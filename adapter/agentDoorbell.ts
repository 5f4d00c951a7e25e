/**
 * The agent's doorbell (python-agent `interval_doorbell.py`, docs/agent-protocol.md): a second
 * connection to the agent, on which the adapter rings just before it sends a request while the
 * program runs. The ring's few bytes are written by the agent's kernel straight into the
 * program's GIL switch interval, so the agent's reader takes the request without waiting 5 ms
 * per busy program thread for the GIL (docs/agent-protocol.md, "The doorbell"). The adapter only relays the
 * bytes the agent chose; what they mean is the agent's business.
 */
import { connect, type Socket } from 'node:net';
import type { AgentDoorbellOffer } from '../common/protocol';
import { log } from './log';

/** The agent's first line must come within this time. */
export const DOORBELL_REPLY_TIMEOUT_MS = 5_000;
const HEX = /^([0-9a-f]{2})+$/;

export class AgentDoorbell {
  private constructor(
    private readonly socket: Socket,
    private readonly ringBytes: Buffer,
  ) {}

  /**
   * Connects to the offer at `host`. The agent speaks first, with the offer's `reply`; only
   * then is the token sent, so a connection that reaches something else (a tunnel that forwards
   * only the main port, another network namespace) is sent nothing. Undefined when there is no
   * doorbell to use (said in the adapter's log).
   */
  static open(host: string, offer: AgentDoorbellOffer): Promise<AgentDoorbell | undefined> {
    const { port, token, reply, ring } = offer;
    if (offer.unavailable !== undefined || port === undefined || !token || !reply || !ring || !HEX.test(ring)) {
      log(`agent doorbell unavailable: ${offer.unavailable ?? 'the offer was incomplete'}`);
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      let received = Buffer.alloc(0);
      let settled = false;
      const giveUp = (why: string) => {
        if (settled) return;
        settled = true;
        log(`agent doorbell not used: ${why}`);
        clearTimeout(deadline);
        socket.destroy();
        resolve(undefined);
      };
      const deadline = setTimeout(() => giveUp(`no reply within ${DOORBELL_REPLY_TIMEOUT_MS} ms`), DOORBELL_REPLY_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\n');
        if (end < 0) {
          if (received.length > reply.length + 1) giveUp('what answered is not the agent');
          return;
        }
        socket.off('data', onData);
        clearTimeout(deadline);
        if (received.subarray(0, end).toString('latin1') !== reply || received.length !== end + 1) {
          giveUp('what answered is not the agent');
          return;
        }
        settled = true;
        socket.write(token + '\n');
        resolve(new AgentDoorbell(socket, Buffer.from(ring, 'hex')));
      };
      socket.on('data', onData);
      socket.on('error', (error) => giveUp(error.message));
      socket.on('close', () => giveUp('the doorbell closed'));
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
