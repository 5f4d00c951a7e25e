/**
 * Everything that follows the selected frame: the editor jumps to its line, Variables and
 * Watch are fetched for it. One entry point so a stop, a click in Call Stack and a refresh
 * after Apply Changes all behave the same.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { getActiveClient } from './activeSession';
import { loadScopes } from './variablesModel';
import { evaluateWatches } from './watchModel';
import { openFile } from './fileActions';
import { errorText } from '../dap/dapClient';
import { useEditorStore } from '../stores/editorStore';
import { useSessionStore } from '../stores/sessionStore';
import { useVariablesStore } from '../stores/variablesStore';
import { notify } from '../stores/noticeStore';

export async function selectFrame(threadId: number, frame: DebugProtocol.StackFrame | null): Promise<void> {
  useSessionStore.getState().selectFrame(threadId, frame?.id ?? null);
  useVariablesStore.getState().reset();
  if (!frame) return;
  const path = frame.source?.path;
  const reveal = path ? revealFrame(path, frame.line) : Promise.resolve();
  await Promise.all([reveal, loadScopes(frame.id), evaluateWatches(frame.id)]);
}

async function revealFrame(path: string, line: number): Promise<void> {
  if (!useEditorStore.getState().files[path]) {
    const opened = await openFile(path, { quiet: true });
    if (!opened) return;
  }
  useEditorStore.getState().requestReveal(path, line);
}

/** Fetches threads and the stopped thread's stack, then selects its first frame with source. */
export async function refreshStoppedViews(preferredThreadId: number | null): Promise<void> {
  const client = getActiveClient();
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
    const previous = useSessionStore.getState().selectedFrameId;
    const keep = frames.find((frame) => frame.id === previous && preferredThreadId === null);
    const top = keep ?? frames.find((frame) => frame.source?.path && frame.presentationHint !== 'label') ?? frames[0] ?? null;
    await selectFrame(threadId, top);
  } catch (error) {
    notify('error', `Could not read the program's state: ${errorText(error)}`);
  }
}

export async function loadStack(threadId: number): Promise<DebugProtocol.StackFrame[]> {
  const client = getActiveClient();
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
