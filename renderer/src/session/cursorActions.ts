/**
 * Run to Cursor and Jump to Cursor, from the editor's context menu while stopped (as in VS Code;
 * PyCharm calls them Run to Cursor and Set Execution Point).
 *
 * Run to Cursor adds one temporary breakpoint the Breakpoints view never shows, in the stopped
 * process's session only (other processes do not stop on it), continues, and takes it away
 * again on the next stop (wherever that is) or when the session ends. Jump to
 * Cursor asks the adapter for a goto target on that line of the top frame and jumps there.
 * While a child process's frame is selected, both act in that process's session: the temporary
 * breakpoint is set there only (the program and the other processes do not stop on it), and
 * the goto targets and the jump are that process's.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { syncBreakpointsFor, syncWithTemporaryBreakpoint } from './breakpointSync';
import { resumeProcess } from './childSessions';
import type { DebugSession } from './debugSession';
import { continueExecution, jumpTo } from './execution';
import { focusedFrame } from './sessions';
import { errorText } from '../dap/dapClient';
import { notify } from '../stores/noticeStore';
import { useProcessStore } from '../stores/processStore';

let temporaryBreakpointPath: string | null = null;

/**
 * Where the cursor actions work: the selected frame's session, while its process is stopped —
 * a child process's when one of its frames is selected, else the launched program's.
 */
function stoppedFocus(): { session: DebugSession; childId: string | null } | null {
  const focus = focusedFrame();
  if (!focus?.stopped) return null;
  const child = useProcessStore.getState().focus;
  return { session: focus.session, childId: child && child.sessionId === focus.session.id ? child.sessionId : null };
}

export async function runToCursor(path: string, line: number): Promise<void> {
  const focus = stoppedFocus();
  if (!focus) return;
  await clearTemporaryBreakpoint();
  const placed = await syncWithTemporaryBreakpoint(path, line, focus.session);
  if (!placed?.verified) {
    notify('warning', `Run to Cursor: ${placed?.message ?? `line ${line} cannot hold a breakpoint`}`);
    await syncBreakpointsFor(path);
    return;
  }
  temporaryBreakpointPath = path;
  if (focus.childId) {
    clearOnNextStopOf(focus.session);
    await resumeProcess(focus.childId, { command: 'continue' });
  } else {
    await continueExecution();
  }
}

/** The child process's next stop (or its end) takes Run to Cursor's breakpoint away, as the program's does. */
function clearOnNextStopOf(session: DebugSession): void {
  const stop = session.client.onEvent((event) => {
    if (event.event !== 'stopped' && event.event !== 'terminated') return;
    stop();
    void clearTemporaryBreakpoint();
  });
}

/** The session ended: nothing to take away any more. */
export function forgetTemporaryBreakpoint(): void {
  temporaryBreakpointPath = null;
}

/** Called on every stop: the temporary breakpoint has done its job. */
export async function clearTemporaryBreakpoint(): Promise<void> {
  const path = temporaryBreakpointPath;
  if (path === null) return;
  temporaryBreakpointPath = null;
  await syncBreakpointsFor(path);
}

/** Jumps in the selected frame's process: goto targets come from, and the jump goes to, the session that owns it. */
export async function jumpToCursor(path: string, line: number): Promise<void> {
  const focus = stoppedFocus();
  if (!focus) return;
  let targets: DebugProtocol.GotoTarget[];
  try {
    const body = await focus.session.client.request('gotoTargets', { source: { path }, line });
    targets = body.targets;
  } catch (error) {
    notify('warning', `Jump to Cursor: ${errorText(error)}`);
    return;
  }
  const target = targets[0];
  if (!target) {
    notify('warning', `Jump to Cursor: there is nothing to jump to on line ${line}.`);
    return;
  }
  if (focus.childId) await resumeProcess(focus.childId, { command: 'goto', targetId: target.id });
  else await jumpTo(target.id);
}
