/**
 * One debug session: DAP dispatch and the debuggee's lifecycle (launch, configurationDone,
 * restart, terminate, disconnect, exit). Everything else is served by the feature files
 * listed in requestHandlers.ts.
 */
import { DebugSession, Event, InitializedEvent, OutputEvent, TerminatedEvent } from '@vscode/debugadapter';
import { untestedInterpreterNotice } from './interpreterSupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { isChildAttachArguments, type ChildAttachArguments } from '../common/childProcesses';
import { DEFAULT_JUST_MY_CODE, type DapperAttachArguments, type DapperLaunchArguments, type PathMapping } from '../common/launchConfig';
import { PYTHON_INFO_EVENT } from '../common/protocol';
import type { AgentEvent } from './agentChannel';
import { findAgentDir } from './agentPaths';
import { attachToProgram, checkAttachArguments, describeTarget, isLocalTarget, withPathMappings } from './attach';
import { checkPathMappings } from './attachArguments';
import { BreakpointStore } from './breakpoints';
import { adapterCapabilities } from './capabilities';
import {
  CHILD_ATTACH_TIMEOUT_MS,
  ChildProcessBroker,
  childTicketOf,
  connectToChild,
  type ChildListenerSettings,
  type ChildProcessHost,
} from './childProcesses';
import { DebuggeeRun, type RunHost } from './debuggeeRun';
import { resolveLaunchArguments, type ResolvedLaunch } from './launchArguments';
import { LoadedSourceTracker } from './loadedSources';
import { log } from './log';
import type { OutputBackpressure } from './outputAndInput';
import { argumentsProblem } from './requestArguments';
import { featureHandlers } from './requestHandlers';
import { ExecutionState, type CheckedRequestHandler, type SessionContext } from './sessionContext';

/** Custom event: the interpreter the program runs on, from the agent's hello (docs/protocol.md). */

export interface DapperSessionOptions {
  /** Folder holding dapper_launcher.py; found next to the package when omitted. */
  readonly agentDir?: string;
  /** Lets program output pause while the client is not reading (standalone stdio). */
  readonly backpressure?: OutputBackpressure;
}

export class DapperSession extends DebugSession {
  private readonly agentDir: string | undefined;
  private readonly backpressure: OutputBackpressure | undefined;
  private readonly breakpoints = new BreakpointStore();
  private readonly execution = new ExecutionState();
  /** The "untested Python version" notice is said once per session, not on every restart. */
  private untestedNoticeSent = false;
  private readonly loadedSources = new LoadedSourceTracker();
  private readonly handlers: ReadonlyMap<string, CheckedRequestHandler>;
  private readonly context: SessionContext;
  private clientCapabilities: DebugProtocol.InitializeRequestArguments = { adapterID: 'dapper' };
  private launchArguments: DapperLaunchArguments | undefined;
  private run: DebuggeeRun | undefined;
  /** Settles when the current launch/restart has an agent (or failed). */
  private starting: Promise<void> | undefined;
  private terminatedSent = false;
  private restarting = false;
  /** The listener for the program's child processes, while they are debugged. */
  private children: ChildProcessBroker | undefined;
  private childSettings: ChildProcessHost['childSettings'] = { justMyCode: DEFAULT_JUST_MY_CODE, type: 'dapper', pathMappings: [] };
  /** Runs left running by `disconnect` with terminateDebuggee false. */
  private readonly detachedRuns: DebuggeeRun[] = [];

  constructor(options: DapperSessionOptions = {}) {
    super();
    this.agentDir = options.agentDir;
    this.backpressure = options.backpressure;
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.handlers = featureHandlers(this.loadedSources);
    // A message that is not JSON must not end the session (DebugSession shuts down on 'error').
    this.removeAllListeners('error');
    this.on('error', (event: DebugProtocol.Event) => {
      log(`protocol error: ${event.body}`);
      this.sendEvent(new OutputEvent(`Dapper ignored a message it could not read: ${event.body}\n`, 'console'));
    });
    const session = this;
    this.context = {
      get agent() {
        return session.run?.agentOpen ? session.run.agent : undefined;
      },
      get debuggee() {
        return session.run?.process;
      },
      execution: this.execution,
      breakpoints: this.breakpoints,
      get clientCapabilities() {
        return session.clientCapabilities;
      },
      sendEvent: (event) => this.sendEvent(event),
      sendResponse: (response) => this.sendResponse(response),
      sendError: (response, message, body) => this.sendErrorMessage(response, message, body),
    };
  }

