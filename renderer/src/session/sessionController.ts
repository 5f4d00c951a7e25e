/**
 * Session lifecycle as a DAP client: dap.start → initialize → launch; on `initialized`
 * the breakpoints of every file, the exception filters and configurationDone; then the
 * execution commands of the toolbar. Events are routed in eventRouter.ts.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperAttachArguments, DapperLaunchArguments } from '../../../common/launchConfig';
import { getBridge } from '../bridge/bridgeAccess';
import { DapClient, errorText } from '../dap/dapClient';
import { getActiveClient, setActiveClient } from './activeSession';
import { endAllChildSessions, followChildProcesses } from './childSessions';
import { routeEvent } from './eventRouter';
import { refreshStoppedViews } from './frameViews';
import { syncAllBreakpoints, syncExceptionFilters } from './breakpointSync';
import { useBreakpointStore } from '../stores/breakpointStore';
import { useConsoleStore } from '../stores/consoleStore';
import { useEditorStore } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';
import { isSessionActive, useSessionStore } from '../stores/sessionStore';
import { useSettingsStore } from '../stores/settingsStore';
import { useVariablesStore } from '../stores/variablesStore';
import { effectiveInterpreter } from './interpreterActions';
import { isUnder, useWorkspaceStore } from '../stores/workspaceStore';

export const INITIALIZE_ARGUMENTS: DebugProtocol.InitializeRequestArguments = {
  clientID: 'dapper-desktop',
  clientName: 'Dapper Desktop',
  adapterID: 'dapper',
  locale: 'en',
  linesStartAt1: true,
  columnsStartAt1: true,
  pathFormat: 'path',
  supportsVariableType: true,
  supportsVariablePaging: true,
  supportsRunInTerminalRequest: false,
  supportsInvalidatedEvent: true,
  supportsProgressReporting: false,
  supportsMemoryReferences: false,
  supportsStartDebuggingRequest: true,
};

const STOP_TIMEOUT_MS = 3000;

/** What a session was started with: Restart does it again; Stop ends a launch, detaches an attach. */
type SessionStart =
  | { readonly request: 'launch'; readonly arguments: DapperLaunchArguments; readonly label: string }
  | { readonly request: 'attach'; readonly arguments: DapperAttachArguments; readonly label: string };
let lastStart: SessionStart | null = null;
let activeRequest: SessionStart['request'] = 'launch';

/**
 * The interpreter the app launches with when a launch does not name one (see
 * interpreterActions.effectiveInterpreter); empty means the adapter's default.
 */
export function chosenInterpreter(): string {
  return effectiveInterpreter().path;
}

export function buildLaunchArguments(program: string): DapperLaunchArguments {
  const { settings } = useSettingsStore.getState();
  // In a folder, "Current File" runs from the folder, as VS Code's Python debugger does.
  const folder = useWorkspaceStore.getState().folder;
  return {
    program,
    ...(folder && isUnder(program, folder) ? { cwd: folder } : {}),
    stopOnEntry: settings.stopOnEntry,
    justMyCode: settings.justMyCode,
    console: 'internalConsole',
    ...(chosenInterpreter() ? { python: chosenInterpreter() } : {}),
  };
}

/** Bumped by every start: a start that a later one overtook gives up (one session at a time). */
let startGeneration = 0;

export async function startDebugging(program: string): Promise<void> {
  return startLaunch(buildLaunchArguments(program));
}

/** What a launch runs, for the status bar and the console: the script, or `python -m module`. */
export function launchLabel(launch: DapperLaunchArguments): string {
  if (launch.program) return launch.program;
  return launch.module ? `python -m ${launch.module}` : 'the program';
}

/** Starts a session with complete launch arguments (a launch.json configuration, a test run). */
export function startLaunch(launch: DapperLaunchArguments): Promise<void> {
  return startSession({ request: 'launch', arguments: launch, label: launchLabel(launch) });
}

/** Attaches to a running program (Attach to Process…, Attach to Host…, an attach configuration). */
export function startAttach(attach: DapperAttachArguments, label: string): Promise<void> {
  return startSession({ request: 'attach', arguments: attach, label });
}

async function startSession(start: SessionStart): Promise<void> {
  const generation = ++startGeneration;
  if (getActiveClient()) await stopDebugging();
  if (generation !== startGeneration) return;
  lastStart = start;
  const launch = start.request === 'launch' ? start.arguments : null;
  const program = start.label;
  const session = useSessionStore.getState();
  session.beginStarting(program);
  useVariablesStore.getState().reset();
  useBreakpointStore.getState().resetVerification();
  const editor = useEditorStore.getState();
  editor.clearLoaded();
  editor.markAllRunningFromDisk();
  if (launch?.program) editor.markLoaded([launch.program]);
  useConsoleStore.getState().append('console', `${launch ? 'Starting' : 'Attaching to'} ${program}\n`);

  let client: DapClient;
  try {
    const bridge = getBridge();
    const { sessionId } = await bridge.invoke('dap.start', start.request === 'launch' ? { launch: start.arguments } : { attach: start.arguments });
    if (generation !== startGeneration) {
      await bridge.invoke('dap.dispose', sessionId).catch(() => undefined);
      return;
    }
    client = new DapClient(bridge, sessionId);
  } catch (error) {
    failStart(`The debugger could not start: ${errorText(error)}`);
    return;
  }
  setActiveClient(client);
  activeRequest = start.request;
  useSessionStore.getState().setSessionId(client.sessionId);
  client.onEvent((event) => routeEvent(client, event));
  followChildProcesses(client, INITIALIZE_ARGUMENTS);
  client.onClosed((reason) => {
    if (getActiveClient() === null || getActiveClient() === client) finishSession(client, reason);
  });

  try {
    const capabilities = await client.request('initialize', INITIALIZE_ARGUMENTS);
    useSessionStore.getState().setCapabilities(capabilities ?? {});
    if (capabilities?.exceptionBreakpointFilters?.length) {
      useBreakpointStore.getState().setExceptionFilters(capabilities.exceptionBreakpointFilters);
    }
    if (start.request === 'launch') await client.request('launch', start.arguments);
    else await client.request('attach', start.arguments);
  } catch (error) {
    if (client.isClosed) return;
    failStart(`Could not ${launch ? 'launch' : 'attach to'} ${program}: ${errorText(error)}`);
    await disposeSession(client);
  }
}

