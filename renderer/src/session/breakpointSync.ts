/**
 * Breakpoint actions the UI calls: change the store, then tell the adapter (one
 * setBreakpoints per file, as DAP wants) when a session is running.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugSession } from './debugSession';
import { childSessions, rootSession } from './sessions';
import { errorText } from '../dap/dapClient';
import { useBreakpointStore, type BreakpointOptions } from '../stores/breakpointStore';
import { notify } from '../stores/noticeStore';

export async function syncBreakpointsFor(path: string): Promise<void> {
  await sendBreakpoints(path);
}

/**
 * The file's breakpoints plus one the store does not hold (Run to Cursor's); returns the
 * adapter's answer for that one (undefined when the request failed). In a child process's
 * session (Run to Cursor in its frame) it goes to that process only: the others do not stop there.
 */
export async function syncWithTemporaryBreakpoint(path: string, line: number, target?: DebugSession): Promise<DebugProtocol.Breakpoint | undefined> {
  if (!target?.isChild) return sendBreakpoints(path, line);
  const args = breakpointArguments(path, line);
  try {
    const body = await target.client.request('setBreakpoints', args);
    return body.breakpoints.at(-1);
  } catch (error) {
    notify('error', `Breakpoints in ${path} could not be set: ${errorText(error)}`);
    return undefined;
  }
}

/** setBreakpoints for `path` from the store (plus a line the store does not hold). */
export function breakpointArguments(path: string, temporaryLine?: number): DebugProtocol.SetBreakpointsArguments {
  const active = useBreakpointStore.getState().breakpoints.filter((bp) => bp.path === path && bp.enabled);
  const breakpoints: DebugProtocol.SourceBreakpoint[] = active.map((bp) => ({
    line: bp.line,
    ...(bp.condition ? { condition: bp.condition } : {}),
    ...(bp.hitCondition ? { hitCondition: bp.hitCondition } : {}),
    ...(bp.logMessage ? { logMessage: bp.logMessage } : {}),
  }));
  if (temporaryLine !== undefined) breakpoints.push({ line: temporaryLine });
  return {
    source: { path, name: path.split(/[\\/]/).pop() },
    breakpoints,
    lines: breakpoints.map((bp) => bp.line),
    sourceModified: false,
  };
}

async function sendBreakpoints(path: string, temporaryLine?: number): Promise<DebugProtocol.Breakpoint | undefined> {
  const root = rootSession();
  if (!root) return undefined;
  // The program's child processes have the same breakpoints; Run to Cursor's in the program
  // is the program's only (theirs do not change).
  if (temporaryLine === undefined) {
    const args = breakpointArguments(path);
    for (const child of childSessions()) void child.client.request('setBreakpoints', args).catch(() => undefined);
  }
  return sendRootBreakpoints(root, path, temporaryLine);
}

/** setBreakpoints to the launched program's session; its answers verify (or move) the store's breakpoints. */
async function sendRootBreakpoints(root: DebugSession, path: string, temporaryLine?: number): Promise<DebugProtocol.Breakpoint | undefined> {
  const active = useBreakpointStore.getState().breakpoints.filter((bp) => bp.path === path && bp.enabled);
  try {
    const body = await root.client.request('setBreakpoints', breakpointArguments(path, temporaryLine));
    useBreakpointStore.getState().applyVerification(path, active.map((bp) => bp.id), body.breakpoints.slice(0, active.length));
    return temporaryLine !== undefined ? body.breakpoints[active.length] : undefined;
  } catch (error) {
    notify('error', `Breakpoints in ${path} could not be set: ${errorText(error)}`);
    return undefined;
  }
}

function enabledExceptionFilters(): string[] {
  return useBreakpointStore.getState().exceptionFilters.filter((item) => item.enabled).map((item) => item.filter);
}

export async function syncExceptionFilters(): Promise<void> {
  const root = rootSession();
  if (!root) return;
  const filters = enabledExceptionFilters();
  for (const child of childSessions()) void child.client.request('setExceptionBreakpoints', { filters }).catch(() => undefined);
  try {
    await root.client.request('setExceptionBreakpoints', { filters });
  } catch (error) {
    notify('error', `Exception breakpoints could not be set: ${errorText(error)}`);
  }
}

/**
 * A new session's breakpoint configuration (before configurationDone): every file's
 * breakpoints and the exception filters, sent to that session only. The launched program's
 * answers verify the store's breakpoints and failures are shown; a child process's failure
 * is thrown to the caller.
 */
export async function configureBreakpoints(session: DebugSession): Promise<void> {
  const paths = [...new Set(useBreakpointStore.getState().breakpoints.map((bp) => bp.path))];
  const filters = enabledExceptionFilters();
  if (session.isChild) {
    await Promise.all(paths.map((path) => session.client.request('setBreakpoints', breakpointArguments(path))));
    await session.client.request('setExceptionBreakpoints', { filters });
    return;
  }
  const exceptions = session.client.request('setExceptionBreakpoints', { filters }).catch((error: unknown) => {
    notify('error', `Exception breakpoints could not be set: ${errorText(error)}`);
  });
  await Promise.all([...paths.map((path) => sendRootBreakpoints(session, path)), exceptions]);
}

export function toggleBreakpoint(path: string, line: number): Promise<void> {
  useBreakpointStore.getState().toggle(path, line);
  return syncBreakpointsFor(path);
}

export function setBreakpointEnabled(id: string, enabled: boolean): Promise<void> {
  useBreakpointStore.getState().setEnabled(id, enabled);
  return syncPathOf(id);
}

export function setBreakpointOptions(id: string, options: BreakpointOptions): Promise<void> {
  useBreakpointStore.getState().setOptions(id, options);
  return syncPathOf(id);
}

export function addBreakpointWithOptions(path: string, line: number, options: BreakpointOptions): Promise<void> {
  const existing = useBreakpointStore.getState().breakpoints.find((bp) => bp.path === path && bp.line === line);
  if (existing) useBreakpointStore.getState().setOptions(existing.id, options);
  else useBreakpointStore.getState().add(path, line, options);
  return syncBreakpointsFor(path);
}

export async function removeBreakpoint(id: string): Promise<void> {
  const bp = useBreakpointStore.getState().breakpoints.find((item) => item.id === id);
  useBreakpointStore.getState().remove(id);
  if (bp) await syncBreakpointsFor(bp.path);
}

export async function removeAllBreakpoints(): Promise<void> {
  const paths = new Set(useBreakpointStore.getState().breakpoints.map((bp) => bp.path));
  useBreakpointStore.getState().removeAll();
  await Promise.all([...paths].map((path) => syncBreakpointsFor(path)));
}

export function setExceptionFilterEnabled(filter: string, enabled: boolean): Promise<void> {
  useBreakpointStore.getState().setExceptionFilterEnabled(filter, enabled);
  return syncExceptionFilters();
}

function syncPathOf(id: string): Promise<void> {
  const bp = useBreakpointStore.getState().breakpoints.find((item) => item.id === id);
  return bp ? syncBreakpointsFor(bp.path) : Promise.resolve();
}
