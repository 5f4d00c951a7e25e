/**
 * The program's child processes (docs/protocol.md, "Child processes"): the launched session's
 * `startDebugging` requests become sessions of their own, attached with the configuration the
 * adapter gave, configured with the app's breakpoints and exception filters. Each process is
 * continued, paused and stopped on its own; one stopped at a breakpoint leaves the others
 * running; one that ends is removed and its exit code written to the Debug Console; the
 * launched program's end ends them all.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CHILD_ATTACH_KEY, type ChildAttachArguments } from '../../../common/childProcesses';
import { HOT_RELOAD_REQUEST, type HotReloadDiagnostic, type HotReloadResponseBody } from '../../../common/hotReload';
import { describeFailure, errorText } from '../dap/dapClient';
import { useConsoleStore } from '../stores/consoleStore';
import { useEditorStore } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';
import { useProcessStore } from '../stores/processStore';
import { DebugSession } from './debugSession';
import { leaveChildFrame, selectChildFrame } from './frameViews';
import { addSession, childSessions, sessionById } from './sessions';

/** Makes `parent` answer startDebugging by starting a session for each child process. */
export function followChildProcesses(parent: DebugSession, initializeArguments: DebugProtocol.InitializeRequestArguments): void {
  parent.client.onReverseRequest('startDebugging', async (args) => {
    const request = args as DebugProtocol.StartDebuggingRequestArguments;
    const configuration = request?.configuration as unknown as ChildAttachArguments | undefined;
    if (request?.request !== 'attach' || !configuration || !(CHILD_ATTACH_KEY in configuration)) {
      return 'Dapper Desktop starts sessions only for child processes of the debugged program.';
    }
    void startChildSession(parent, configuration, initializeArguments);
    return undefined;
  });
}

async function startChildSession(
  parent: DebugSession,
  configuration: ChildAttachArguments,
  initializeArguments: DebugProtocol.InitializeRequestArguments,
): Promise<void> {
  const child = configuration[CHILD_ATTACH_KEY];
  let session: DebugSession;
  try {
    session = await DebugSession.open({ request: 'attach', arguments: configuration, label: configuration.name }, parent);
  } catch (error) {
    useConsoleStore.getState().append('error', `Child process ${child.pid} could not be debugged: ${errorText(error)}\n`);
    return;
  }
  if (parent.isEnded) {
    // The program's session ended meanwhile, and with it the whole tree.
    await session.dispose();
    return;
  }
  addSession(session);
  useProcessStore.getState().add({
    sessionId: session.id,
    pid: child.pid,
    parentPid: child.parentPid,
    name: configuration.name,
    commandLine: child.commandLine,
    status: 'starting',
    stopReason: null,
    stoppedThreadId: null,
    threads: [],
    frames: [],
    capabilities: {},
    staleFrameIds: [],
  });
  let exitCode: number | null = null;
  session.client.onEvent((event) => {
    if (event.event === 'exited') exitCode = (event as DebugProtocol.ExitedEvent).body.exitCode;
    else if (event.event === 'terminated') void endChildSession(session, exitCode);
    else void routeChildEvent(session, event);
  });
  session.onEnded(() => removeChild(session.id));
  try {
    const capabilities = await session.initialize({ ...initializeArguments, supportsStartDebuggingRequest: false });
    useProcessStore.getState().update(session.id, { capabilities });
    await session.launchOrAttach();
  } catch (error) {
    useConsoleStore.getState().append('error', `Child process ${child.pid} could not be debugged: ${errorText(error)}\n`);
    await endChildSession(session, null);
  }
}

async function routeChildEvent(session: DebugSession, event: DebugProtocol.Event): Promise<void> {
  const processes = useProcessStore.getState();
  switch (event.event) {
    case 'initialized':
      try {
        await session.configure();
        processes.update(session.id, { status: 'running' });
      } catch (error) {
        notify('error', `A child process could not be configured: ${errorText(error)}`);
      }
      return;
    case 'stopped': {
      const body = (event as DebugProtocol.StoppedEvent).body;
      processes.update(session.id, { status: 'stopped', stopReason: body.reason, stoppedThreadId: body.threadId ?? null });
      await refreshChildStack(session, body.threadId ?? null);
      if (session.selectOnNextStop) {
        session.selectOnNextStop = false;
        await selectTopFrame(session.id);
      }
      return;
    }
    case 'continued':
      markRunning(session.id);
      return;
    case 'capabilities':
      session.addCapabilities((event as DebugProtocol.CapabilitiesEvent).body.capabilities);
      processes.update(session.id, { capabilities: session.capabilities });
      return;
    default:
      return;
  }
}

