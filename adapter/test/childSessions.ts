/**
 * Plays the editor's part for child processes, as VS Code does: the root session's client
 * answers each `startDebugging` reverse request by starting a NEW adapter (a second
 * `dapper-adapter` process) and attaching it with the configuration from the request, then
 * sets the same breakpoints and exception filters and sends configurationDone.
 *
 *   const children = new ChildSessions(dc, { breakpoints: [{ path, lines: [3] }] });
 *   await launchProgram(dc, { program, python }, { initialize: { supportsStartDebuggingRequest: true } });
 *   const child = await children.next();          // the first child session, attached
 *   const { event } = await child.stopped;        // its first stop
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { REQUEST_TIMEOUT_MS, requestOk, startAdapter, stopAdapter, waitForStop, withTimeout, type StopInfo } from './support';

/** Starting a second adapter per child: many at once on a loaded machine take a while. */
const CHILD_START_TIMEOUT_MS = 60_000;

export interface ChildSession {
  readonly dc: DebugClient;
  readonly configuration: Record<string, any>;
  /** The first stop in this child (armed before configurationDone). */
  readonly stopped: Promise<StopInfo>;
  /** exited (with its code) or, for an unreported end, undefined, once terminated arrives. */
  readonly ended: Promise<number | undefined>;
}

export interface ChildSessionOptions {
  readonly breakpoints?: readonly { path: string; lines: number[] }[];
  readonly exceptionFilters?: readonly string[];
  /** How long to wait for each child's first stop. */
  readonly stopTimeoutMs?: number;
}

export class ChildSessions {
  readonly sessions: ChildSession[] = [];
  readonly startDebuggingRequests: DebugProtocol.StartDebuggingRequestArguments[] = [];
  private readonly waiting: { resolve: (session: ChildSession) => void; reject: (error: Error) => void }[] = [];
  private readonly pending: ChildSession[] = [];
  private readonly failures: Error[] = [];

  constructor(
    private readonly root: DebugClient,
    private readonly options: ChildSessionOptions = {},
  ) {
    const client = root as any;
    const dispatch = client.dispatch.bind(client);
    client.dispatch = (body: string) => {
      const message = JSON.parse(body);
      if (message.type === 'request') this.answerReverseRequest(message);
      else dispatch(body);
    };
  }

  /** Resolves with the next child session once it is attached and configured. */
  next(ms = REQUEST_TIMEOUT_MS * 2): Promise<ChildSession> {
    const ready = this.pending.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failures.length) return Promise.reject(this.failures.shift());
    return withTimeout(new Promise<ChildSession>((resolve, reject) => this.waiting.push({ resolve, reject })), 'a child session', ms);
  }

  /** The first child session to stop (a fork server, say, never does), with its stop. */
  firstStop(ms = REQUEST_TIMEOUT_MS * 6): Promise<{ session: ChildSession; stop: StopInfo }> {
    return withTimeout(
      new Promise((resolve) => {
        const watch = (session: ChildSession) =>
          void session.stopped.then((stop) => resolve({ session, stop })).catch(() => undefined);
        this.sessions.forEach(watch);
        this.pending.forEach(watch);
        this.stopWatchers.push(watch);
      }),
      'a stop in a child session',
      ms,
    );
  }

  private readonly stopWatchers: ((session: ChildSession) => void)[] = [];

  /**
   * From now on every stop in any child session except `keep` (current and future ones) is
   * continued at once, so the program can finish while a test looks at one process.
   */
  continueAllExcept(keep?: ChildSession): void {
    this.autoContinue = keep ?? null;
    for (const session of this.sessions) if (session !== keep) this.autoContinueSession(session);
  }

  private autoContinue: ChildSession | null | undefined;
  private readonly autoContinued = new Set<ChildSession>();

  private autoContinueSession(session: ChildSession): void {
    if (this.autoContinued.has(session)) return;
    this.autoContinued.add(session);
    const resume = (threadId: number | undefined) =>
      void session.dc.continueRequest({ threadId: threadId ?? 1 }).catch(() => undefined);
    session.dc.on('stopped', (event: DebugProtocol.StoppedEvent) => resume(event.body.threadId));
    // A stop that arrived before this call.
    void session.stopped.then((info) => resume(info.event.body.threadId)).catch(() => undefined);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.sessions.map((session) => stopAdapter(session.dc)));
  }

  private answerReverseRequest(request: DebugProtocol.Request): void {
    const client = this.root as any;
    const answer = (success: boolean, message?: string) => {
      const json = JSON.stringify({ type: 'response', seq: 0, request_seq: request.seq, command: request.command, success, message });
      client.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`);
    };
    if (request.command !== 'startDebugging') {
      answer(false, `the test client does not handle '${request.command}'`);
      return;
    }
    const args = request.arguments as DebugProtocol.StartDebuggingRequestArguments;
    this.startDebuggingRequests.push(args);
    answer(true);
    this.startChild(args.configuration).then(
      (session) => {
        this.sessions.push(session);
        for (const watch of this.stopWatchers) watch(session);
        if (this.autoContinue !== undefined && this.autoContinue !== session) this.autoContinueSession(session);
        const waiter = this.waiting.shift();
        if (waiter) waiter.resolve(session);
        else this.pending.push(session);
      },
      (error: Error) => {
        const waiter = this.waiting.shift();
        if (waiter) waiter.reject(error);
        else this.failures.push(error);
      },
    );
  }

  private async startChild(configuration: Record<string, any>): Promise<ChildSession> {
    const dc = await startAdapter();
    await withTimeout(
      dc.initializeRequest({
        adapterID: 'dapper',
        clientID: 'dapper-tests',
        linesStartAt1: true,
        columnsStartAt1: true,
        pathFormat: 'path',
        supportsStartDebuggingRequest: true,
      }),
      'child initialize',
      CHILD_START_TIMEOUT_MS,
    );
    const initialized = dc.waitForEvent('initialized', CHILD_START_TIMEOUT_MS);
    await requestOk(dc, 'attach', configuration, CHILD_START_TIMEOUT_MS);
    await initialized;
    for (const bp of this.options.breakpoints ?? []) {
      await requestOk(dc, 'setBreakpoints', { source: { path: bp.path }, breakpoints: bp.lines.map((line) => ({ line })) });
    }
    if (this.options.exceptionFilters) await requestOk(dc, 'setExceptionBreakpoints', { filters: this.options.exceptionFilters });
    const stopped = waitForStop(dc, this.options.stopTimeoutMs ?? REQUEST_TIMEOUT_MS * 3);
    stopped.catch(() => undefined);
    const exited = new Promise<number | undefined>((resolve) => {
      let code: number | undefined;
      dc.on('exited', (event: DebugProtocol.ExitedEvent) => (code = event.body.exitCode));
      dc.on('terminated', () => resolve(code));
    });
    await requestOk(dc, 'configurationDone');
    return { dc, configuration, stopped, ended: exited };
  }
}
