/**
 * The debug session as the user sees it: lifecycle state, threads, call stacks, the
 * selected frame, frames left running old code by Apply Changes, and the last apply's
 * outcome. Async work (DAP requests) lives in session/; this store only records results.
 */
import { create } from 'zustand';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { HotReloadDiagnostic, StaleFrame } from '../../../common/hotReload';

export type SessionStatus = 'idle' | 'starting' | 'running' | 'stopped' | 'terminated';

export interface PythonInfo {
  readonly version?: string;
  readonly executable?: string;
  readonly implementation?: string;
}

export interface ApplySummary {
  readonly path: string;
  readonly success: boolean;
  /** One line for the user: what was patched and how long it took, or why nothing was. */
  readonly message: string;
  readonly durationMs: number;
  readonly diagnostics: readonly HotReloadDiagnostic[];
  readonly at: number;
}

export interface SessionState {
  readonly status: SessionStatus;
  readonly sessionId: string | null;
  readonly program: string | null;
  readonly capabilities: DebugProtocol.Capabilities;
  readonly threads: readonly DebugProtocol.Thread[];
  readonly framesByThread: Readonly<Record<number, readonly DebugProtocol.StackFrame[]>>;
  readonly selectedThreadId: number | null;
  readonly selectedFrameId: number | null;
  readonly stopReason: string | null;
  readonly stopDescription: string | null;
  readonly staleFrameIds: readonly number[];
  readonly pythonInfo: PythonInfo | null;
  readonly exitCode: number | null;
  readonly applying: boolean;
  readonly lastApply: ApplySummary | null;
  /** A problem the user must see (start-up failure, adapter crash), shown in the status bar. */
  readonly error: string | null;
  /** Bumped on every stop and every resume, so answers for an earlier stop are dropped. */
  readonly stopEpoch: number;
  /**
   * F5 was pressed while the session was starting: it means "run until a breakpoint", so the
   * program continues past its entry stop (a breakpoint stop already fulfils it).
   */
  readonly continuePastEntry: boolean;
  beginStarting(program: string): void;
  setSessionId(sessionId: string): void;
  setCapabilities(capabilities: DebugProtocol.Capabilities): void;
  setRunning(): void;
  setStopped(threadId: number | null, reason: string, description: string | null): void;
  setThreads(threads: readonly DebugProtocol.Thread[]): void;
  setFrames(threadId: number, frames: readonly DebugProtocol.StackFrame[]): void;
  selectFrame(threadId: number, frameId: number | null): void;
  setStaleFrames(frames: readonly StaleFrame[]): void;
  setPythonInfo(info: PythonInfo): void;
  setTerminated(exitCode?: number | null): void;
  setApplying(applying: boolean): void;
  setLastApply(summary: ApplySummary | null): void;
  setError(error: string | null): void;
  setContinuePastEntry(pending: boolean): void;
}

export const useSessionStore = create<SessionState>()((set, get) => ({
  status: 'idle',
  sessionId: null,
  program: null,
  capabilities: {},
  threads: [],
  framesByThread: {},
  selectedThreadId: null,
  selectedFrameId: null,
  stopReason: null,
  stopDescription: null,
  staleFrameIds: [],
  pythonInfo: null,
  exitCode: null,
  applying: false,
  lastApply: null,
  error: null,
  stopEpoch: 0,
  continuePastEntry: false,
  beginStarting(program) {
    set({
      status: 'starting',
      program,
      sessionId: null,
      capabilities: {},
      threads: [],
      framesByThread: {},
      selectedThreadId: null,
      selectedFrameId: null,
      stopReason: null,
      stopDescription: null,
      staleFrameIds: [],
      exitCode: null,
      applying: false,
      lastApply: null,
      error: null,
      continuePastEntry: false,
    });
  },
  setSessionId: (sessionId) => set({ sessionId }),
  setCapabilities: (capabilities) => set({ capabilities }),
  setRunning() {
    if (get().status === 'terminated' || get().status === 'idle') return;
    set({
      status: 'running',
      framesByThread: {},
      selectedFrameId: null,
      stopReason: null,
      stopDescription: null,
      // Frame ids from an apply's staleFrames are only valid during that stop; afterwards
      // the agent's own marking (" [old code]") says which frames still run old code.
      staleFrameIds: [],
      stopEpoch: get().stopEpoch + 1,
    });
  },
  setStopped(threadId, reason, description) {
    set({
      status: 'stopped',
      selectedThreadId: threadId ?? get().selectedThreadId,
      stopReason: reason,
      stopDescription: description,
      stopEpoch: get().stopEpoch + 1,
    });
  },
  setThreads: (threads) => set({ threads }),
  setFrames(threadId, frames) {
    set({ framesByThread: { ...get().framesByThread, [threadId]: frames } });
  },
  selectFrame: (selectedThreadId, selectedFrameId) => set({ selectedThreadId, selectedFrameId }),
  setStaleFrames(frames) {
    set({ staleFrameIds: frames.map((frame) => frame.frameId) });
  },
  setPythonInfo: (pythonInfo) => set({ pythonInfo }),
  setTerminated(exitCode) {
    set({
      status: 'terminated',
      threads: [],
      framesByThread: {},
      selectedFrameId: null,
      staleFrameIds: [],
      applying: false,
      exitCode: exitCode ?? get().exitCode,
    });
  },
  setApplying: (applying) => set({ applying }),
  setLastApply: (lastApply) => set({ lastApply }),
  setError: (error) => set({ error }),
  setContinuePastEntry: (continuePastEntry) => set({ continuePastEntry }),
}));

export function isSessionActive(status: SessionStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'stopped';
}

/** The agent marks frames running replaced code; the hotReload response lists them too. */
export function isStaleFrame(frame: DebugProtocol.StackFrame, staleFrameIds: readonly number[]): boolean {
  return staleFrameIds.includes(frame.id) || frame.name.endsWith(' [old code]');
}

export function selectSelectedFrame(state: Pick<SessionState, 'framesByThread' | 'selectedThreadId' | 'selectedFrameId'>):
  | DebugProtocol.StackFrame
  | null {
  if (state.selectedThreadId === null || state.selectedFrameId === null) return null;
  return state.framesByThread[state.selectedThreadId]?.find((frame) => frame.id === state.selectedFrameId) ?? null;
}
