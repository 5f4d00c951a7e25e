/** Threads and frames; a click selects the frame (editor, Variables and Watch follow); Restart Frame
 * on each row (FrameRow.tsx, FrameRestart.tsx); the child processes' frames below (ProcessTree.tsx). */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { useRestartUnavailableReason } from './FrameRestart';
import { FrameRow } from './FrameRow';
import { Panel } from './Panel';
import { ProcessTree } from './ProcessTree';
import { restartFrame } from '../session/execution';
import { loadStack, selectFrame } from '../session/frameViews';
import { useProcessStore } from '../stores/processStore';
import { isStaleFrame, useSessionStore } from '../stores/sessionStore';

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
                  <RootFrameRow key={frame.id} threadId={thread.id} frame={frame} reason={index === 0 ? stopReason : null} />
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

/** A frame of the launched program: its selection and stale marks live in sessionStore, its restart goes to the program's session. */
function RootFrameRow({
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
  const stale = useSessionStore((state) => isStaleFrame(frame, state.staleFrameIds));
  const restartUnavailable = useRestartUnavailableReason(frame);
  return (
    <FrameRow
      frame={frame}
      selected={rootSelected && !childFrameSelected}
      stale={stale}
      reason={reason}
      restartUnavailable={restartUnavailable}
      onSelect={() => void selectFrame(threadId, frame)}
      onRestart={() => void restartFrame(frame.id)}
    />
  );
}
