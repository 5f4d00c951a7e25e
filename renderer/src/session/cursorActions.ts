/**
 * Run to Cursor and Jump to Cursor, from the editor's context menu while stopped (as in VS Code;
 * PyCharm calls them Run to Cursor and Set Execution Point).
 *
 * Run to Cursor adds one temporary breakpoint the Breakpoints view never shows, continues, and
 * takes it away again on the next stop (wherever that is) or when the session ends. Jump to
 * Cursor asks the adapter for a goto target on that line of the top frame and jumps there.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { syncBreakpointsFor, syncWithTemporaryBreakpoint } from './breakpointSync';
import { continueExecution, jumpTo } from './execution';
import { rootSession } from './sessions';
import { errorText } from '../dap/dapClient';
import { notify } from '../stores/noticeStore';
import { useSessionStore } from '../stores/sessionStore';

let temporaryBreakpointPath: string | null = null;

export async function runToCursor(path: string, line: number): Promise<void> {
  if (useSessionStore.getState().status !== 'stopped') return;
  await clearTemporaryBreakpoint();
  const placed = await syncWithTemporaryBreakpoint(path, line);
  if (!placed?.verified) {
    notify('warning', `Run to Cursor: ${placed?.message ?? `line ${line} cannot hold a breakpoint`}`);
    await syncBreakpointsFor(path);
    return;
  }
  temporaryBreakpointPath = path;
  await continueExecution();
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

export async function jumpToCursor(path: string, line: number): Promise<void> {
  const client = rootSession()?.client;
  if (!client || useSessionStore.getState().status !== 'stopped') return;
  let targets: DebugProtocol.GotoTarget[];
  try {
    const body = await client.request('gotoTargets', { source: { path }, line });
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
  await jumpTo(target.id);
}
