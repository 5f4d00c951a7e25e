/**
 * One Call Stack frame row, the same for the launched program's frames and a child process's:
 * its name and location, the "old code" mark of a frame an Apply Changes left running old code,
 * the stop reason, and Restart Frame (button and context menu, FrameRestart.tsx). Which session
 * it belongs to is the caller's business: it says whether the row is selected and stale, why
 * Restart Frame is unavailable, and what a click and a restart do.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { useCallback, useState } from 'react';
import { FrameContextMenu, RestartFrameButton } from './FrameRestart';
import { baseName } from '../stores/editorStore';

export const OLD_CODE_SUFFIX = ' [old code]';
export const OLD_CODE_TOOLTIP =
  'This frame was already running when Apply Changes replaced its function, so it keeps running the old code until it returns. Calls made from now on run the new code.';
const RESTART_HINT = ' Restart Frame runs this call again from its first line with the new code.';

/** The frame's name without the adapter's " [old code]" suffix (the row shows a badge instead). */
export function frameDisplayName(frame: DebugProtocol.StackFrame): string {
  return frame.name.endsWith(OLD_CODE_SUFFIX) ? frame.name.slice(0, -OLD_CODE_SUFFIX.length) : frame.name;
}

export interface FrameRowProps {
  readonly frame: DebugProtocol.StackFrame;
  readonly selected: boolean;
  /** Still running the code from before an Apply Changes. */
  readonly stale: boolean;
  /** The stop reason, on the stopped thread's top frame. */
  readonly reason: string | null;
  /** Why Restart Frame cannot be used on this frame now, or null when it can. */
  readonly restartUnavailable: string | null;
  readonly onSelect: () => void;
  readonly onRestart: () => void;
}

export function FrameRow({ frame, selected, stale, reason, restartUnavailable, onSelect, onRestart }: FrameRowProps) {
  const name = frameDisplayName(frame);
  const location = frame.source?.path ? `${baseName(frame.source.path)}:${frame.line}` : frame.source?.name ?? '';
  const subtle = frame.presentationHint === 'subtle' && !stale;
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const closeMenu = useCallback(() => setMenuAt(null), []);
  return (
    <li
      className={`frame ${selected ? 'selected' : ''} ${subtle ? 'subtle' : ''} ${stale ? 'stale' : ''}`}
      onContextMenu={(event) => {
        event.preventDefault();
        setMenuAt({ x: event.clientX, y: event.clientY });
      }}
    >
      <button
        type="button"
        className="frame-button"
        aria-current={selected ? 'true' : undefined}
        aria-label={`${name}${stale ? ' (old code)' : ''}, ${location}`}
        onClick={onSelect}
      >
        <span className="frame-name">{name}</span>
        {stale ? (
          <span className="badge old-code" title={restartUnavailable === null ? OLD_CODE_TOOLTIP + RESTART_HINT : OLD_CODE_TOOLTIP}>
            old code
          </span>
        ) : null}
        {reason ? <span className="badge reason">paused on {reason}</span> : null}
        <span className="frame-location" title={frame.source?.path}>
          {location}
        </span>
      </button>
      <RestartFrameButton unavailable={restartUnavailable} prominent={stale} onRestart={onRestart} />
      {menuAt ? <FrameContextMenu frame={frame} unavailable={restartUnavailable} position={menuAt} onClose={closeMenu} onRestart={onRestart} /> : null}
    </li>
  );
}
