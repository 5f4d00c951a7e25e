/**
 * Starting and ending the launched or attached program's debug session (the root
 * DebugSession): dap.start → initialize → launch or attach, Stop, Restart. The adapter's
 * events go to eventRouter.ts (which answers `initialized` with the configuration), child
 * processes' sessions to childSessions.ts, execution commands to execution.ts.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperAttachArguments, DapperLaunchArguments } from '../../../common/launchConfig';
import { errorText } from '../dap/dapClient';
import { DebugSession, type SessionConfiguration } from './debugSession';
import { addSession, latestRootSession, rootSession } from './sessions';
import { watchApplyHints } from './applyHint';
import { endAllChildSessions, followChildProcesses } from './childSessions';
import { routeEvent } from './eventRouter';
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

/** A start still waiting for its adapter session: Restart in that moment starts it again. */
let pendingStart: SessionConfiguration | null = null;

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

async function startSession(configuration: SessionConfiguration): Promise<void> {
  const generation = ++startGeneration;
  if (rootSession()) await stopDebugging();
  if (generation !== startGeneration) return;
  pendingStart = configuration;
  const launch = configuration.request === 'launch' ? configuration.arguments : null;
  const program = configuration.label;
  useSessionStore.getState().beginStarting(program);
  useVariablesStore.getState().reset();
  useBreakpointStore.getState().resetVerification();
  const editor = useEditorStore.getState();
  editor.clearLoaded();
  editor.markAllRunningFromDisk();
  if (launch?.program) editor.markLoaded([launch.program]);
  useConsoleStore.getState().append('console', `${launch ? 'Starting' : 'Attaching to'} ${program}\n`);

  let session: DebugSession;
  try {
    session = await DebugSession.open(configuration);
  } catch (error) {
    if (generation !== startGeneration) return;
    pendingStart = null;
    failStart(`The debugger could not start: ${errorText(error)}`);
    return;
  }
  if (generation !== startGeneration) {
    await session.dispose();
    return;
  }
  pendingStart = null;
  addSession(session);
  watchApplyHints();
  useSessionStore.getState().setSessionId(session.id);
  session.client.onEvent((event) => routeEvent(session, event));
  followChildProcesses(session, INITIALIZE_ARGUMENTS);
  session.onEnded((reason) => finishSession(session, reason));

  try {
    const capabilities = await session.initialize(INITIALIZE_ARGUMENTS);
    useSessionStore.getState().setCapabilities(capabilities);
    if (capabilities.exceptionBreakpointFilters?.length) {
      useBreakpointStore.getState().setExceptionFilters(capabilities.exceptionBreakpointFilters);
    }
    await session.launchOrAttach();
  } catch (error) {
    if (session.isEnded) return;
    failStart(`Could not ${launch ? 'launch' : 'attach to'} ${program}: ${errorText(error)}`);
    await session.dispose();
  }
}

export async function stopDebugging(): Promise<void> {
  const session = rootSession();
  if (!session) return;
  try {
    // An attached program was running before the debugger came: Stop detaches and leaves it running.
    await withTimeout(session.client.request('disconnect', { terminateDebuggee: session.terminatesOnStop, restart: false }), STOP_TIMEOUT_MS);
  } catch {
    // The adapter may already be gone; disposing below ends the session either way.
  }
  await session.dispose();
}

export async function restartDebugging(): Promise<void> {
  const configuration = pendingStart ?? latestRootSession()?.configuration ?? null;
  const program = useSessionStore.getState().program;
  if (!configuration && !program) return;
  await stopDebugging();
  if (configuration) await startSession(configuration);
  else if (program) await startDebugging(program);
}

function failStart(message: string): void {
  useSessionStore.getState().setError(message);
  useSessionStore.getState().setTerminated(null);
  useConsoleStore.getState().append('error', `${message}\n`);
  notify('error', message);
}

/** The root session ended (terminated, stopped, or its adapter went away): the views say so. */
function finishSession(session: DebugSession, reason: string): void {
  if (latestRootSession() !== session) return;
  const state = useSessionStore.getState();
  if (isSessionActive(state.status)) {
    state.setTerminated();
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
