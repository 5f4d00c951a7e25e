/**
 * Breakpoint actions the UI calls: change the store, then tell the adapter (one
 * setBreakpoints per file, as DAP wants) when a session is running.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { getActiveClient } from './activeSession';
import { childClients } from './childClients';
import { errorText } from '../dap/dapClient';
import { useBreakpointStore, type BreakpointOptions } from '../stores/breakpointStore';
import { notify } from '../stores/noticeStore';

export async function syncBreakpointsFor(path: string): Promise<void> {
  await sendBreakpoints(path);
}

/**
 * The file's breakpoints plus one the store does not hold (Run to Cursor's); returns the
 * adapter's answer for that one (undefined when the request failed).
 */
export function syncWithTemporaryBreakpoint(path: string, line: number): Promise<DebugProtocol.Breakpoint | undefined> {
  return sendBreakpoints(path, line);
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
  const client = getActiveClient();
  if (!client) return undefined;
  const active = useBreakpointStore.getState().breakpoints.filter((bp) => bp.path === path && bp.enabled);
  const args = breakpointArguments(path, temporaryLine);
  // The program's child processes have the same breakpoints.
  for (const child of childClients()) void child.request('setBreakpoints', args).catch(() => undefined);
  try {
    const body = await client.request('setBreakpoints', args);
    useBreakpointStore.getState().applyVerification(path, active.map((bp) => bp.id), body.breakpoints.slice(0, active.length));
    return temporaryLine !== undefined ? body.breakpoints[active.length] : undefined;
  } catch (error) {
    notify('error', `Breakpoints in ${path} could not be set: ${errorText(error)}`);
    return undefined;
  }
}

export async function syncAllBreakpoints(): Promise<void> {
  const paths = new Set(useBreakpointStore.getState().breakpoints.map((bp) => bp.path));
  await Promise.all([...paths].map((path) => syncBreakpointsFor(path)));
}

export async function syncExceptionFilters(): Promise<void> {
  const client = getActiveClient();
  if (!client) return;
  const filters = useBreakpointStore.getState().exceptionFilters.filter((item) => item.enabled).map((item) => item.filter);
  for (const child of childClients()) void child.request('setExceptionBreakpoints', { filters }).catch(() => undefined);
  try {
    await client.request('setExceptionBreakpoints', { filters });
  } catch (error) {
    notify('error', `Exception breakpoints could not be set: ${errorText(error)}`);
  }
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
