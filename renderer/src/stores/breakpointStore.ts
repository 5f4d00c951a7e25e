/**
 * Source breakpoints and exception filters as the user set them, plus what the adapter
 * reported back (verified, actual line, message). Breakpoints keep a local id; the
 * adapter's id is attached after each setBreakpoints so `breakpoint` events (moved after
 * an Apply Changes, verified later) find their breakpoint.
 */
import { create } from 'zustand';
import type { DebugProtocol } from '@vscode/debugprotocol';

export interface SourceBreakpoint {
  readonly id: string;
  readonly path: string;
  readonly line: number;
  readonly enabled: boolean;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  readonly verified: boolean;
  readonly message?: string;
  readonly adapterId?: number;
}

export type BreakpointOptions = Pick<SourceBreakpoint, 'condition' | 'hitCondition' | 'logMessage'>;

export interface ExceptionFilter {
  readonly filter: string;
  readonly label: string;
  readonly description?: string;
  readonly enabled: boolean;
}

/** What a Python debugger offers before the adapter says otherwise (debugpy's filter names). */
export const DEFAULT_EXCEPTION_FILTERS: readonly ExceptionFilter[] = [
  { filter: 'raised', label: 'Raised Exceptions', enabled: false },
  { filter: 'uncaught', label: 'Uncaught Exceptions', enabled: true },
  { filter: 'userUnhandled', label: 'User Uncaught Exceptions', enabled: false },
];

interface BreakpointState {
  readonly breakpoints: readonly SourceBreakpoint[];
  readonly exceptionFilters: readonly ExceptionFilter[];
  toggle(path: string, line: number): void;
  add(path: string, line: number, options?: BreakpointOptions): void;
  remove(id: string): void;
  removeAll(): void;
  setEnabled(id: string, enabled: boolean): void;
  setOptions(id: string, options: BreakpointOptions): void;
  /** Records the adapter's answer to setBreakpoints for `path` (same order as sent). */
  applyVerification(path: string, sentIds: readonly string[], results: readonly DebugProtocol.Breakpoint[]): void;
  /** Handles a `breakpoint` event: a breakpoint moved, got verified, or was removed (returned). */
  applyBreakpointEvent(reason: string, breakpoint: DebugProtocol.Breakpoint): SourceBreakpoint | null;
  /**
   * The editor moved a breakpoint with the text around it (lines inserted or deleted above
   * it), as VS Code does. Landing on a line that already has one merges the two.
   */
  moveTo(id: string, line: number): void;
  /** A session ended: nothing is verified any more. */
  resetVerification(): void;
  setExceptionFilters(filters: readonly DebugProtocol.ExceptionBreakpointsFilter[]): void;
  setExceptionFilterEnabled(filter: string, enabled: boolean): void;
}

let nextBreakpointId = 1;

export const useBreakpointStore = create<BreakpointState>()((set, get) => ({
  breakpoints: [],
  exceptionFilters: DEFAULT_EXCEPTION_FILTERS,
  toggle(path, line) {
    const existing = get().breakpoints.find((bp) => bp.path === path && bp.line === line);
    if (existing) get().remove(existing.id);
    else get().add(path, line);
  },
  add(path, line, options) {
    const breakpoint: SourceBreakpoint = {
      id: `bp${nextBreakpointId++}`,
      path,
      line,
      enabled: true,
      verified: false,
      ...cleanOptions(options ?? {}),
    };
    set({ breakpoints: [...get().breakpoints, breakpoint] });
  },
  remove(id) {
    set({ breakpoints: get().breakpoints.filter((bp) => bp.id !== id) });
  },
  removeAll: () => set({ breakpoints: [] }),
  setEnabled(id, enabled) {
    update(set, get, (bp) => (bp.id === id ? { ...bp, enabled } : bp));
  },
  setOptions(id, options) {
    update(set, get, (bp) => {
      if (bp.id !== id) return bp;
      const { condition: _c, hitCondition: _h, logMessage: _l, ...rest } = bp;
      return { ...rest, ...cleanOptions(options) };
    });
  },
  applyVerification(path, sentIds, results) {
    update(set, get, (bp) => {
      if (bp.path !== path) return bp;
      const index = sentIds.indexOf(bp.id);
      if (index < 0) return bp.enabled ? bp : { ...bp, verified: false, adapterId: undefined };
      const result = results[index];
      if (!result) return { ...bp, verified: false };
      return {
        ...bp,
        verified: result.verified,
        message: result.message,
        adapterId: result.id,
        line: result.line ?? bp.line,
      };
    });
  },
  applyBreakpointEvent(reason, breakpoint) {
    if (breakpoint.id === undefined) return null;
    if (reason === 'removed') {
      const removed = get().breakpoints.find((bp) => bp.adapterId === breakpoint.id) ?? null;
      set({ breakpoints: get().breakpoints.filter((bp) => bp.adapterId !== breakpoint.id) });
      return removed;
    }
    update(set, get, (bp) =>
      bp.adapterId === breakpoint.id
        ? {
            ...bp,
            verified: breakpoint.verified,
            message: breakpoint.message,
            line: breakpoint.line ?? bp.line,
            path: breakpoint.source?.path ?? bp.path,
          }
        : bp,
    );
    return null;
  },
  moveTo(id, line) {
    const moving = get().breakpoints.find((bp) => bp.id === id);
    if (!moving || moving.line === line) return;
    const occupied = get().breakpoints.some((bp) => bp.id !== id && bp.path === moving.path && bp.line === line);
    if (occupied) get().remove(id);
    else update(set, get, (bp) => (bp.id === id ? { ...bp, line } : bp));
  },
  resetVerification() {
    update(set, get, (bp) => ({ ...bp, verified: false, message: undefined, adapterId: undefined }));
  },
  setExceptionFilters(filters) {
    const previous = get().exceptionFilters;
    set({
      exceptionFilters: filters.map((filter) => ({
        filter: filter.filter,
        label: filter.label,
        description: filter.description,
        enabled: previous.find((item) => item.filter === filter.filter)?.enabled ?? Boolean(filter.default),
      })),
    });
  },
  setExceptionFilterEnabled(filter, enabled) {
    set({
      exceptionFilters: get().exceptionFilters.map((item) => (item.filter === filter ? { ...item, enabled } : item)),
    });
  },
}));

type Setter = (partial: Partial<BreakpointState>) => void;

function update(set: Setter, get: () => BreakpointState, change: (bp: SourceBreakpoint) => SourceBreakpoint): void {
  set({ breakpoints: get().breakpoints.map(change) });
}

function cleanOptions(options: BreakpointOptions): BreakpointOptions {
  const result: { condition?: string; hitCondition?: string; logMessage?: string } = {};
  if (options.condition?.trim()) result.condition = options.condition.trim();
  if (options.hitCondition?.trim()) result.hitCondition = options.hitCondition.trim();
  if (options.logMessage?.trim()) result.logMessage = options.logMessage;
  return result;
}

export function breakpointsForPath(breakpoints: readonly SourceBreakpoint[], path: string): SourceBreakpoint[] {
  return breakpoints.filter((bp) => bp.path === path);
}
