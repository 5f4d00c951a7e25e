/**
 * Restart Frame on a Call Stack row: a button (shown on hover and focus, always on a frame
 * left running old code) and the row's context menu. Where the adapter says the frame cannot
 * be restarted, both stay visible but disabled, with its reason as the tooltip.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { useEffect, useRef } from 'react';
import { restartRefusalOf, type RestartableFrameFields } from '../../../common/restartFrame';
import { restartProcessFrame } from '../session/childSessions';
import { restartFrame } from '../session/execution';
import { useProcessStore, type ChildProcessStatus, type ProcessState } from '../stores/processStore';
import { isStaleFrame, selectSelectedFrame, useSessionStore, type SessionState } from '../stores/sessionStore';

export const RESTART_FRAME_TOOLTIP =
  'Restart Frame: run this call again from its first line, with the function’s current code and the values its ' +
  'parameters hold now. What it already did (output, changed arguments, files written) is not undone.';

/** Why Restart Frame is unavailable for this frame right now, or null when it is available. */
export function restartUnavailableReason(
  frame: DebugProtocol.StackFrame,
  state: { readonly status: SessionState['status'] | ChildProcessStatus; readonly capabilities: DebugProtocol.Capabilities },
): string | null {
  if (!state.capabilities.supportsRestartFrame) return 'This debugger does not offer Restart Frame.';
  if (state.status !== 'stopped') return 'Restart Frame works while the program is stopped.';
  return restartRefusalOf(frame as DebugProtocol.StackFrame & RestartableFrameFields) ?? null;
}

/**
 * After an apply: the frame the user is looking at (the selected one, else the stopped
 * thread's top frame) when it still runs old code and can be restarted — what the apply
 * summary offers to restart in one click.
 */
export function selectStaleFrameToRestart(state: SessionState): DebugProtocol.StackFrame | null {
  if (state.selectedThreadId === null) return null;
  const frame = selectSelectedFrame(state) ?? state.framesByThread[state.selectedThreadId]?.[0] ?? null;
  if (!frame || !isStaleFrame(frame, state.staleFrameIds)) return null;
  return restartUnavailableReason(frame, state) === null ? frame : null;
}

/** The same for a selected child process frame: the one the summary offers while that frame is selected. */
export function selectStaleChildFrameToRestart(state: Pick<ProcessState, 'focus' | 'processes'>): DebugProtocol.StackFrame | null {
  const focus = state.focus;
  const view = focus ? state.processes.find((item) => item.sessionId === focus.sessionId) : undefined;
  const frame = focus && view ? view.frames.find((item) => item.id === focus.frameId) : undefined;
  if (!view || !frame || !isStaleFrame(frame, view.staleFrameIds)) return null;
  return restartUnavailableReason(frame, view) === null ? frame : null;
}

export function useRestartUnavailableReason(frame: DebugProtocol.StackFrame): string | null {
  return useSessionStore((state) => restartUnavailableReason(frame, state));
}

/** `unavailable`: why the frame cannot be restarted now (null: it can); `onRestart` sends it to the frame's session. */
export function RestartFrameButton({
  unavailable,
  prominent,
  onRestart,
}: {
  readonly unavailable: string | null;
  readonly prominent: boolean;
  readonly onRestart: () => void;
}) {
  return (
    <button
      type="button"
      className={`icon-button frame-restart ${prominent && !unavailable ? 'prominent' : ''}`}
      aria-label="Restart Frame"
      aria-disabled={unavailable ? 'true' : undefined}
      title={unavailable ?? RESTART_FRAME_TOOLTIP}
      onClick={() => {
        if (!unavailable) onRestart();
      }}
    >
      ↺
    </button>
  );
}

/**
 * The apply summary's one-click offer, shown while the current frame still runs old code: the
 * selected child process frame's (restarted in that process) when one is selected, else the program's.
 */
export function RestartStaleFrameOffer() {
  const childSessionId = useProcessStore((state) => state.focus?.sessionId ?? null);
  const childFrame = useProcessStore(selectStaleChildFrameToRestart);
  const rootFrame = useSessionStore(selectStaleFrameToRestart);
  const frame = childSessionId !== null ? childFrame : rootFrame;
  if (!frame) return null;
  const name = frame.name.replace(/ \[old code\]$/, '');
  return (
    <button
      type="button"
      className="status-action"
      title={`${name} still runs the code from before the apply. ${RESTART_FRAME_TOOLTIP}`}
      onClick={() => void (childSessionId !== null ? restartProcessFrame(childSessionId, frame.id) : restartFrame(frame.id))}
    >
      Restart frame
    </button>
  );
}

/** The row's context menu; closes on Escape, a click elsewhere, or after its action. */
export function FrameContextMenu({
  frame,
  unavailable,
  position,
  onClose,
  onRestart,
}: {
  readonly frame: DebugProtocol.StackFrame;
  readonly unavailable: string | null;
  readonly position: { readonly x: number; readonly y: number };
  readonly onClose: () => void;
  readonly onRestart: () => void;
}) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [onClose]);
  return (
    <div
      ref={menu}
      className="context-menu"
      role="menu"
      aria-label={`Frame ${frame.name}`}
      style={{ left: position.x, top: position.y }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <button
        type="button"
        role="menuitem"
        aria-disabled={unavailable ? 'true' : undefined}
        title={unavailable ?? RESTART_FRAME_TOOLTIP}
        onClick={() => {
          if (unavailable) return;
          onClose();
          onRestart();
        }}
      >
        Restart Frame
      </button>
      {unavailable ? <p className="context-menu-note">{unavailable}</p> : null}
    </div>
  );
}
