/** Session state, interpreter, unapplied changes and the last Apply Changes outcome. */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { applyCandidates } from '../session/applyChanges';
import { RestartStaleFrameOffer } from './FrameRestart';
import { baseName, selectUnappliedPaths, useEditorStore } from '../stores/editorStore';
import { useSessionStore, type SessionStatus } from '../stores/sessionStore';
import { useSettingsStore } from '../stores/settingsStore';
import { effectiveInterpreter, refreshInterpreters } from '../session/interpreterActions';
import { useInterpreterStore } from '../stores/interpreterStore';
import { useUiStore } from '../stores/uiStore';
import { useWorkspaceStore } from '../stores/workspaceStore';

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
  const folder = useWorkspaceStore((state) => state.folder);
  useSettingsStore((state) => state.settings); // the interpreter choice lives there
  const discovery = useInterpreterStore((state) => state.discovery);
  const chosen = effectiveInterpreter();
  const unapplied = useEditorStore(useShallow(selectUnappliedPaths));

  const state =
    status === 'stopped' && stopReason
      ? `Paused (${stopReason})`
      : status === 'terminated' && exitCode !== null
        ? `Ended (exit code ${exitCode})`
        : STATUS_TEXT[status];
  useEffect(() => {
    // The folder's settings.json default and venvs decide the interpreter: look once per folder.
    if (folder) void refreshInterpreters();
  }, [folder]);
  const known = discovery?.interpreters.find((item) => item.path === chosen.path);
  const interpreter = python?.version
    ? `Python ${python.version}${python.implementation && python.implementation !== 'cpython' ? ` (${python.implementation})` : ''}`
    : chosen.path
      ? `Python${known?.version ? ` ${known.version}` : ''}: ${chosen.path}`
      : 'Python: automatic (venv, else python3)';
  return (
    <footer className={`status-bar status-${status}`} role="status" aria-label="Status">
      <span className="status-item session-state">{state}</span>
      {program ? <span className="status-item" title={program}>{baseName(program)}</span> : null}
      <button
        type="button"
        className="status-item status-button"
        aria-label="Select Interpreter"
        title={`Select Interpreter — ${python?.executable ?? (chosen.path || 'automatic')}`}
        onClick={() => useInterpreterStore.getState().setPickerVisible(true)}
      >
        {interpreter}
      </button>
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
      {lastApply?.success && !applying ? <RestartStaleFrameOffer /> : null}
      {error ? <span className="status-item error-text">{error}</span> : null}
      <button
        type="button"
        className="status-item status-button settings-button"
        aria-label="Settings"
        title="Settings"
        onClick={() => useUiStore.getState().setSettingsVisible(true)}
      >
        <span aria-hidden="true">⚙</span>
      </button>
    </footer>
  );
}