/** The process runs on: its frames are gone (and Variables leave them if they showed one). */
function markRunning(sessionId: string): void {
  useProcessStore.getState().update(sessionId, { status: 'running', stopReason: null, stoppedThreadId: null, frames: [], staleFrameIds: [] });
  void leaveChildFrame(sessionId);
}

/** After a step in a selected child frame: the process's top frame with source is selected. */
async function selectTopFrame(sessionId: string): Promise<void> {
  const view = useProcessStore.getState().processes.find((item) => item.sessionId === sessionId);
  const top = view?.frames.find((frame) => frame.source?.path && frame.presentationHint !== 'label') ?? view?.frames[0];
  if (view?.status === 'stopped' && top) await selectChildFrame(sessionId, view.stoppedThreadId ?? view.threads[0]?.id ?? 1, top);
}

async function refreshChildStack(session: DebugSession, threadId: number | null): Promise<void> {
  try {
    const { threads } = await session.client.request('threads');
    const thread = threadId ?? threads[0]?.id ?? null;
    const frames = thread === null ? [] : (await session.client.request('stackTrace', { threadId: thread, startFrame: 0, levels: 50 })).stackFrames;
    useProcessStore.getState().update(session.id, { threads, frames, stoppedThreadId: thread });
    // A file the process runs is one Apply Changes can be offered for, as with the program's frames.
    useEditorStore.getState().markLoaded(frames.map((frame) => frame.source?.path).filter((path): path is string => Boolean(path)));
  } catch {
    // The process went on or ended meanwhile; its next event says which.
  }
}

async function endChildSession(session: DebugSession, exitCode: number | null): Promise<void> {
  const view = useProcessStore.getState().processes.find((item) => item.sessionId === session.id);
  if (view) {
    useConsoleStore
      .getState()
      .append('console', `Process ${view.pid} (${view.name}) ${exitCode === null ? 'ended' : `exited with code ${exitCode}`}\n`);
  }
  removeChild(session.id);
  await session.dispose();
}

function removeChild(sessionId: string): void {
  void leaveChildFrame(sessionId);
  useProcessStore.getState().remove(sessionId);
}

/** What lets a stopped child process's thread run: continue, a step, a jump (goto) or Restart Frame. */
export type ProcessResume =
  | { readonly command: 'continue' | 'next' | 'stepIn' | 'stepOut' }
  | { readonly command: 'goto'; readonly targetId: number }
  | { readonly command: 'restartFrame'; readonly frameId: number };

const RESUME_LABEL: Readonly<Record<ProcessResume['command'], string>> = {
  continue: 'Continue',
  next: 'Step Over',
  stepIn: 'Step Into',
  stepOut: 'Step Out',
  goto: 'Jump to Cursor',
  restartFrame: 'Restart Frame',
};

/**
 * Lets a stopped child process run: continue, or step, jump or restart a frame in its stopped
 * thread (the toolbar, the editor's menu and Call Stack, while one of its frames is selected or
 * acted on). When its frame was selected, or a frame of it was restarted, its next stop is
 * selected. A request the adapter refuses leaves the process stopped where it was.
 */
export async function resumeProcess(sessionId: string, resume: ProcessResume): Promise<void> {
  const session = sessionById(sessionId);
  const view = useProcessStore.getState().processes.find((item) => item.sessionId === sessionId);
  if (!session || !view || view.status !== 'stopped') return;
  const threadId = view.stoppedThreadId ?? view.threads[0]?.id ?? 1;
  const focused = useProcessStore.getState().focus?.sessionId === sessionId;
  session.selectOnNextStop = focused || resume.command === 'restartFrame';
  // Marked running before the request: the stop that ends a step can come before the response.
  markRunning(sessionId);
  try {
    await sendResume(session.client, threadId, resume);
  } catch (error) {
    notify('error', `${RESUME_LABEL[resume.command]} failed in process ${view.pid}: ${errorText(error)}`);
    // Nothing ran: the process is still stopped where it was (unless an event said otherwise meanwhile).
    if (useProcessStore.getState().processes.find((item) => item.sessionId === sessionId)?.status !== 'running') return;
    useProcessStore.getState().update(sessionId, { status: 'stopped', stopReason: view.stopReason, stoppedThreadId: threadId });
    await refreshChildStack(session, threadId);
    if (session.selectOnNextStop) {
      session.selectOnNextStop = false;
      await selectTopFrame(sessionId);
    }
  }
}

