/**
 * The program's child processes, each debugged in its own session (docs/protocol.md, "Child
 * processes"): what Call Stack shows under the launched program — process (name, PID,
 * command line) → threads → frames of the stopped thread.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { create } from 'zustand';

export type ChildProcessStatus = 'starting' | 'running' | 'stopped';

export interface ChildProcessView {
  readonly sessionId: string;
  readonly pid: number;
  readonly parentPid: number;
  readonly name: string;
  readonly commandLine: readonly string[];
  readonly status: ChildProcessStatus;
  readonly stopReason: string | null;
  readonly stoppedThreadId: number | null;
  readonly threads: readonly DebugProtocol.Thread[];
  /** Frames of the stopped thread, while stopped. */
  readonly frames: readonly DebugProtocol.StackFrame[];
}

interface ProcessState {
  /** In the order the processes started. */
  readonly processes: readonly ChildProcessView[];
  add(process: ChildProcessView): void;
  update(sessionId: string, change: Partial<ChildProcessView>): void;
  remove(sessionId: string): void;
  clear(): void;
}

export const useProcessStore = create<ProcessState>((set) => ({
  processes: [],
  add: (process) => set((state) => ({ processes: [...state.processes.filter((item) => item.sessionId !== process.sessionId), process] })),
  update: (sessionId, change) =>
    set((state) => ({ processes: state.processes.map((item) => (item.sessionId === sessionId ? { ...item, ...change } : item)) })),
  remove: (sessionId) => set((state) => ({ processes: state.processes.filter((item) => item.sessionId !== sessionId) })),
  clear: () => set({ processes: [] }),
}));
