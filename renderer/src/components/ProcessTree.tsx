/** Call Stack's child processes: process (name, PID, command line) → threads → frames of the
 * stopped thread, with Continue / Pause / Stop for each process and for all of them. A click on
 * a frame selects it: the editor shows its line, Variables and Watch its values. Each frame row
 * is the program's (FrameRow.tsx): "old code" after an apply, Restart Frame sent to the process's
 * own session, disabled with the reason that process's adapter gives. */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { restartUnavailableReason } from './FrameRestart';
import { FrameRow } from './FrameRow';
import { useProcessStore, type ChildProcessView } from '../stores/processStore';
import { isStaleFrame } from '../stores/sessionStore';
import {
  continueAllProcesses,
  continueProcess,
  pauseAllProcesses,
  pauseProcess,
  restartProcessFrame,
  stopProcess,
} from '../session/childSessions';
import { selectChildFrame } from '../session/frameViews';

export function ProcessTree() {
  const processes = useProcessStore((state) => state.processes);
  if (processes.length === 0) return null;
  const anyStopped = processes.some((item) => item.status === 'stopped');
  const anyRunning = processes.some((item) => item.status === 'running');
  return (
    <section className="process-tree" aria-label="Child processes">
      <div className="process-tree-header">
        <span>Child processes ({processes.length})</span>
        <button type="button" aria-label="Continue all processes" disabled={!anyStopped} onClick={() => void continueAllProcesses()}>
          ▶
        </button>
        <button type="button" aria-label="Pause all processes" disabled={!anyRunning} onClick={() => void pauseAllProcesses()}>
          ⏸
        </button>
      </div>
      <ul className="processes">
        {processes.map((item) => (
          <ProcessRow key={item.sessionId} process={item} />
        ))}
      </ul>
    </section>
  );
}

function ProcessRow({ process }: { readonly process: ChildProcessView }) {
  const selectedFrameId = useProcessStore((state) => (state.focus?.sessionId === process.sessionId ? state.focus.frameId : null));
  const label = `${process.name}, ${process.status === 'stopped' ? `paused on ${process.stopReason ?? 'pause'}` : process.status}`;
  return (
    <li className={`process ${process.status}`} aria-label={`Process ${process.pid}`}>
      <div className="process-header" title={process.commandLine.join(' ')}>
        <span className="process-name">{label}</span>
        <span className="process-command">{process.commandLine.slice(1).join(' ')}</span>
        <button
          type="button"
          aria-label={`Continue process ${process.pid}`}
          disabled={process.status !== 'stopped'}
          onClick={() => void continueProcess(process.sessionId)}
        >
          ▶
        </button>
        <button
          type="button"
          aria-label={`Pause process ${process.pid}`}
          disabled={process.status !== 'running'}
          onClick={() => void pauseProcess(process.sessionId)}
        >
          ⏸
        </button>
        <button type="button" aria-label={`Stop process ${process.pid}`} onClick={() => void stopProcess(process.sessionId)}>
          ■
        </button>
      </div>
      {process.status === 'stopped' ? (
        <ul className="frames" aria-label={`Frames of process ${process.pid}`}>
          {process.threads
            .filter((thread) => thread.id === process.stoppedThreadId)
            .map((thread) => (
              <li key={thread.id} className="thread-header">
                {thread.name}
              </li>
            ))}
          {process.frames.map((frame) => (
            <ChildFrameRow key={frame.id} process={process} frame={frame} selected={frame.id === selectedFrameId} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function ChildFrameRow({
  process,
  frame,
  selected,
}: {
  readonly process: ChildProcessView;
  readonly frame: DebugProtocol.StackFrame;
  readonly selected: boolean;
}) {
  return (
    <FrameRow
      frame={frame}
      selected={selected}
      stale={isStaleFrame(frame, process.staleFrameIds)}
      // The process's header says why it is paused.
      reason={null}
      restartUnavailable={restartUnavailableReason(frame, process)}
      onSelect={() => void selectChildFrame(process.sessionId, process.stoppedThreadId ?? process.threads[0]?.id ?? 1, frame)}
      onRestart={() => void restartProcessFrame(process.sessionId, frame.id)}
    />
  );
}