  /** Kills the debuggee and releases everything; the session cannot be used afterwards. */
  override dispose(): void {
    const run = this.run;
    this.run = undefined;
    run?.kill();
    this.children?.killAll();
    this.children?.close();
    this.children = undefined;
  }

  /**
   * Standalone, DebugSession exits the adapter process here. A program left running by
   * `disconnect` (terminateDebuggee false) still writes into the adapter's pipes, so the
   * adapter drains them until that program ends instead of breaking its stdout.
   */
  override shutdown(): void {
    this.dispose();
    const detached = this.detachedRuns.filter((run) => run.process && !run.process.hasExited);
    if (detached.length === 0) {
      super.shutdown();
      return;
    }
    void Promise.all(detached.map((run) => run.finished)).then(() => super.shutdown());
  }

  // ---- dispatch ------------------------------------------------------------------------

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response: DebugProtocol.Response = {
      type: 'response',
      seq: 0,
      request_seq: typeof request?.seq === 'number' ? request.seq : 0,
      command: typeof request?.command === 'string' ? request.command : '',
      success: true,
    };
    if (typeof request?.command !== 'string' || request.command === '') {
      this.sendErrorMessage(response, 'The request has no "command"; it was ignored.');
      return;
    }
    // Checked before anything is stored or forwarded, so a malformed request changes nothing.
    const problem = argumentsProblem(request.command, request.arguments);
    if (problem) {
      this.sendErrorMessage(response, problem);
      return;
    }
    const settle = (work: () => Promise<void> | void) => {
      Promise.resolve()
        .then(work)
        .catch((error: Error) => {
          log(`request ${request.command} failed: ${error.stack}`);
          this.sendErrorMessage(response, `Dapper could not complete '${request.command}': ${error.message}`);
        });
    };
    const handler = this.handlers.get(request.command);
    if (handler) {
      settle(() => handler(this.context, response, request.arguments));
      return;
    }
    switch (request.command) {
      case 'initialize':
        settle(() => this.initialize(response, request.arguments ?? {}));
        return;
      case 'launch':
        settle(() => this.launch(response, request.arguments));
        return;
      case 'configurationDone':
        settle(() => this.configurationDone(response));
        return;
      case 'restart':
        settle(() => this.restart(response, request.arguments));
        return;
      case 'terminate':
        settle(() => this.terminate(response));
        return;
      case 'disconnect':
        settle(() => this.disconnect(response, request.arguments ?? {}));
        return;
      case 'attach':
        settle(() => this.attach(response, request.arguments));
        return;
      default:
        this.sendErrorMessage(response, `Unknown request '${request.command}'. See docs/protocol.md for the requests Dapper supports.`);
    }
  }

  private sendErrorMessage(response: DebugProtocol.Response, message: string, body?: Record<string, unknown>): void {
    response.success = false;
    response.message = message;
    // The text as written: braces stay (an evaluated `{` must read "'{' was never closed"). With
    // no `variables`, DAP clients leave `{name}` in a format as it is.
    response.body = { ...(body ?? {}), error: { id: 1, format: message, showUser: true } };
    this.sendResponse(response);
  }

  // ---- lifecycle -----------------------------------------------------------------------

  private initialize(response: DebugProtocol.Response, args: DebugProtocol.InitializeRequestArguments): void {
    // Lines, columns and paths pass between client and agent unchanged, so both must use
    // DAP's defaults: 1-based lines and columns, native paths.
    if (args.linesStartAt1 === false || args.columnsStartAt1 === false || (args.pathFormat && args.pathFormat !== 'path')) {
      this.sendErrorMessage(
        response,
        'Dapper supports clients with 1-based lines and columns and native paths (linesStartAt1, columnsStartAt1 true; pathFormat "path").',
      );
      return;
    }
    this.clientCapabilities = args;
    response.body = adapterCapabilities();
    this.sendResponse(response);
  }

  private async launch(response: DebugProtocol.Response, args: DapperLaunchArguments): Promise<void> {
    if (this.run || this.starting) {
      this.sendErrorMessage(response, 'This session already launched a program. Start a new session to debug another one.');
      return;
    }
    let launch: ResolvedLaunch;
    try {
      launch = resolveLaunchArguments(args);
    } catch (error) {
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    this.launchArguments = args;
    const started = this.startRun(launch);
    this.starting = started.then(
      () => undefined,
      () => undefined,
    );
    try {
      await started;
    } catch (error) {
      this.starting = undefined;
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  /** Attach to a program that already runs (attach.ts); like launch, minus starting it. */
  private async attach(response: DebugProtocol.Response, args: DapperAttachArguments | ChildAttachArguments): Promise<void> {
    if (isChildAttachArguments(args)) {
      await this.attachChildProcess(response, args);
      return;
    }
    if (this.run || this.starting) {
      this.sendErrorMessage(response, 'This session is already debugging a program. Start a new session to attach to another one.');
      return;
    }
    let attach;
    try {
      attach = checkAttachArguments(args);
    } catch (error) {
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    const agentDir = this.agentDir ?? findAgentDir();
    const local = isLocalTarget(attach);
    if (attach.subProcess && !local && (args as { subProcess?: unknown }).subProcess === true) {
      this.sendEvent(new OutputEvent(
        'Child processes of a program on another machine are not debugged: they could not reach this machine\'s loopback port. Attach to each one instead.\n',
        'console',
      ));
    }
    const type = (args as { type?: unknown }).type;
    const checked = attach;
    const childProcesses = { subProcess: attach.subProcess && local, justMyCode: attach.justMyCode, pathMappings: attach.pathMappings };
    const started = this.prepareChildProcesses(childProcesses, type).then(() =>
      this.beginRun(
        (host) => attachToProgram(agentDir, checked, host),
        (run) => ({ name: describeTarget(checked, run.agent.hello.program), startMethod: 'attach', isLocal: local }),
      ),
    );
    this.starting = started.then(
      () => undefined,
      () => undefined,
    );
    try {
      await started;
    } catch (error) {
      this.starting = undefined;
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  /** A child process of a debugged program, announced with startDebugging (childProcesses.ts). */
  private async attachChildProcess(response: DebugProtocol.Response, args: ChildAttachArguments): Promise<void> {
    if (this.run || this.starting) {
      this.sendErrorMessage(response, 'This session is already debugging a program. Start a new session to attach to a child process.');
      return;
    }
    const ticket = childTicketOf(args as unknown as Record<string, unknown>);
    if (typeof ticket !== 'object') {
      this.sendErrorMessage(response, ticket ?? 'The attach request has no child process to attach to.');
      return;
    }
    let pathMappings: PathMapping[];
    try {
      pathMappings = checkPathMappings(args.pathMappings);
    } catch (error) {
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    const settings = { stopOnEntry: false, justMyCode: typeof args.justMyCode === 'boolean' ? args.justMyCode : DEFAULT_JUST_MY_CODE };
    const started = this.beginRun(
      async (host) => DebuggeeRun.forChildProcess(withPathMappings(await connectToChild(ticket), pathMappings), settings, host),
      () => ({ name: typeof args.name === 'string' ? args.name : `PID ${ticket.pid}`, startMethod: 'attachForSuspendedLaunch' }),
    );
    this.starting = started.then(
      () => undefined,
      () => undefined,
    );
    try {
      await started;
    } catch (error) {
      this.starting = undefined;
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  private async configurationDone(response: DebugProtocol.Response): Promise<void> {
    await this.starting;
    const run = this.run;
    if (!run) {
      this.sendErrorMessage(response, 'There is no program to start: the launch failed or has not been requested.');
      return;
    }
    try {
      await run.configure(this.childProcessSettings());
    } catch (error) {
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    this.sendResponse(response);
  }

  private async restart(response: DebugProtocol.Response, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    const launchArgs = (args?.arguments as DapperLaunchArguments | undefined) ?? this.launchArguments;
    if (!launchArgs) {
      this.sendErrorMessage(response, 'Nothing to restart: no program was launched in this session.');
      return;
    }
    let launch: ResolvedLaunch;
    try {
      launch = resolveLaunchArguments(launchArgs);
    } catch (error) {
      this.sendErrorMessage(response, (error as Error).message);
      return;
    }
    if (this.restarting) {
      this.sendErrorMessage(response, 'The program is already restarting; wait for it to start.');
      return;
    }
    this.restarting = true;
    try {
      await this.starting;
      const previous = this.run;
      if (previous) {
        previous.quiet = true;
        await previous.end();
      }
      this.launchArguments = launchArgs;
      await this.startRun(launch);
      await this.run!.configure(this.childProcessSettings());
    } catch (error) {
      this.sendErrorMessage(response, `Restart failed: ${(error as Error).message}`);
      this.sendTerminated();
      return;
    } finally {
      this.restarting = false;
    }
    this.sendResponse(response);
  }

  private async terminate(response: DebugProtocol.Response): Promise<void> {
    await this.starting;
    const run = this.run;
    this.sendResponse(response);
    // Stopping the program ends the processes it started too.
    this.children?.killAll();
    if (run) await run.end();
    else this.sendTerminated();
  }

  private async disconnect(response: DebugProtocol.Response, args: DebugProtocol.DisconnectArguments): Promise<void> {
    await this.starting;
    const run = this.run;
    if (run) {
      run.quiet = true;
      // Launched programs end with the session unless the client asks to leave them running;
      // attached ones go on running unless the client asks to end them.
      if (args.terminateDebuggee ?? !run.attached) {
        this.children?.killAll();
        await run.end();
      } else {
        await run.detach();
        this.detachedRuns.push(run);
        this.run = undefined;
      }
    }
    this.sendResponse(response);
    this.shutdown();
  }

  // ---- runs ----------------------------------------------------------------------------

  private async startRun(launch: ResolvedLaunch): Promise<void> {
    const agentDir = this.agentDir ?? findAgentDir();
    for (const notice of launch.notices) this.sendEvent(new OutputEvent(`${notice}\n`, 'console'));
    const launchType = (this.launchArguments as Record<string, unknown> | undefined)?.type;
    await this.prepareChildProcesses(launch, launchType);
    return this.beginRun(
      (host) => DebuggeeRun.start(agentDir, launch, host),
      () => ({ name: launch.displayName, startMethod: 'launch' }),
      launch.console,
    );
  }

  /** Starts (or attaches) a run, then makes it the session's: events, breakpoints. */
  private async beginRun(
    create: (host: RunHost) => Promise<DebuggeeRun>,
    describe: (run: DebuggeeRun) => { name: string; startMethod: DebugProtocol.ProcessEvent['body']['startMethod']; isLocal?: boolean },
    consoleKind = 'internalConsole',
  ): Promise<void> {
    this.execution.markRunning();
    this.breakpoints.resetAgentIds();
    this.loadedSources.clear();
    this.terminatedSent = false;
    const run = await create({
      clientCapabilities: this.clientCapabilities,
      backpressure: this.backpressure,
      sendEvent: (event) => this.sendEvent(event),
      runInTerminal: (args) => this.runInTerminal(args, consoleKind),
      onAgentEvent: (source, event) => this.handleAgentEvent(source, event),
    });
    this.run = run;
    void run.finished.then((exitCode) => this.finishRun(run, exitCode));
    const { name, startMethod, isLocal = true } = describe(run);
    const processBody: DebugProtocol.ProcessEvent['body'] = {
      name,
      systemProcessId: run.agent.hello.pid,
      isLocalProcess: isLocal,
      startMethod,
    };
    this.sendEvent(new Event('process', processBody));
    const { version, implementation, executable } = run.agent.hello.python ?? {};
    this.sendEvent(new Event(PYTHON_INFO_EVENT, { version, implementation, executable }));
    const notice = this.untestedNoticeSent ? undefined : untestedInterpreterNotice(version);
    if (notice) {
      this.untestedNoticeSent = true;
      this.sendEvent(new OutputEvent(notice, 'console'));
    }
    const changed = await this.breakpoints.applyAll(run.agent);
    for (const breakpoint of changed) this.sendEvent(new Event('breakpoint', { reason: 'changed', breakpoint }));
  }

  // ---- child processes -----------------------------------------------------------------

  /**
   * Children are debugged when the launch or attach asks (subProcess, default true) and the
   * client can start their sessions; otherwise they run without the debugger and never wait
   * for it. `type` is the configuration's, which the children's configurations repeat.
   */
  private async prepareChildProcesses(
    settings: { readonly subProcess: boolean; readonly justMyCode: boolean; readonly pathMappings?: readonly PathMapping[] },
    type: unknown,
  ): Promise<void> {
    this.children?.killAll();
    if (!settings.subProcess || this.clientCapabilities.supportsStartDebuggingRequest !== true) {
      this.children?.close();
      this.children = undefined;
      return;
    }
    this.childSettings = { justMyCode: settings.justMyCode, type: typeof type === 'string' ? type : 'dapper', pathMappings: settings.pathMappings ?? [] };
    if (this.children) return;
    const session = this;
    this.children = await ChildProcessBroker.open({
      startDebugging: (args) =>
        new Promise<boolean>((resolve) =>
          this.sendRequest('startDebugging', args, CHILD_ATTACH_TIMEOUT_MS, (answer) => resolve(answer.success === true)),
        ),
      console: (text) => this.sendEvent(new OutputEvent(text, 'console')),
      get childSettings() {
        return session.childSettings;
      },
    });
  }

  private childProcessSettings(): { subProcess?: ChildListenerSettings } {
    return this.children ? { subProcess: this.children.settings } : {};
  }

  private runInTerminal(
    args: DebugProtocol.RunInTerminalRequestArguments,
    consoleKind: string,
  ): Promise<DebugProtocol.RunInTerminalResponse> {
    const request = { ...args, kind: consoleKind === 'externalTerminal' ? ('external' as const) : ('integrated' as const) };
    return new Promise((resolve) => this.runInTerminalRequest(request, 10_000, (answer) => resolve(answer as DebugProtocol.RunInTerminalResponse)));
  }

  private finishRun(run: DebuggeeRun, exitCode: number | undefined): void {
    if (this.run === run) {
      this.run = undefined;
      this.execution.markRunning();
    }
    if (run.quiet || run.detached) return;
    if (exitCode === undefined) {
      this.sendEvent(new OutputEvent(`Process ${run.agent.hello.pid} ended without reporting an exit code (it was killed or crashed).\n`, 'console'));
    } else {
      this.sendEvent(new Event('exited', { exitCode }));
    }
    this.sendTerminated();
  }

  private sendTerminated(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.sendEvent(new TerminatedEvent());
  }

  private handleAgentEvent(run: DebuggeeRun, event: AgentEvent): void {
    if (this.run !== run) return;
    switch (event.event) {
      case 'stopped': {
        const body = event.body;
        this.execution.markStopped(body.threadId);
        if (Array.isArray(body.hitBreakpointIds)) {
          this.sendEvent(new Event('stopped', { ...body, hitBreakpointIds: this.breakpoints.stableIds(body.hitBreakpointIds) }));
          return;
        }
        break;
      }
      case 'continued':
        this.execution.markRunning();
        break;
      case 'exited':
        // The process's own exit status is the truth (os._exit, signals); keep this for
        // programs run in a terminal, where the adapter has no process to ask.
        run.agentExitCode = typeof event.body.exitCode === 'number' ? event.body.exitCode : undefined;
        return;
      case 'breakpoint': {
        const translated = this.breakpoints.translateEvent(event.body);
        if (translated) this.sendEvent(new Event('breakpoint', translated));
        return;
      }
      case 'loadedSource':
        this.loadedSources.record(event.body);
        break;
      case 'output':
        this.sendEvent(new Event('output', event.body));
        if (this.backpressure?.isCongested()) {
          run.agent.pause();
          this.backpressure.onceDrained(() => run.agent.resume());
        }
        return;
    }
    this.sendEvent(new Event(event.event, event.body));
  }
}
