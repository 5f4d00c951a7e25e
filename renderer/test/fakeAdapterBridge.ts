/**
 * A bridge whose "adapter" follows docs/protocol.md closely enough for the renderer's
 * state logic: initialize → launch → `initialized`; configurationDone → stopped (entry);
 * threads, stackTrace, scopes, variables with paging, evaluate, setVariable,
 * dapper/hotReload (fails on a `SYNTAX ERROR` marker in the saved text), dapper/prepareApply, continue,
 * disconnect → terminated. Every message is recorded so tests assert what was sent.
 *
 * startChildProcess() makes the launched session announce a child process (`startDebugging`,
 * docs/protocol.md "Child processes"); the child's session answers as a stopped worker with
 * its own locals, and with frame ids that repeat the launched program's (each adapter session
 * numbers its own), so a request sent to the wrong session shows.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type {
  AppInfo,
  BridgeEventMap,
  DapperBridge,
  EventChannel,
  FolderEntry,
  InvokeArgs,
  InvokeChannel,
  InterpreterDiscovery,
  InterpreterInfo,
  InvokeResult,
  LaunchConfigurationList,
  LaunchResolveContext,
  PythonProcess,
  ResolvedLaunchConfiguration,
  Settings,
  TestRunnerInfo,
} from '../../common/bridge';
import { DEFAULT_SETTINGS } from '../../common/bridge';
import type { HotReloadResponseBody } from '../../common/hotReload';

export const PROGRAM = '/project/app.py';
export const HELPER = '/project/helper.py';

type Handler = (request: DebugProtocol.Request) => { body?: unknown; error?: string; errorBody?: unknown } | undefined;

export class FakeAdapterBridge implements DapperBridge {
  readonly sent: DebugProtocol.Request[] = [];
  readonly invokes: Array<{ channel: string; args: unknown[] }> = [];
  readonly files = new Map<string, string>([
    [PROGRAM, 'import helper\n\ndef main():\n    x = 1\n    helper.work(x)\n\nmain()\n'],
    [HELPER, 'def work(x):\n    return x + 1\n'],
  ]);
  settings: Settings = { ...DEFAULT_SETTINGS };
  readonly info: AppInfo = {
    host: 'browser',
    platform: 'linux',
    version: '0.1.0',
    initialScript: null,
    initialFolder: null,
    demoScript: '/demo/demo.py',
    droppedFilesFolder: '/tmp/dropped',
  };
  /** Items of the list variable `big` (reference 300). */
  bigLength = 250;
  /** When > 0, Locals also holds `wide`: an object with this many named members. */
  wideCount = 0;
  private listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  private seq = 1000;
  private breakpointIds = 1;
  /** Adapter breakpoint id by "path:line", as set by the last setBreakpoints. */
  private readonly breakpointAt = new Map<string, number>();
  readonly overrides = new Map<string, Handler>();
  /** Folder listings served by folder.list (path → entries). */
  readonly folders = new Map<string, FolderEntry[]>();
  /** mtimeMs that file.read reports per path (default 1). */
  readonly mtimes = new Map<string, number>();
  launchList: LaunchConfigurationList | null = null;
  /** What launch.resolve answers per name: a configuration, or one computed from the context (`${command:…}`). */
  readonly resolvedConfigurations = new Map<string, ResolvedLaunchConfiguration | ((context: LaunchResolveContext) => ResolvedLaunchConfiguration)>();
  /** What processes.python lists. */
  pythonProcesses: PythonProcess[] = [];
  testRunner: TestRunnerInfo = { runner: 'pytest', python: '/usr/bin/python3' };
  sessionCounter = 0;
  /** What `interpreters.discover` answers. */
  interpreters: InterpreterDiscovery = { interpreters: [], defaultInterpreterPath: null, settingsProblem: null };
  /** What `interpreters.check` answers for a typed path (default: unknown, does not start). */
  checkInterpreter: (path: string) => InterpreterInfo = (path) => ({
    path,
    version: null,
    source: 'chosen',
    problem: `The interpreter ${path} does not start: the file does not exist. Choose another one.`,
  });
  currentSession = '';
  stopLine = 4;
  /** Sessions started for child processes (attach with a child ticket), and which session each request went to. */
  readonly childSessionIds = new Set<string>();
  private readonly sessionOf = new Map<DebugProtocol.Request, string>();
  /** The line a child process is stopped on; each step moves it one down, a goto moves it there, Restart Frame to 1. */
  childStopLine = 2;
  /** The child processes' `work` frame runs the code from before the last dapper/hotReload (until it is restarted). */
  private childWorkStale = false;
  /** When set, the child processes' restartFrame fails with this message (as the adapter refuses one). */
  childRestartError: string | null = null;
  /** When true, the child processes have not loaded the file dapper/hotReload names (they refuse it, file-not-loaded). */
  childLacksAppliedFile = false;

  /** Invokes of these channels are answered only once their promise resolves (a slow host). */
  readonly invokeGates = new Map<string, Promise<void>>();

  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>> {
    this.invokes.push({ channel, args });
    const gate = this.invokeGates.get(channel);
    if (gate) return gate.then(() => this.handleInvoke(channel, args as unknown[]) as InvokeResult<K>);
    return Promise.resolve(this.handleInvoke(channel, args as unknown[]) as InvokeResult<K>);
  }

  on<K extends EventChannel>(event: K, listener: BridgeEventMap[K]): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (...args: unknown[]) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (...args: unknown[]) => void);
  }

  emit<K extends EventChannel>(event: K, ...args: Parameters<BridgeEventMap[K]>): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  sendEvent(event: string, body?: unknown, sessionId = this.currentSession): void {
    this.emit('dap.message', sessionId, { seq: this.seq++, type: 'event', event, body } as DebugProtocol.Event);
  }

  requests(command: string): DebugProtocol.Request[] {
    return this.sent.filter((request) => request.command === command);
  }

  /** The `command` requests sent to one session. */
  requestsIn(sessionId: string, command: string): DebugProtocol.Request[] {
    return this.requests(command).filter((request) => this.sessionOf.get(request) === sessionId);
  }

  /** The launched session announces a child process, as the adapter does for a Pool worker. */
  startChildProcess(pid: number): void {
    const configuration = {
      type: 'dapper',
      request: 'attach',
      name: `multiprocessing worker (PID ${pid})`,
      subProcessId: pid,
      justMyCode: true,
      __dapperChild: { host: '127.0.0.1', port: 40000 + pid, ticket: `ticket-${pid}`, pid, parentPid: 4200, commandLine: ['/usr/bin/python3', '-c', 'worker'], forked: false },
    };
    this.emit('dap.message', this.currentSession, {
      seq: this.seq++,
      type: 'request',
      command: 'startDebugging',
      arguments: { request: 'attach', configuration },
    } as DebugProtocol.Request);
  }

  private handleInvoke(channel: string, args: unknown[]): unknown {
    switch (channel) {
      case 'dap.start': {
        this.sessionCounter += 1;
        const sessionId = `s${this.sessionCounter}`;
        const attach = (args[0] as { attach?: Record<string, unknown> }).attach;
        if (attach && '__dapperChild' in attach) this.childSessionIds.add(sessionId);
        else this.currentSession = sessionId;
        return { sessionId };
      }
      case 'dap.send':
        this.receive(args[0] as string, args[1] as DebugProtocol.ProtocolMessage);
        return undefined;
      case 'dap.dispose':
      case 'dap.consumed':
        return undefined;
      case 'file.read': {
        const path = args[0] as string;
        const content = this.files.get(path);
        if (content === undefined) throw new Error(`No such file: ${path}`);
        return { path, content, mtimeMs: this.mtimes.get(path) ?? 1 };
      }
      case 'file.save':
        this.files.set(args[0] as string, args[1] as string);
        return { mtimeMs: 2 };
      case 'file.openDialog':
        return null;
      case 'file.saveDropped':
        this.files.set(`/tmp/dropped/${args[0] as string}`, args[1] as string);
        return { path: `/tmp/dropped/${args[0] as string}` };
      case 'folder.open':
        return { path: args[0] as string };
      case 'folder.list': {
        const entries = this.folders.get(args[0] as string);
        if (!entries) throw new Error(`Could not list ${args[0] as string}: it no longer exists.`);
        return entries;
      }
      case 'folder.files':
        return { files: [...this.files.keys()].filter((path) => path.startsWith(`${args[0] as string}/`)), truncated: false };
      case 'launch.configurations':
        return this.launchList ?? { file: `${args[0] as string}/.vscode/launch.json`, exists: false, configurations: [], errors: [] };
      case 'launch.resolve': {
        const resolved = this.resolvedConfigurations.get(args[1] as string);
        if (!resolved) throw new Error(`There is no configuration named "${args[1] as string}"`);
        return typeof resolved === 'function' ? resolved(args[2] as LaunchResolveContext) : resolved;
      }
      case 'processes.python': {
        return this.pythonProcesses;
      }
      case 'tests.runner':
        return this.testRunner;
      case 'app.info':
        return this.info;
      case 'settings.get':
        return this.settings;
      case 'settings.update':
        this.settings = { ...this.settings, ...(args[0] as Partial<Settings>) };
        return this.settings;
      case 'interpreters.discover':
        return this.interpreters;
      case 'interpreters.check':
        return this.checkInterpreter(args[0] as string);
      default:
        return undefined;
    }
  }

  private receive(sessionId: string, message: DebugProtocol.ProtocolMessage): void {
    if (message.type !== 'request') return;
    const request = message as DebugProtocol.Request;
    this.sent.push(request);
    this.sessionOf.set(request, sessionId);
    // Answer asynchronously, as a real transport does.
    queueMicrotask(() => (this.childSessionIds.has(sessionId) ? this.answerChild(sessionId, request) : this.answer(request)));
  }

  /** A child process's session: attached, configured, then running until the test stops it. */
  private answerChild(sessionId: string, request: DebugProtocol.Request): void {
    const args = (request.arguments ?? {}) as Record<string, unknown>;
    const respond = (result: { body?: unknown; error?: string }) => this.respond(request, result, sessionId);
    switch (request.command) {
      case 'initialize':
        return respond({ body: { supportsConfigurationDoneRequest: true, supportsCompletionsRequest: true, supportsRestartFrame: true, supportsGotoTargetsRequest: true } });
      case 'attach':
        respond({});
        this.sendEvent('initialized', undefined, sessionId);
        return;
      case 'setBreakpoints':
        return respond({ body: { breakpoints: (args.breakpoints as DebugProtocol.SourceBreakpoint[]).map((bp) => ({ verified: true, line: bp.line })) } });
      case 'setExceptionBreakpoints':
      case 'configurationDone':
        return respond({});
      case 'threads':
        return respond({ body: { threads: [{ id: 1, name: 'MainThread' }] } });
      case 'stackTrace':
        return respond({
          body: {
            stackFrames: [
              { id: 11, name: this.childWorkStale ? 'work [old code]' : 'work', line: this.childStopLine, column: 1, source: { path: HELPER, name: 'helper.py' }, canRestart: true },
              {
                id: 12,
                name: '<module>',
                line: 9,
                column: 1,
                source: { path: PROGRAM, name: 'app.py' },
                canRestart: false,
                restartRefusal: 'The module body cannot be restarted: that would be restarting the program.',
              },
            ],
            totalFrames: 2,
          },
        });
      case 'scopes':
        return respond({ body: { scopes: [{ name: 'Locals', variablesReference: 100, expensive: false }] } });
      case 'variables':
        return respond({ body: { variables: args.variablesReference === 100 ? [{ name: 'item', value: '7', type: 'int', variablesReference: 0, evaluateName: 'item' }] : [] } });
      case 'evaluate':
        return respond({ body: { result: `worker:${String(args.expression)}`, variablesReference: 0 } });
      case 'completions':
        return respond({ body: { targets: [{ label: 'item' }] } });
      case 'continue':
        return respond({ body: { allThreadsContinued: true } });
      case 'next':
      case 'stepIn':
      case 'stepOut':
        respond({});
        this.childStopLine += 1;
        this.sendEvent('stopped', { reason: 'step', threadId: 1 }, sessionId);
        return;
      case 'restartFrame':
        if (this.childRestartError !== null) return respond({ error: this.childRestartError });
        respond({});
        this.childStopLine = 1;
        this.childWorkStale = false;
        this.sendEvent('stopped', { reason: 'restart', threadId: 1 }, sessionId);
        return;
      case 'gotoTargets': {
        const line = args.line as number;
        if ((args.source as { path: string }).path !== HELPER) return respond({ error: 'You can only jump within the current function (work).' });
        return respond({ body: { targets: [{ id: 100 + line, label: `Line ${line}`, line }] } });
      }
      case 'goto':
        respond({});
        this.childStopLine = (args.targetId as number) - 100;
        this.sendEvent('stopped', { reason: 'goto', threadId: 1 }, sessionId);
        return;
      case 'dapper/hotReload': {
        const path = (args.source as { path: string }).path;
        if (this.childLacksAppliedFile) return this.respond(request, notLoadedRefusal(path), sessionId);
        this.childWorkStale = true;
        const body: HotReloadResponseBody = {
          module: 'helper',
          path,
          patchedFunctions: 1,
          patchedClasses: 0,
          addedDefinitions: 0,
          pendingDefinitions: 0,
          removedDefinitions: 0,
          reboundFrameLocals: 0,
          staleFrames: [{ frameId: 11, threadId: 1, name: 'work', line: this.childStopLine, path }],
          warnings: [],
          diagnostics: [],
          breakpointRemaps: [],
        };
        return respond({ body });
      }
      case 'dapper/prepareApply':
        return respond({});
      case 'terminate':
      case 'disconnect':
        respond({});
        this.sendEvent('terminated', undefined, sessionId);
        return;
      default:
        return respond({ error: `Unknown request ${request.command}` });
    }
  }

  private respond(request: DebugProtocol.Request, result: { body?: unknown; error?: string; errorBody?: unknown }, sessionId = this.currentSession): void {
    const response: DebugProtocol.Response = {
      seq: this.seq++,
      type: 'response',
      request_seq: request.seq,
      command: request.command,
      success: result.error === undefined,
      ...(result.error !== undefined ? { message: result.error, body: result.errorBody } : { body: result.body }),
    };
    this.emit('dap.message', sessionId, response);
  }

  private answer(request: DebugProtocol.Request): void {
    const override = this.overrides.get(request.command)?.(request);
    if (override) return this.respond(request, override);
    const args = (request.arguments ?? {}) as Record<string, unknown>;
    switch (request.command) {
      case 'initialize':
        return this.respond(request, {
          body: {
            supportsConfigurationDoneRequest: true,
            supportsSetVariable: true,
            supportsCompletionsRequest: true,
            supportsRestartFrame: true,
            supportsHotReload: true,
            exceptionBreakpointFilters: [
              { filter: 'raised', label: 'Raised Exceptions', default: false },
              { filter: 'uncaught', label: 'Uncaught Exceptions', default: true },
              { filter: 'userUnhandled', label: 'User Uncaught Exceptions', default: false },
            ],
          },
        });
      case 'launch':
        this.respond(request, {});
        this.sendEvent('initialized');
        return;
      case 'setBreakpoints': {
        const path = (args.source as { path: string }).path;
        for (const key of [...this.breakpointAt.keys()]) if (key.startsWith(`${path}:`)) this.breakpointAt.delete(key);
        const breakpoints = (args.breakpoints as DebugProtocol.SourceBreakpoint[]).map((bp) => {
          const id = this.breakpointIds++;
          this.breakpointAt.set(`${path}:${bp.line}`, id);
          return { id, verified: true, line: bp.line };
        });
        return this.respond(request, { body: { breakpoints } });
      }
      case 'setExceptionBreakpoints':
        return this.respond(request, { body: {} });
      case 'configurationDone':
        this.respond(request, {});
        this.sendEvent('stopped', { reason: 'entry', threadId: 1, allThreadsStopped: true });
        return;
      case 'threads':
        return this.respond(request, { body: { threads: [{ id: 1, name: 'MainThread' }] } });
      case 'stackTrace':
        return this.respond(request, {
          body: {
            stackFrames: [
              { id: 11, name: 'work', line: 2, column: 1, source: { path: HELPER, name: 'helper.py' } },
              { id: 10, name: 'main', line: this.stopLine, column: 1, source: { path: PROGRAM, name: 'app.py' } },
            ],
            totalFrames: 2,
          },
        });
      case 'scopes':
        return this.respond(request, {
          body: {
            scopes: [
              { name: 'Locals', variablesReference: 100, expensive: false },
              { name: 'Globals', variablesReference: 200, expensive: false },
            ],
          },
        });
      case 'variables':
        return this.respond(request, { body: { variables: this.variables(args) } });
      case 'setVariable':
        return this.respond(request, { body: { value: String(args.value), type: 'int', variablesReference: 0 } });
      case 'evaluate':
        if (args.expression === 'boom') return this.respond(request, { error: "NameError: name 'boom' is not defined" });
        return this.respond(request, { body: { result: `<${String(args.expression)}>`, variablesReference: 0 } });
      case 'completions':
        return this.respond(request, { body: { targets: [{ label: 'items' }, { label: 'index' }] } });
      case 'restartFrame':
        this.respond(request, {});
        this.sendEvent('stopped', { reason: 'restart', threadId: 1 });
        return;
      case 'continue':
      case 'next':
      case 'stepIn':
      case 'stepOut':
        this.respond(request, { body: { allThreadsContinued: true } });
        return;
      case 'pause':
        this.respond(request, {});
        this.sendEvent('stopped', { reason: 'pause', threadId: 1 });
        return;
      case 'gotoTargets': {
        const line = args.line as number;
        return this.respond(request, { body: { targets: [{ id: line, label: `Line ${line}`, line }] } });
      }
      case 'goto':
        this.respond(request, {});
        this.sendEvent('stopped', { reason: 'goto', threadId: 1 });
        return;
      case 'dapper/hotReload':
        return this.hotReload(request, (args.source as { path: string }).path);
      case 'dapper/sendInput':
        return this.respond(request, {});
      case 'disconnect':
        // Like the adapter: the session ends with the response, no exited/terminated events.
        return this.respond(request, {});
      default:
        return this.respond(request, { error: `Unknown request ${request.command}` });
    }
  }

  private variables(args: Record<string, unknown>): DebugProtocol.Variable[] {
    const reference = args.variablesReference as number;
    if (reference === 100) {
      const wide = this.wideCount > 0 ? [{ name: 'wide', value: '<Wide object>', type: 'Wide', variablesReference: 400 }] : [];
      return [
        { name: 'x', value: '1', type: 'int', variablesReference: 0, evaluateName: 'x' },
        { name: 'big', value: `[0, 1, 2, ...] (${this.bigLength})`, type: 'list', variablesReference: 300, indexedVariables: this.bigLength },
        ...wide,
      ];
    }
    if (reference === 400) {
      return Array.from({ length: this.wideCount }, (_, i) => ({ name: `attr${i}`, value: String(i), variablesReference: 0 }));
    }
    if (reference === 200) return [{ name: 'helper', value: "<module 'helper'>", variablesReference: 0 }];
    if (reference === 300) {
      if (args.filter === 'named') return []; // a list has items only, as the adapter shows it
      const start = (args.start as number | undefined) ?? 0;
      const count = (args.count as number | undefined) ?? this.bigLength;
      return Array.from({ length: Math.min(count, this.bigLength - start) }, (_, i) => ({
        name: String(start + i),
        value: String(start + i),
        variablesReference: 0,
      }));
    }
    return [];
  }

  private hotReload(request: DebugProtocol.Request, path: string): void {
    const text = this.files.get(path) ?? '';
    if (text.includes('SYNTAX ERROR')) {
      const line = text.split('\n').findIndex((item) => item.includes('SYNTAX ERROR')) + 1;
      const diagnostics = [{ code: 'syntax-error', severity: 'error', message: 'invalid syntax', path, line }];
      this.respond(request, {
        error: `Syntax error at line ${line}: invalid syntax. Nothing was changed; fix it and apply again.`,
        errorBody: { diagnostics },
      });
      this.sendEvent('dapper/hotReloadResult', { success: false, durationMs: 3, diagnostics, path });
      return;
    }
    const body: HotReloadResponseBody = {
      module: 'helper',
      path,
      patchedFunctions: 1,
      patchedClasses: 0,
      addedDefinitions: 0,
      pendingDefinitions: 0,
      removedDefinitions: 0,
      reboundFrameLocals: 0,
      staleFrames: [{ frameId: 11, threadId: 1, name: 'work', line: 2, path }],
      warnings: [],
      diagnostics: [
        { code: 'module-statement-not-applied', severity: 'warning', message: 'This module-level statement was not run; restart to use it.', path, line: 1 },
      ],
      breakpointRemaps: [{ path, oldLine: 2, newLine: 3 }],
    };
    this.respond(request, { body });
    // As docs/protocol.md says: stored breakpoints move by the remaps, announced as events.
    for (const remap of body.breakpointRemaps ?? []) {
      const id = this.breakpointAt.get(`${remap.path}:${remap.oldLine}`);
      if (id === undefined) continue;
      this.breakpointAt.delete(`${remap.path}:${remap.oldLine}`);
      if (remap.newLine === null) {
        this.sendEvent('breakpoint', { reason: 'removed', breakpoint: { id, verified: false } });
      } else {
        this.breakpointAt.set(`${remap.path}:${remap.newLine}`, id);
        this.sendEvent('breakpoint', { reason: 'changed', breakpoint: { id, verified: true, line: remap.newLine, source: { path } } });
      }
    }
    this.sendEvent('loadedSource', { reason: 'changed', source: { path } });
    this.sendEvent('invalidated', { areas: ['stacks', 'variables'] });
    this.sendEvent('dapper/hotReloadResult', { ...body, success: true, durationMs: 4 });
  }
}

/** The agent's dapper/hotReload answer for a file no module of the process comes from. */
export function notLoadedRefusal(path: string): { error: string; errorBody: unknown } {
  const message = `'${path}' is not loaded by the program, so there is nothing to apply it to. It will be used as it is when the program imports it.`;
  return { error: message, errorBody: { diagnostics: [{ code: 'file-not-loaded', severity: 'error', message, path, line: 1 }] } };
}

/** Lets queued microtasks and timers (responses, events, follow-up requests) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