/** Answer to the adapter's `initialized` event: configuration, then configurationDone. */
export async function configureSession(client: DapClient): Promise<void> {
  await Promise.all([syncAllBreakpoints(), syncExceptionFilters()]);
  try {
    await client.request('configurationDone');
    if (useSessionStore.getState().status === 'starting') useSessionStore.getState().setRunning();
  } catch (error) {
    notify('error', `The debugger did not accept the configuration: ${errorText(error)}`);
  }
}

export async function stopDebugging(): Promise<void> {
  const client = getActiveClient();
  if (!client) return;
  try {
    // An attached program was running before the debugger came: Stop detaches and leaves it running.
    const terminateDebuggee = activeRequest !== 'attach';
    await withTimeout(client.request('disconnect', { terminateDebuggee, restart: false }), STOP_TIMEOUT_MS);
  } catch {
    // The adapter may already be gone; disposing below ends the session either way.
  }
  await disposeSession(client);
}

export async function restartDebugging(): Promise<void> {
  const start = lastStart;
  const program = useSessionStore.getState().program;
  if (!start && !program) return;
  await stopDebugging();
  if (start) await startSession(start);
  else if (program) await startDebugging(program);
}

function currentThreadId(): number | null {
  const { selectedThreadId, threads } = useSessionStore.getState();
  return selectedThreadId ?? threads[0]?.id ?? null;
}

/** Sends a request that lets the program run (`label` names it in an error notice). */
async function resumeWith(label: string, send: (client: DapClient, threadId: number) => Promise<unknown>): Promise<void> {
  const client = getActiveClient();
  const threadId = currentThreadId();
  if (!client || threadId === null) return;
  // Marked running before the request is sent: the `stopped` event that ends this step can
  // arrive before the response, and it must win.
  const { stopReason, stopDescription } = useSessionStore.getState();
  useSessionStore.getState().setRunning();
  useVariablesStore.getState().reset();
  try {
    await send(client, threadId);
  } catch (error) {
    notify('error', `${label} failed: ${errorText(error)}`);
    if (useSessionStore.getState().status === 'running') {
      useSessionStore.getState().setStopped(threadId, stopReason ?? 'pause', stopDescription);
      await refreshStoppedViews(threadId);
    }
  }
}

export const continueExecution = (): Promise<void> => resumeWith('continue', (client, threadId) => client.request('continue', { threadId }));
/** Re-runs a frame from its first line, with the function's current (applied) code. */
export const restartFrame = (frameId: number): Promise<void> => resumeWith('restartFrame', (client) => client.request('restartFrame', { frameId }));
export const stepOver = (): Promise<void> => resumeWith('next', (client, threadId) => client.request('next', { threadId }));
/** Moves the stopped thread's top frame to a goto target (from gotoTargets). */
export const jumpTo = (targetId: number): Promise<void> => resumeWith('goto', (client, threadId) => client.request('goto', { threadId, targetId }));
export const stepInto = (): Promise<void> => resumeWith('stepIn', (client, threadId) => client.request('stepIn', { threadId }));
export const stepOut = (): Promise<void> => resumeWith('stepOut', (client, threadId) => client.request('stepOut', { threadId }));

export async function pauseExecution(): Promise<void> {
  const client = getActiveClient();
  if (!client) return;
  const threadId = currentThreadId() ?? (await fetchFirstThreadId(client));
  if (threadId === null) return;
  try {
    await client.request('pause', { threadId });
  } catch (error) {
    notify('error', `Pause failed: ${errorText(error)}`);
  }
}

async function fetchFirstThreadId(client: DapClient): Promise<number | null> {
  try {
    const { threads } = await client.request('threads');
    useSessionStore.getState().setThreads(threads);
    return threads[0]?.id ?? null;
  } catch {
    return null;
  }
}

function failStart(message: string): void {
  useSessionStore.getState().setError(message);
  useSessionStore.getState().setTerminated(null);
  useConsoleStore.getState().append('error', `${message}\n`);
  notify('error', message);
}

export function finishSession(client: DapClient, reason?: string): void {
  if (getActiveClient() === client || getActiveClient() === null) setActiveClient(null);
  const session = useSessionStore.getState();
  if (isSessionActive(session.status)) {
    session.setTerminated();
    const exit = useSessionStore.getState().exitCode;
    useConsoleStore
      .getState()
      .append('console', `Session ended${exit !== null ? ` (exit code ${exit})` : ''}${reason && reason !== 'terminated' ? `: ${reason}` : ''}\n`);
  }
  useVariablesStore.getState().reset();
  useBreakpointStore.getState().resetVerification();
  useEditorStore.getState().clearApplied();
  useEditorStore.getState().clearLoaded();
  // Stopping the session ends the whole tree (the adapter ends the processes themselves).
  void endAllChildSessions();
}

export async function disposeSession(client: DapClient): Promise<void> {
  finishSession(client);
  client.close('terminated');
  try {
    await getBridge().invoke('dap.dispose', client.sessionId);
  } catch {
    // Already disposed by the host (adapter exited).
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
