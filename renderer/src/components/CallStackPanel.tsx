/** Threads and frames; a click selects the frame (editor, Variables and Watch follow); Restart Frame
 * on each row (FrameRestart.tsx). */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { useCallback, useState } from 'react';
import { FrameContextMenu, RestartFrameButton, useRestartUnavailableReason } from './FrameRestart';
import { Panel } from './Panel';
import { ProcessTree } from './ProcessTree';
import { loadStack, selectFrame } from '../session/frameViews';
import { baseName } from '../stores/editorStore';
import { useProcessStore } from '../stores/processStore';
import { isStaleFrame, useSessionStore } from '../stores/sessionStore';

export const OLD_CODE_SUFFIX = ' [old code]';
export const OLD_CODE_TOOLTIP =
  'This frame was already running when Apply Changes replaced its function, so it keeps running the old code until it returns. Calls made from now on run the new code.';
const RESTART_HINT = ' Restart Frame runs this call again from its first line with the new code.';

export function CallStackPanel() {
  const status = useSessionStore((state) => state.status);
  const threads = useSessionStore((state) => state.threads);
  const framesByThread = useSessionStore((state) => state.framesByThread);
  const stopReason = useSessionStore((state) => state.stopReason);
  const stopDescription = useSessionStore((state) => state.stopDescription);
  const showThreadHeaders = threads.length > 1;
  return (
    <Panel title="Call Stack" className="callstack-panel">
      {status === 'running' ? <p className="empty">Running</p> : null}
      {status !== 'running' && threads.length === 0 ? <p className="empty">Not paused.</p> : null}
      {status === 'stopped' && stopReason === 'exception' && stopDescription ? (
        <p className="exception-info" role="note">
          {stopDescription}
        </p>
      ) : null}
      {threads.map((thread) => {
        const frames = framesByThread[thread.id];
        return (
          <div key={thread.id} className="thread">
            {showThreadHeaders ? (
              <button
                type="button"
                className="thread-header"
                aria-label={`Thread ${thread.name}`}
                onClick={() => status === 'stopped' && !frames && void loadStack(thread.id)}
              >
                {thread.name}
                {frames ? '' : status === 'stopped' ? ' — click to load frames' : ''}
              </button>
            ) : null}
            {frames ? (
              <ul className="frames" aria-label={`Frames of ${thread.name}`}>
                {frames.map((frame, index) => (
                  <FrameRow key={frame.id} threadId={thread.id} frame={frame} reason={index === 0 ? stopReason : null} />
                ))}
              </ul>
            ) : null}
          </div>
        );
      })}
      <ProcessTree />
    </Panel>
  );
}

function FrameRow({
  threadId,
  frame,
  reason,
}: {
  readonly threadId: number;
  readonly frame: DebugProtocol.StackFrame;
  readonly reason: string | null;
}) {
  const rootSelected = useSessionStore((state) => state.selectedFrameId === frame.id);
  const childFrameSelected = useProcessStore((state) => state.focus !== null);
  const selected = rootSelected && !childFrameSelected;
  const stale = useSessionStore((state) => isStaleFrame(frame, state.staleFrameIds));
  const name = frame.name.endsWith(OLD_CODE_SUFFIX) ? frame.name.slice(0, -OLD_CODE_SUFFIX.length) : frame.name;
  const location = frame.source?.path ? `${baseName(frame.source.path)}:${frame.line}` : frame.source?.name ?? '';
  const subtle = frame.presentationHint === 'subtle' && !stale;
  const restartable = useRestartUnavailableReason(frame) === null;
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
        onClick={() => void selectFrame(threadId, frame)}
      >
        <span className="frame-name">{name}</span>
        {stale ? (
          <span className="badge old-code" title={restartable ? OLD_CODE_TOOLTIP + RESTART_HINT : OLD_CODE_TOOLTIP}>
            old code
          </span>
        ) : null}
        {reason ? <span className="badge reason">paused on {reason}</span> : null}
        <span className="frame-location" title={frame.source?.path}>
          {location}
        </span>
      </button>
      <RestartFrameButton frame={frame} prominent={stale} />
      {menuAt ? <FrameContextMenu frame={frame} position={menuAt} onClose={closeMenu} /> : null}
    </li>
  );
}
