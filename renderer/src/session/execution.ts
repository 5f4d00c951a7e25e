/**
 * Execution commands from the toolbar, keys and menus: continue, the steps, Restart Frame,
 * goto and pause, sent to the launched program's session for its current thread — or, while
 * a child process's frame is selected, continue and the steps go to that process
 * (childSessions.resumeProcess; a child's Restart Frame and goto go there too, see
 * ProcessTree and cursorActions).
 */
import type { DapClient } from '../dap/dapClient';
import { errorText } from '../dap/dapClient';
import { resumeProcess, type ProcessResume } from './childSessions';
import { refreshStoppedViews } from './frameViews';
import { rootSession } from './sessions';
import { notify } from '../stores/noticeStore';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore } from '../stores/sessionStore';
import { useVariablesStore } from '../stores/variablesStore';

function currentThreadId(): number | null {
  const { selectedThreadId, threads } = useSessionStore.getState();
  return selectedThreadId ?? threads[0]?.id ?? null;
}

/** Sends a request that lets the program run (`label` names it in an error notice). */
async function resumeWith(label: string, send: (client: DapClient, threadId: number) => Promise<unknown>): Promise<void> {
  const child = useProcessStore.getState().focus;
  if (child && isProcessResume(label)) return resumeProcess(child.sessionId, { command: label });
  const session = rootSession();
  const threadId = currentThreadId();
  if (!session || threadId === null) return;
  // Marked running before the request is sent: the `stopped` event that ends this step can
  // arrive before the response, and it must win.
  const { stopReason, stopDescription } = useSessionStore.getState();
  useSessionStore.getState().setRunning();
  // Variables and Watch showing a child process's frame stay: that process is still stopped.
  if (!useProcessStore.getState().focus) useVariablesStore.getState().reset();
  try {
    await send(session.client, threadId);
  } catch (error) {
    notify('error', `${label} failed: ${errorText(error)}`);
    if (useSessionStore.getState().status === 'running') {
      useSessionStore.getState().setStopped(threadId, stopReason ?? 'pause', stopDescription);
      await refreshStoppedViews(threadId);
    }
  }
}

function isProcessResume(command: string): command is Extract<ProcessResume, { command: 'continue' }>['command'] {
  return command === 'continue' || command === 'next' || command === 'stepIn' || command === 'stepOut';
}

export const continueExecution = (): Promise<void> => resumeWith('continue', (client, threadId) => client.request('continue', { threadId }));
/** Re-runs a frame of the launched program from its first line, with the function's current (applied) code. */
export const restartFrame = (frameId: number): Promise<void> => resumeWith('restartFrame', (client) => client.request('restartFrame', { frameId }));
export const stepOver = (): Promise<void> => resumeWith('next', (client, threadId) => client.request('next', { threadId }));
/** Moves the launched program's stopped thread's top frame to a goto target (from its gotoTargets). */
export const jumpTo = (targetId: number): Promise<void> => resumeWith('goto', (client, threadId) => client.request('goto', { threadId, targetId }));
export const stepInto = (): Promise<void> => resumeWith('stepIn', (client, threadId) => client.request('stepIn', { threadId }));
export const stepOut = (): Promise<void> => resumeWith('stepOut', (client, threadId) => client.request('stepOut', { threadId }));

export async function pauseExecution(): Promise<void> {
  const session = rootSession();
  if (!session) return;
  const threadId = currentThreadId() ?? (await fetchFirstThreadId(session.client));
  if (threadId === null) return;
  try {
    await session.client.request('pause', { threadId });
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