function sendResume(client: DebugSession['client'], threadId: number, resume: ProcessResume): Promise<unknown> {
  switch (resume.command) {
    case 'continue':
      return client.request('continue', { threadId });
    case 'next':
      return client.request('next', { threadId });
    case 'stepIn':
      return client.request('stepIn', { threadId });
    case 'stepOut':
      return client.request('stepOut', { threadId });
    case 'goto':
      return client.request('goto', { threadId, targetId: resume.targetId });
    case 'restartFrame':
      return client.request('restartFrame', { frameId: resume.frameId });
  }
}

/** Restart Frame on a child process's frame (Call Stack): the process runs that call again; its stop is selected. */
export function restartProcessFrame(sessionId: string, frameId: number): Promise<void> {
  return resumeProcess(sessionId, { command: 'restartFrame', frameId });
}

export function continueProcess(sessionId: string): Promise<void> {
  return resumeProcess(sessionId, { command: 'continue' });
}

export async function pauseProcess(sessionId: string): Promise<void> {
  const session = sessionById(sessionId);
  if (!session) return;
  const threads = await session.client.request('threads').catch(() => ({ threads: [] as DebugProtocol.Thread[] }));
  await session.client.request('pause', { threadId: threads.threads[0]?.id ?? 1 }).catch((error: unknown) => {
    notify('error', `Pause failed: ${errorText(error)}`);
  });
}

export async function stopProcess(sessionId: string): Promise<void> {
  const session = sessionById(sessionId);
  if (!session) return;
  await session.client.request('terminate').catch(() => undefined);
}

export async function continueAllProcesses(): Promise<void> {
  const stopped = useProcessStore.getState().processes.filter((item) => item.status === 'stopped');
  await Promise.all(stopped.map((item) => continueProcess(item.sessionId)));
}

export async function pauseAllProcesses(): Promise<void> {
  const running = useProcessStore.getState().processes.filter((item) => item.status === 'running');
  await Promise.all(running.map((item) => pauseProcess(item.sessionId)));
}

/** The launched program ended or was stopped: its children's sessions go too (the adapter ended the processes). */
export async function endAllChildSessions(): Promise<void> {
  await Promise.all(childSessions().map((session) => endChildSession(session, null)));
  useProcessStore.getState().clear();
}

/** What Apply Changes did in one child process. */
export interface ChildApplyOutcome {
  readonly pid: number;
  readonly success: boolean;
  /** The process has not loaded the file: nothing to apply there (it uses the file as saved if it imports it). */
  readonly notLoaded: boolean;
  readonly message: string;
  readonly body: HotReloadResponseBody | undefined;
}

/** A `dapper/hotReload` refusal because no module of the process comes from the file. */
export function isNotLoadedRefusal(diagnostics: readonly HotReloadDiagnostic[] | undefined): boolean {
  return (diagnostics ?? []).some((item) => item.code === 'file-not-loaded');
}

/** Applies the saved `path` in every child process, stopped or running (the agent knows which loaded it). */
export async function applyInChildProcesses(path: string): Promise<ChildApplyOutcome[]> {
  const views = useProcessStore.getState().processes.filter((item) => item.status !== 'starting');
  return Promise.all(
    views.map(async (view): Promise<ChildApplyOutcome> => {
      const session = sessionById(view.sessionId);
      if (!session) return { pid: view.pid, success: false, notLoaded: false, message: 'the process has ended', body: undefined };
      try {
        const response = await session.client.requestRaw(HOT_RELOAD_REQUEST, { source: { path } });
        const body = response.body as HotReloadResponseBody | undefined;
        if (view.status === 'stopped') {
          // Its frames that still run the old code are marked in Call Stack, as the program's are.
          if (response.success) useProcessStore.getState().update(view.sessionId, { staleFrameIds: (body?.staleFrames ?? []).map((frame) => frame.frameId) });
          await refreshChildStack(session, view.stoppedThreadId);
        }
        const notLoaded = !response.success && isNotLoadedRefusal((response.body as { diagnostics?: HotReloadDiagnostic[] } | undefined)?.diagnostics);
        return { pid: view.pid, success: response.success, notLoaded, message: response.success ? '' : describeFailure(response), body };
      } catch (error) {
        return { pid: view.pid, success: false, notLoaded: false, message: errorText(error), body: undefined };
      }
    }),
  );
}
