/** Session state, interpreter, unapplied changes and the last Apply Changes outcome. */
import { useShallow } from 'zustand/react/shallow';
import { applyCandidates } from '../session/applyChanges';
import { baseName, selectUnappliedPaths, useEditorStore } from '../stores/editorStore';
import { useSessionStore, type SessionStatus } from '../stores/sessionStore';
import { useSettingsStore } from '../stores/settingsStore';

const STATUS_TEXT: Record<SessionStatus, string> = {
  idle: 'Not debugging',
  starting: 'Starting…',
  running: 'Running',
  stopped: 'Paused',
  terminated: 'Ended',
};

export function StatusBar() {
  const status = useSessionStore((state) => state.status);
  const stopReason = useSessionStore((state) => state.stopReason);
  const program = useSessionStore((state) => state.program);
  const python = useSessionStore((state) => state.pythonInfo);
  const error = useSessionStore((state) => state.error);
  const exitCode = useSessionStore((state) => state.exitCode);
  const lastApply = useSessionStore((state) => state.lastApply);
  const applying = useSessionStore((state) => state.applying);
  const interpreterSetting = useSettingsStore((state) => state.settings.python);
  const unapplied = useEditorStore(useShallow(selectUnappliedPaths));

  const state =
    status === 'stopped' && stopReason
      ? `Paused (${stopReason})`
      : status === 'terminated' && exitCode !== null
        ? `Ended (exit code ${exitCode})`
        : STATUS_TEXT[status];
  const interpreter = python?.version
    ? `Python ${python.version}${python.implementation && python.implementation !== 'cpython' ? ` (${python.implementation})` : ''}`
    : `Python: ${python?.executable || interpreterSetting || 'automatic (venv, else python3)'}`;
  return (
    <footer className={`status-bar status-${status}`} role="status" aria-label="Status">
      <span className="status-item session-state">{state}</span>
      {program ? <span className="status-item" title={program}>{baseName(program)}</span> : null}
      <span className="status-item" title={python?.executable ?? interpreterSetting}>
        {interpreter}
      </span>
      <span className="status-item unapplied" title={unapplied.join('\n')}>
        {unapplied.length === 0
          ? 'No unapplied changes'
          : `${unapplied.length} unapplied ${unapplied.length === 1 ? 'change' : 'changes'}${
              applyCandidates().length > 0 ? ' — Apply Changes (Ctrl+Alt+Enter)' : ''
            }`}
      </span>
      {applying ? <span className="status-item">Applying changes…</span> : null}
      {lastApply && !applying ? (
        <span className={`status-item apply-summary ${lastApply.success ? 'ok' : 'failed'}`} title={lastApply.message}>
          {lastApply.message}
        </span>
      ) : null}
      {error ? <span className="status-item error-text">{error}</span> : null}
    </footer>
  );
}
