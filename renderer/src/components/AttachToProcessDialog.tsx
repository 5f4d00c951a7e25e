/**
 * "Attach to Process…": the local processes running Python (process id and command line),
 * narrowed by a filter; Enter, double-click or "Attach" attaches to the selected one. The same
 * list answers a launch configuration's `${command:pickProcess}` (attachActions.pickProcess).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PythonProcess } from '../../../common/bridge';
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import { chooseProcess, useAttachDialogStore } from '../session/attachActions';

export function AttachToProcessDialog() {
  const open = useAttachDialogStore((state) => state.dialog === 'process');
  return open ? <ProcessPicker /> : null;
}

function matchesFilter(process: PythonProcess, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${process.pid} ${process.commandLine}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

function ProcessPicker() {
  const [processes, setProcesses] = useState<readonly PythonProcess[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const close = () => useAttachDialogStore.getState().close();

  const refresh = () => {
    setProblem(null);
    getBridge()
      .invoke('processes.python')
      .then((list) => setProcesses(list))
      .catch((error: unknown) => setProblem(`Could not list the processes: ${errorText(error)}`));
  };
  useEffect(() => {
    inputRef.current?.focus();
    refresh();
  }, []);

  const shown = useMemo(() => (processes ?? []).filter((process) => matchesFilter(process, filter)), [processes, filter]);
  const current = Math.min(selected, Math.max(shown.length - 1, 0));
  const picking = useAttachDialogStore((state) => state.picking !== null);
  const attach = (process: PythonProcess | undefined) => {
    if (process) chooseProcess(process);
  };

  return (
    <div className="quick-open-backdrop" onMouseDown={close}>
      <div role="dialog" aria-label={picking ? 'Pick the process to attach to' : 'Attach to Process'} className="quick-open attach-dialog" onMouseDown={(event) => event.stopPropagation()}>
        <input
          ref={inputRef}
          role="combobox"
          aria-label="Filter processes"
          aria-expanded="true"
          aria-controls="attach-process-list"
          aria-activedescendant={shown[current] ? `attach-process-${shown[current].pid}` : undefined}
          placeholder="Filter by process id or command line"
          value={filter}
          onChange={(event) => {
            setFilter(event.target.value);
            setSelected(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') setSelected((current + 1) % Math.max(shown.length, 1));
            else if (event.key === 'ArrowUp') setSelected((current - 1 + shown.length) % Math.max(shown.length, 1));
            else if (event.key === 'Enter') attach(shown[current]);
            else if (event.key === 'Escape') close();
            else return;
            event.preventDefault();
          }}
        />
        <ul role="listbox" id="attach-process-list" aria-label="Python processes" className="quick-open-results">
          {shown.map((process, index) => (
            <li
              key={process.pid}
              id={`attach-process-${process.pid}`}
              role="option"
              aria-selected={index === current}
              className={index === current ? 'selected' : ''}
              title={`${process.executable}\n${process.commandLine}`}
              onMouseEnter={() => setSelected(index)}
              onClick={() => setSelected(index)}
              onDoubleClick={() => attach(process)}
            >
              <span className="attach-pid">{process.pid}</span> {process.commandLine}
            </li>
          ))}
        </ul>
        {processes === null && !problem ? <p className="muted quick-open-note">Looking for Python processes…</p> : null}
        {processes !== null && shown.length === 0 ? (
          <p className="muted quick-open-note">{processes.length === 0 ? 'No Python process is running.' : 'No process matches the filter.'}</p>
        ) : null}
        {problem ? <p className="quick-open-note warning-text">{problem}</p> : null}
        <div className="attach-buttons">
          <button type="button" onClick={refresh}>
            Refresh
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={!shown[current]} onClick={() => attach(shown[current])}>
            Attach
          </button>
        </div>
      </div>
    </div>
  );
}
