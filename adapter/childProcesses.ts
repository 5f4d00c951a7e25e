/**
 * Child processes (launch argument `subProcess`): the listener every Python child of the
 * program connects to, its announcement to the client with the `startDebugging` reverse
 * request, and the hand-over of the child's connection to the session that attaches with
 * the configuration from that request — in this adapter process or another one, as an
 * editor may start a new adapter per session (docs/protocol.md, "Child processes").
 *
 * A child presents the listener's token in its hello. The session that attaches presents a
 * one-time ticket instead, and from then on the bytes pass through unchanged. A child nobody
 * attaches to within CHILD_ATTACH_TIMEOUT_MS loses its connection and runs without the
 * debugger; it never waits for ever.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CHILD_ATTACH_KEY, type ChildAttachArguments, type ChildProcessTicket } from '../common/childProcesses';
import type { PathMapping } from '../common/launchConfig';
import { AGENT_PROTOCOL_VERSION } from '../common/protocol';
import { AgentChannel, AgentProtocolError, LineReader, type AgentHello } from './agentChannel';
import { log } from './log';

/** How long a child waits for a session to attach before it runs without the debugger. */
export const CHILD_ATTACH_TIMEOUT_MS = 60_000;
/** How long a new connection has to say who it is. */
const HELLO_TIMEOUT_MS = 10_000;
const MAX_FIRST_LINE_BYTES = 64 * 1024;
const LOOPBACK = '127.0.0.1';

export type ChildHello = AgentHello & Required<Pick<AgentHello, 'child'>>;

/** What the agent needs in configurationDone to start children under the debugger. */
export interface ChildListenerSettings {
  readonly host: string;
  readonly port: number;
  readonly token: string;
}

export interface ChildProcessHost {
  /** Sends `startDebugging`; resolves with whether the client accepted it. */
  startDebugging(args: DebugProtocol.StartDebuggingRequestArguments): Promise<boolean>;
  /** A line for the Debug Console. */
  console(text: string): void;
  /** Settings the children inherit: justMyCode and the launch configuration's type. */
  readonly childSettings: { readonly justMyCode: boolean; readonly type: string; readonly pathMappings: readonly PathMapping[] };
}

interface KnownChild {
  readonly hello: ChildHello;
  readonly socket: Socket;
  readonly ticket: string;
  /** Bytes the agent sent after its hello, before a session attached. */
  readonly buffered: Buffer[];
  readonly keep: (chunk: Buffer) => void;
  claimed: boolean;
  timer: NodeJS.Timeout | undefined;
}

function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A parsed JSON line: an object's properties, each still to be checked. */
type JsonFields = Readonly<Record<string, unknown>> | undefined;

function isChildHello(message: JsonFields): message is JsonFields & ChildHello {
  const child = message?.child as JsonFields | null;
  return (
    message?.type === 'hello' &&
    typeof message.pid === 'number' &&
    typeof child === 'object' &&
    child !== null &&
    Array.isArray(child.commandLine)
  );
}

/** `python worker.py` → "worker.py"; `python -m pkg` → "pkg"; multiprocessing's workers by role. */
export function childDisplayName(commandLine: readonly string[]): string {
  const program = commandLine.slice(1);
  if (program[0] === '-m' && program[1]) return program[1];
  if (program[0] === '-c' && program[1]) {
    if (program[1].includes('multiprocessing.spawn')) return 'multiprocessing worker';
    if (program[1].includes('multiprocessing.forkserver')) return 'multiprocessing fork server';
    const code = program[1].replace(/\s+/g, ' ').trim();
    return `-c ${code.length > 40 ? `${code.slice(0, 40)}…` : code}`;
  }
  const script = program[0] ?? commandLine[0] ?? 'python';
  return script.split(/[\\/]/).pop() ?? script;
}

/** The listener for one launched program's children (and their children). */
export class ChildProcessBroker {
  readonly token = randomBytes(16).toString('hex');
  private readonly server: Server;
  private readonly children = new Map<string, KnownChild>();
  private closed = false;

  private constructor(private readonly host: ChildProcessHost) {
    this.server = createServer((socket) => this.handleConnection(socket));
  }

