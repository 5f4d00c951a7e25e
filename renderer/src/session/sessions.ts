/**
 * The live debug sessions: the launched or attached program's (the root) and one per child
 * process it started, by session id — and which of them owns the frame the user selected, so
 * Variables, Watch, hover and the Debug Console ask that session (a child's frame ids mean
 * nothing to the root's adapter).
 */
import type { DapClient } from '../dap/dapClient';
import type { DebugSession } from './debugSession';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore } from '../stores/sessionStore';

const live = new Map<string, DebugSession>();
/** The latest root session, kept after it ended so Restart knows what to start again. */
let root: DebugSession | null = null;

/** Registers a session until it ends; a session without parent becomes the root. */
export function addSession(session: DebugSession): void {
  live.set(session.id, session);
  if (!session.parent) root = session;
  session.onEnded(() => {
    if (live.get(session.id) === session) live.delete(session.id);
  });
}

/** The launched or attached program's session while it lives. */
export function rootSession(): DebugSession | null {
  return root && !root.isEnded ? root : null;
}

/** The latest root session, live or ended (what Restart starts again). */
export function latestRootSession(): DebugSession | null {
  return root;
}

export function sessionById(id: string): DebugSession | null {
  const session = live.get(id);
  return session && !session.isEnded ? session : null;
}

/** The child processes' live sessions (every session with a parent). */
export function childSessions(): DebugSession[] {
  return [...live.values()].filter((session) => session.parent !== null && !session.isEnded);
}

/** Every live session, root first. */
export function allSessions(): DebugSession[] {
  const current = rootSession();
  return [...(current ? [current] : []), ...childSessions()];
}

/** The selected frame and the session it belongs to. */
export interface FrameFocus {
  readonly session: DebugSession;
  readonly threadId: number | null;
  readonly frameId: number | null;
  /** The owning process is stopped, so the frame id is valid. */
  readonly stopped: boolean;
}

/** The frame Variables, Watch, hover and the Debug Console work in: a child process's when one is selected. */
export function focusedFrame(): FrameFocus | null {
  const focus = useProcessStore.getState().focus;
  if (focus) {
    const child = sessionById(focus.sessionId);
    const view = useProcessStore.getState().processes.find((item) => item.sessionId === focus.sessionId);
    if (child && view) return { session: child, threadId: focus.threadId, frameId: focus.frameId, stopped: view.status === 'stopped' };
  }
  const current = rootSession();
  if (!current) return null;
  const { selectedThreadId, selectedFrameId, status } = useSessionStore.getState();
  return { session: current, threadId: selectedThreadId, frameId: selectedFrameId, stopped: status === 'stopped' };
}

/** The client of the session that owns the selected frame (the root's when no child frame is selected). */
export function focusedClient(): DapClient | null {
  return focusedFrame()?.session.client ?? null;
}

/** Forgets every session (tests start from nothing). */
export function forgetAllSessions(): void {
  live.clear();
  root = null;
}
