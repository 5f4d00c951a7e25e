/**
 * The adapter's side of the agent wire protocol (docs/agent-protocol.md): a loopback
 * listener that accepts exactly one connection presenting the one-time token, then
 * newline-delimited JSON requests with per-request timeouts, responses and events.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { AGENT_PROTOCOL_VERSION, type AgentHello, type AgentResponse } from '../common/protocol';
import { AgentDoorbell } from './agentDoorbell';
import type { AgentAnswer, AgentArguments, AgentCommand, AgentEvent } from './agentMessages';
import { LineReader } from './lineReader';
import { log } from './log';

export type { AgentAnswer, AgentEvent, AgentHello, AgentResponse };

/** The agent's hello names a protocol version this adapter does not speak. */
export class AgentProtocolError extends Error {
  constructor(readonly agentVersion: unknown) {
    super(
      `The Python agent speaks protocol version ${JSON.stringify(agentVersion)} but this adapter speaks version ` +
        `${AGENT_PROTOCOL_VERSION}: the python-agent folder and the adapter come from different versions of Dapper. ` +
        'Use the python-agent folder that ships with this adapter.',
    );
  }
}

/** Raised when the agent does not answer in time; the session stays alive. */
export class AgentTimeoutError extends Error {}
/** Raised when the connection to the agent is gone (the program exited or crashed). */
export class AgentGoneError extends Error {}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** A connection must present its hello within this time (the agent sends it at once)... */
export const HELLO_TIMEOUT_MS = 5_000;
/** ...in one line of at most this many bytes (a real hello is about 300). */
export const HELLO_MAX_BYTES = 16 * 1024;
export const EVALUATE_TIMEOUT_MS = 60_000;

/** Test hook: `DAPPER_REQUEST_TIMEOUT_MS` shortens every agent request timeout. */
export function requestTimeoutFor(command: string): number {
  const override = Number(process.env.DAPPER_REQUEST_TIMEOUT_MS);
  if (Number.isFinite(override) && override > 0) return override;
  return command === 'evaluate' ? EVALUATE_TIMEOUT_MS : DEFAULT_REQUEST_TIMEOUT_MS;
}

function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export { LineReader } from './lineReader';

interface PendingRequest {
  readonly command: string;
  readonly resolve: (response: AgentResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Rewrites messages on their way to and from the agent (attach with pathMappings: client
 * paths ↔ program paths). Both directions get the message's own copy to change.
 */
export interface AgentMessageTranslator {
  toAgent(command: string, args: unknown): unknown;
  fromAgent<T extends AgentResponse | AgentEvent>(message: T): T;
}

/** How a request is sent: `whileRunning` when the program runs (the doorbell is rung first). */
export interface SendOptions {
  readonly whileRunning?: boolean;
}

/** One connected, authenticated agent. Emits `event` (AgentEvent) and `close`. */
export class AgentChannel extends EventEmitter {
  /** Set once, right after connecting, by attach with pathMappings. */
  translator: AgentMessageTranslator | undefined;
  private seq = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private closed = false;
  /** Opened after the first request sent while the program runs (agentDoorbell.ts). */
  private doorbell: AgentDoorbell | undefined;
  private doorbellAsked = false;

  constructor(private readonly socket: Socket, readonly hello: AgentHello, reader: (onLine: (line: string) => void) => void) {
    super();
    reader((line) => this.handleLine(line));
    socket.on('close', () => this.handleClose());
    socket.on('error', (error) => log(`agent socket error: ${error.message}`));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a command the agent declares (common/protocol/agent.schema.json); resolves with its answer. */
  request<C extends AgentCommand>(command: C, args: AgentArguments<C>, timeoutMs?: number, options: SendOptions = {}): Promise<AgentAnswer<C>> {
    return this.send(command, args, timeoutMs, options) as Promise<AgentAnswer<C>>;
  }

  /** Sends a client's request on unchanged (the agent answers unknown commands with an error). */
  forward(command: string, args: unknown, timeoutMs?: number, options: SendOptions = {}): Promise<AgentResponse> {
    return this.send(command, args, timeoutMs, options);
  }

  private send(command: string, args: unknown, timeoutMs = requestTimeoutFor(command), options: SendOptions = {}): Promise<AgentResponse> {
    if (this.closed) return Promise.reject(new AgentGoneError('The program is no longer running.'));
    const seq = this.seq++;
    return new Promise<AgentResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(
          new AgentTimeoutError(
            `The debuggee did not answer '${command}' within ${Math.round(timeoutMs / 1000)} s; the session is still running.`,
          ),
        );
      }, timeoutMs);
      this.pending.set(seq, { command, resolve, reject, timer });
      const payload = this.translator ? this.translator.toAgent(command, args ?? {}) : args ?? {};
      // Rung first, so the program's threads hand the GIL over quickly when the request lands.
      const rang = options.whileRunning === true && this.doorbell?.ring() === true;
      const message = rang ? { type: 'request', seq, command, arguments: payload, rang } : { type: 'request', seq, command, arguments: payload };
      // One write per message, so a message never waits behind Nagle or a partial write.
      this.socket.write(JSON.stringify(message) + '\n');
      log(`-> agent ${command} #${seq}${rang ? ' (rang)' : ''}`);
      if (options.whileRunning === true && !this.doorbellAsked) void this.openDoorbell();
    });
  }

  /** Asks the agent for its doorbell once; without one, requests are sent as before. */
  private async openDoorbell(): Promise<void> {
    this.doorbellAsked = true;
    const host = this.socket.remoteAddress;
    let answer: AgentAnswer<'openDoorbell'>;
    try {
      answer = await this.request('openDoorbell', {});
    } catch (error) {
      log(`agent doorbell not opened: ${(error as Error).message}`);
      return;
    }
    if (!answer.success) {
      log(`agent doorbell not opened: ${answer.message}`);
      return;
    }
    if (host === undefined) return;
    const doorbell = await AgentDoorbell.open(host, answer.body);
    if (this.closed) doorbell?.close();
    else this.doorbell = doorbell;
  }

  /** Stops reading from the agent until resume(); used when the client cannot keep up. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }

  private handleLine(line: string): void {
    let message: AgentResponse | AgentEvent;
    try {
      message = JSON.parse(line);
    } catch {
      log(`agent sent a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if (this.translator && (message.type === 'response' || message.type === 'event')) message = this.translator.fromAgent(message);
    if (message.type === 'response') {
      const waiting = this.pending.get(message.request_seq);
      if (!waiting) return; // already timed out
      this.pending.delete(message.request_seq);
      clearTimeout(waiting.timer);
      log(`<- agent ${message.command} #${message.request_seq} ${message.success ? 'ok' : 'failed: ' + message.message}`);
      waiting.resolve(message);
    } else if (message.type === 'event') {
      this.emit('event', message);
    }
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.doorbell?.close();
    for (const [, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new AgentGoneError(`The program exited before answering '${waiting.command}'.`));
    }
    this.pending.clear();
    this.emit('close');
  }
}

/**
 * Listens on 127.0.0.1 (any free port) for the one agent of this session. Connections
 * whose first line is not a `hello` with the token are closed; the first good one wins
 * and the listener stops accepting.
 */