  static async open(host: ChildProcessHost): Promise<ChildProcessBroker> {
    const broker = new ChildProcessBroker(host);
    await new Promise<void>((resolve, reject) => {
      broker.server.once('error', reject);
      broker.server.listen(0, LOOPBACK, () => resolve());
    });
    return broker;
  }

  get settings(): ChildListenerSettings {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the child-process listener is not listening');
    return { host: LOOPBACK, port: address.port, token: this.token };
  }

  /** Process ids of children still connected (announced or attached). */
  get livePids(): number[] {
    return [...this.children.values()].filter((child) => !child.socket.destroyed).map((child) => child.hello.pid);
  }

  /** Ends every child still connected: stopping the session ends the whole tree. */
  killAll(): void {
    for (const child of this.children.values()) {
      if (child.socket.destroyed) continue;
      try {
        process.kill(child.hello.pid, 'SIGKILL');
      } catch (error) {
        log(`could not end child ${child.hello.pid}: ${(error as Error).message}`);
      }
      child.socket.destroy();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    for (const child of this.children.values()) {
      if (child.timer) clearTimeout(child.timer);
      if (!child.claimed) child.socket.destroy();
    }
  }

  private handleConnection(socket: Socket): void {
    socket.setNoDelay(true);
    const timer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(10);
      if (newline === -1) {
        if (received.length > MAX_FIRST_LINE_BYTES) socket.destroy();
        return;
      }
      clearTimeout(timer);
      socket.removeListener('data', onData);
      let message: JsonFields;
      try {
        message = JSON.parse(received.subarray(0, newline).toString('utf8'));
      } catch {
        message = undefined;
      }
      const rest = received.subarray(newline + 1);
      if (isChildHello(message) && sameSecret(this.token, message.token)) {
        this.register(socket, message, rest);
      } else if (message?.type === 'claim' && typeof message.ticket === 'string') {
        this.handleClaim(socket, message.ticket);
      } else {
        log('child-process listener: refused a connection without a valid hello or ticket');
        socket.destroy();
      }
    };
    socket.on('data', onData);
    socket.on('error', (error) => log(`child-process connection: ${error.message}`));
  }

  private register(socket: Socket, hello: ChildHello, rest: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    // As for the launched program (AgentListener): an agent of another version is refused
    // with the same message; the child then runs without the debugger.
    if (hello.protocol !== AGENT_PROTOCOL_VERSION) {
      log(`child process ${hello.pid} refused: protocol version ${JSON.stringify(hello.protocol)}`);
      this.host.console(`Child process ${hello.pid} runs without the debugger: ${new AgentProtocolError(hello.protocol).message}\n`);
      socket.destroy();
      return;
    }
    const buffered: Buffer[] = rest.length ? [rest] : [];
    const child: KnownChild = {
      hello,
      socket,
      ticket: randomBytes(16).toString('hex'),
      buffered,
      keep: (chunk: Buffer) => buffered.push(chunk),
      claimed: false,
      timer: undefined,
    };
    this.children.set(child.ticket, child);
    socket.on('data', child.keep);
    socket.once('close', () => {
      if (child.timer) clearTimeout(child.timer);
      if (!child.claimed) this.children.delete(child.ticket);
    });
    log(`child process ${hello.pid} (parent ${hello.child.parentPid}) connected: ${hello.child.commandLine.join(' ')}`);
    child.timer = setTimeout(() => this.giveUp(child, `nobody attached within ${CHILD_ATTACH_TIMEOUT_MS / 1000} s`), CHILD_ATTACH_TIMEOUT_MS);
    void this.announce(child);
  }

  private async announce(child: KnownChild): Promise<void> {
    const { hello } = child;
    const configuration: ChildAttachArguments = {
      type: this.host.childSettings.type,
      request: 'attach',
      name: `${childDisplayName(hello.child.commandLine)} (PID ${hello.pid})`,
      subProcessId: hello.pid,
      justMyCode: this.host.childSettings.justMyCode,
      ...(this.host.childSettings.pathMappings.length ? { pathMappings: this.host.childSettings.pathMappings } : {}),
      [CHILD_ATTACH_KEY]: {
        host: this.settings.host,
        port: this.settings.port,
        ticket: child.ticket,
        pid: hello.pid,
        parentPid: hello.child.parentPid,
        commandLine: hello.child.commandLine,
        forked: hello.child.forked,
      },
    };
    let accepted = false;
    try {
      accepted = await this.host.startDebugging({ request: 'attach', configuration: configuration as unknown as Record<string, unknown> });
    } catch (error) {
      log(`startDebugging failed: ${(error as Error).message}`);
    }
    if (!accepted && !child.claimed) this.giveUp(child, 'the client declined to debug it');
  }

