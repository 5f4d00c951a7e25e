/**
 * "Attach to Host…": a program started with `python -m dapper_agent --listen [HOST:]PORT`
 * (or `dapper listen`), here or on another machine: host, port, token, and optionally the
 * local folder that holds the program's sources and where they are on that machine.
 */
import { useState } from 'react';
import { attachToHost, checkHostTarget, useAttachDialogStore } from '../session/attachActions';

export function AttachToHostDialog() {
  const open = useAttachDialogStore((state) => state.dialog === 'host');
  return open ? <HostForm /> : null;
}

interface Field {
  readonly key: 'host' | 'port' | 'token' | 'localRoot' | 'remoteRoot';
  readonly label: string;
  readonly placeholder: string;
}

const FIELDS: readonly Field[] = [
  { key: 'host', label: 'Host', placeholder: '127.0.0.1' },
  { key: 'port', label: 'Port', placeholder: '5678' },
  { key: 'token', label: 'Token', placeholder: 'printed by the program, or its --token / DAPPER_TOKEN' },
  { key: 'localRoot', label: 'Local root', placeholder: 'folder here with the sources (optional)' },
  { key: 'remoteRoot', label: 'Remote root', placeholder: 'the same folder as the program sees it (optional)' },
];

function HostForm() {
  const [form, setForm] = useState({ host: '127.0.0.1', port: '', token: '', localRoot: '', remoteRoot: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const close = () => useAttachDialogStore.getState().close();
  const submit = () => {
    const wrong = checkHostTarget(form);
    if (wrong) {
      setProblem(wrong);
      return;
    }
    close();
    void attachToHost({
      host: form.host.trim(),
      port: Number(form.port),
      token: form.token.trim(),
      localRoot: form.localRoot.trim(),
      remoteRoot: form.remoteRoot.trim(),
    });
  };
  return (
    <div className="quick-open-backdrop" onMouseDown={close}>
      <form
        role="dialog"
        aria-label="Attach to Host"
        className="quick-open attach-dialog"
        onMouseDown={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          if (event.key === 'Escape') close();
        }}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <p className="muted">
          A program started with <code>python -m dapper_agent --listen [HOST:]PORT program.py</code> (python-agent/ on PYTHONPATH) or{' '}
          <code>dapper listen PORT program.py</code>.
        </p>
        {FIELDS.map((field, index) => (
          <label key={field.key} className="attach-field">
            <span>{field.label}</span>
            <input
              aria-label={field.label}
              autoFocus={index === 1}
              type={field.key === 'token' ? 'password' : 'text'}
              placeholder={field.placeholder}
              value={form[field.key]}
              onChange={(event) => setForm({ ...form, [field.key]: event.target.value })}
            />
          </label>
        ))}
        {problem ? (
          <p role="alert" className="warning-text">
            {problem}
          </p>
        ) : null}
        <div className="attach-buttons">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Attach
          </button>
        </div>
      </form>
    </div>
  );
}