export class AgentListener {
  readonly token = randomBytes(16).toString('hex');
  private readonly server: Server;
  private readonly connected: Promise<AgentChannel>;
  private resolveConnected!: (channel: AgentChannel) => void;
  private rejectConnected!: (error: Error) => void;

  private constructor() {
    this.connected = new Promise((resolve, reject) => {
      this.resolveConnected = resolve;
      this.rejectConnected = reject;
    });
    this.connected.catch(() => undefined); // reported to whoever waits for the agent
    this.server = createServer((socket) => this.handleConnection(socket));
  }

  static async open(): Promise<AgentListener> {
    const listener = new AgentListener();
    await new Promise<void>((resolve, reject) => {
      listener.server.once('error', reject);
      listener.server.listen(0, '127.0.0.1', () => resolve());
    });
    return listener;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('agent listener is not listening');
    return address.port;
  }

  /**
   * Resolves when an authenticated agent has said hello; rejects when it speaks another
   * version of the protocol (docs/agent-protocol.md).
   */
  waitForAgent(): Promise<AgentChannel> {
    return this.connected;
  }

  close(): void {
    this.server.close();
  }

  /**
   * Until it has said hello, a connection is a stranger: it gets HELLO_TIMEOUT_MS and one
   * line of HELLO_MAX_BYTES, then it is dropped, so a client that sends bytes without a
   * newline (or nothing at all) costs neither memory nor time.
   */
  private handleConnection(socket: Socket): void {
    socket.setNoDelay(true);
    let channelLine: ((line: string) => void) | undefined;
    const drop = (reason: string) => {
      log(`dropped an agent connection: ${reason}`);
      socket.destroy();
    };
    const helloDeadline = setTimeout(() => drop(`no hello within ${HELLO_TIMEOUT_MS} ms`), HELLO_TIMEOUT_MS);
    const onLine = (line: string) => {
      if (socket.destroyed) return;
      if (channelLine) {
        channelLine(line);
        return;
      }
      clearTimeout(helloDeadline);
      let hello: AgentHello | undefined;
      try {
        hello = JSON.parse(line);
      } catch {
        hello = undefined;
      }
      const refusal = hello as unknown as { type?: string; token?: unknown; message?: string } | undefined;
      if (refusal?.type === 'refused' && tokensMatch(this.token, refusal.token)) {
        // An attached program's agent that cannot take this debugger (another one is attached).
        socket.destroy();
        this.rejectConnected(new Error(refusal.message ?? 'The program refused the debugger.'));
        return;
      }
      if (!hello || hello.type !== 'hello' || !tokensMatch(this.token, hello.token)) {
        drop('no valid hello/token');
        return;
      }
      // Exactly one agent per session: stop listening once it is here.
      this.server.close();
      if (hello.protocol !== AGENT_PROTOCOL_VERSION) {
        socket.destroy();
        this.rejectConnected(new AgentProtocolError(hello.protocol));
        return;
      }
      // The agent's own messages (large variable values, Apply Changes results) are not limited.
      reader.maxLineBytes = Number.POSITIVE_INFINITY;
      const channel = new AgentChannel(socket, hello, (handler) => (channelLine = handler));
      log(`agent connected: pid ${hello.pid}, Python ${hello.python?.version}`);
      this.resolveConnected(channel);
    };
    const reader = new LineReader(onLine, HELLO_MAX_BYTES, (length) => drop(`its first line passed ${length} bytes without a newline`));
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => clearTimeout(helloDeadline));
  }
}