  private giveUp(child: KnownChild, reason: string): void {
    if (child.claimed || child.socket.destroyed) return;
    this.host.console(`Child process ${child.hello.pid} runs without the debugger: ${reason}.\n`);
    this.children.delete(child.ticket);
    child.socket.destroy();
  }

  private handleClaim(claimer: Socket, ticket: string): void {
    const child = [...this.children.values()].find((candidate) => sameSecret(candidate.ticket, ticket));
    if (!child || child.claimed || child.socket.destroyed) {
      claimer.end(JSON.stringify({ type: 'refused', message: 'This child process is no longer waiting for a debugger (it ended, or another session attached).' }) + '\n');
      return;
    }
    child.claimed = true;
    if (child.timer) clearTimeout(child.timer);
    const agent = child.socket;
    agent.removeListener('data', child.keep);
    // The hello goes on without the listener's token: the session attached with its ticket.
    const { token: _token, ...hello } = child.hello;
    claimer.write(JSON.stringify(hello) + '\n');
    for (const chunk of child.buffered.splice(0)) claimer.write(chunk);
    agent.pipe(claimer);
    claimer.pipe(agent);
    agent.once('close', () => claimer.destroy());
    claimer.once('close', () => agent.destroy());
    claimer.on('error', (error) => log(`child session connection: ${error.message}`));
  }
}

/** Validates the child part of an `attach` request; a message says what is wrong. */
export function childTicketOf(args: Record<string, unknown>): ChildProcessTicket | string | undefined {
  const raw = args[CHILD_ATTACH_KEY] as Record<string, unknown> | undefined;
  if (raw === undefined) return undefined;
  if (
    typeof raw !== 'object' ||
    raw === null ||
    typeof raw.host !== 'string' ||
    typeof raw.port !== 'number' ||
    typeof raw.ticket !== 'string' ||
    typeof raw.pid !== 'number'
  ) {
    return `"${CHILD_ATTACH_KEY}" must be the configuration from the startDebugging request, unchanged.`;
  }
  return raw as unknown as ChildProcessTicket;
}

/** Connects to the child's listener with the ticket; resolves with the child's agent. */
export function connectToChild(ticket: ChildProcessTicket, timeoutMs = HELLO_TIMEOUT_MS): Promise<AgentChannel> {
  return new Promise<AgentChannel>((resolve, reject) => {
    const socket = connect({ host: ticket.host, port: ticket.port });
    socket.setNoDelay(true);
    let onLine: ((line: string) => void) | undefined;
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`Child process ${ticket.pid} did not answer within ${timeoutMs / 1000} s.`), timeoutMs);
    const reader = new LineReader((line) => {
      if (settled) {
        onLine?.(line);
        return;
      }
      clearTimeout(timer);
      let message: JsonFields;
      try {
        message = JSON.parse(line);
      } catch {
        message = undefined;
      }
      if (message?.type !== 'hello' || message.pid !== ticket.pid) {
        fail(typeof message?.message === 'string' ? message.message : `Child process ${ticket.pid} could not be attached.`);
        return;
      }
      if (message.protocol !== AGENT_PROTOCOL_VERSION) {
        fail(new AgentProtocolError(message.protocol).message);
        return;
      }
      settled = true;
      resolve(new AgentChannel(socket, message as unknown as AgentHello, (handler) => (onLine = handler)));
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.once('connect', () => socket.write(JSON.stringify({ type: 'claim', ticket: ticket.ticket }) + '\n'));
    socket.on('error', (error) => fail(`Could not reach child process ${ticket.pid}: ${error.message}`));
    socket.once('close', () => fail(`Child process ${ticket.pid} is no longer running.`));
  });
}
