/**
 * The program's child processes, each debugged in its own session (docs/protocol.md, "Child
 * processes"): what Call Stack shows under the launched program — process (name, PID,
 * command line) → threads → frames of the stopped thread — and which child frame the user
 * selected (Variables, Watch, hover and the Debug Console follow it).
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
  /** What the process's adapter session offers (Restart Frame, …): its initialize answer and `capabilities` events. */
  readonly capabilities: DebugProtocol.Capabilities;
  /**
   * Frames an Apply Changes left running old code during this stop (the apply's `staleFrames`);
   * frame ids mean nothing after the process runs on, when the frames' own " [old code]" names say it.
   */
  readonly staleFrameIds: readonly number[];
}

/** A frame of a child process, selected in Call Stack. */
export interface ChildFrameFocus {
  readonly sessionId: string;
  readonly threadId: number;
  readonly frameId: number;
}

export interface ProcessState {
  /** In the order the processes started. */
  readonly processes: readonly ChildProcessView[];
  /** The selected child frame; null when the selection is the launched program's (sessionStore). */
  readonly focus: ChildFrameFocus | null;
  add(process: ChildProcessView): void;
  update(sessionId: string, change: Partial<ChildProcessView>): void;
  remove(sessionId: string): void;
  setFocus(focus: ChildFrameFocus | null): void;
  clear(): void;
}

export const useProcessStore = create<ProcessState>((set) => ({
  processes: [],
  focus: null,
  add: (process) => set((state) => ({ processes: [...state.processes.filter((item) => item.sessionId !== process.sessionId), process] })),
  update: (sessionId, change) =>
    set((state) => ({ processes: state.processes.map((item) => (item.sessionId === sessionId ? { ...item, ...change } : item)) })),
  remove: (sessionId) =>
    set((state) => ({
      processes: state.processes.filter((item) => item.sessionId !== sessionId),
      focus: state.focus?.sessionId === sessionId ? null : state.focus,
    })),
  setFocus: (focus) => set({ focus }),
  clear: () => set({ processes: [], focus: null }),
}));
