/**
 * Everything that follows the selected frame: the editor jumps to its line, Variables and
 * Watch are fetched for it from the session that owns it (the launched program's, or a child
 * process's). One entry point so a stop, a click in Call Stack and a refresh after Apply
 * Changes all behave the same.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { openDebugSource } from './debugSources';
import { rootSession, sessionById } from './sessions';
import { loadScopes } from './variablesModel';
import { evaluateWatches } from './watchModel';
import { openFile } from './fileActions';
import { errorText, type DapClient } from '../dap/dapClient';
import { hasSourceReference } from '../editor/debugSourceKey';
import { useEditorStore } from '../stores/editorStore';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore } from '../stores/sessionStore';
import { useVariablesStore } from '../stores/variablesStore';
import { notify } from '../stores/noticeStore';

/** Selects a frame of the launched program (a child process's selection, if any, ends). */
export async function selectFrame(threadId: number, frame: DebugProtocol.StackFrame | null): Promise<void> {
  useProcessStore.getState().setFocus(null);
  useSessionStore.getState().selectFrame(threadId, frame?.id ?? null);
  await showFrame(frame, rootSession()?.client ?? null);
}

/** Selects a frame of a stopped child process: Variables, Watch, hover and the Debug Console work there. */
export async function selectChildFrame(sessionId: string, threadId: number, frame: DebugProtocol.StackFrame): Promise<void> {
  useProcessStore.getState().setFocus({ sessionId, threadId, frameId: frame.id });
  await showFrame(frame, sessionById(sessionId)?.client ?? null);
}

/** `client` is the session that owns the frame: it serves a source this machine lacks. */
async function showFrame(frame: DebugProtocol.StackFrame | null, client: DapClient | null): Promise<void> {
  useVariablesStore.getState().reset();
  if (!frame) return;
  const source = frame.source;
  const path = source?.path;
  const reveal = hasSourceReference(source)
    ? client
      ? revealDebugSource(client, source, frame.line)
      : Promise.resolve()
    : path
      ? revealFrame(path, frame.line)
      : Promise.resolve();
  await Promise.all([reveal, loadScopes(frame.id), evaluateWatches(frame.id)]);
}

/**
 * The selected child frame's process has new frames (after Apply Changes or an evaluation):
 * the same frame is shown again if it still exists, else that process's top frame.
 */
export async function refreshChildFrame(): Promise<void> {
  const focus = useProcessStore.getState().focus;
  if (!focus) return;
  const view = useProcessStore.getState().processes.find((item) => item.sessionId === focus.sessionId);
  const frame = view?.frames.find((item) => item.id === focus.frameId) ?? view?.frames[0];
  if (view?.status === 'stopped' && frame) await selectChildFrame(focus.sessionId, view.stoppedThreadId ?? focus.threadId, frame);
  else await leaveChildFrame(focus.sessionId);
}

/** The child process whose frame is selected runs on or ended: the launched program's selection comes back. */
export async function leaveChildFrame(sessionId: string): Promise<void> {
  if (useProcessStore.getState().focus?.sessionId !== sessionId) return;
  useProcessStore.getState().setFocus(null);
  useVariablesStore.getState().reset();
  if (useSessionStore.getState().status === 'stopped') await refreshStoppedViews(null);
}

async function revealDebugSource(client: DapClient, source: DebugProtocol.Source & { sourceReference: number }, line: number): Promise<void> {
  const key = await openDebugSource(client, source);
  if (key) useEditorStore.getState().requestReveal(key, line);
}

async function revealFrame(path: string, line: number): Promise<void> {
  if (!useEditorStore.getState().files[path]) {
    const opened = await openFile(path, { quiet: true });
    if (!opened) return;
  }
  useEditorStore.getState().requestReveal(path, line);
}

/**
 * Fetches the launched program's threads and the stopped thread's stack, then selects its
 * first frame with source — unless a child process's frame is selected, which stays.
 */
export async function refreshStoppedViews(preferredThreadId: number | null): Promise<void> {
  const client = rootSession()?.client;
  if (!client) return;
  const epoch = useSessionStore.getState().stopEpoch;
  const current = () => useSessionStore.getState().stopEpoch === epoch;
  try {
    const { threads } = await client.request('threads');
    if (!current()) return;
    useSessionStore.getState().setThreads(threads);
    const threadId = preferredThreadId ?? useSessionStore.getState().selectedThreadId ?? threads[0]?.id ?? null;
    if (threadId === null) return;
    const frames = await loadStack(threadId);
    if (!current() || useSessionStore.getState().status !== 'stopped') return;
    if (useProcessStore.getState().focus) return;
    const previous = useSessionStore.getState().selectedFrameId;
    const keep = frames.find((frame) => frame.id === previous && preferredThreadId === null);
    const top = keep ?? frames.find((frame) => frame.source?.path && frame.presentationHint !== 'label') ?? frames[0] ?? null;
    await selectFrame(threadId, top);
  } catch (error) {
    notify('error', `Could not read the program's state: ${errorText(error)}`);
  }
}

export async function loadStack(threadId: number): Promise<DebugProtocol.StackFrame[]> {
  const client = rootSession()?.client;
  if (!client) return [];
  const epoch = useSessionStore.getState().stopEpoch;
  const body = await client.request('stackTrace', {
    threadId,
    startFrame: 0,
    levels: 200,
  });
  // The program moved on while the stack was on its way: these frames no longer exist.
  if (useSessionStore.getState().stopEpoch !== epoch) return [];
  useSessionStore.getState().setFrames(threadId, body.stackFrames);
  const paths = body.stackFrames.map((frame) => frame.source?.path).filter((path): path is string => Boolean(path));
  useEditorStore.getState().markLoaded(paths);
  return body.stackFrames;
}
