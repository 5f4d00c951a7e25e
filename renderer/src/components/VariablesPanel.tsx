import { Panel } from './Panel';
import { VariableTree } from './VariableTree';
import { useSessionStore } from '../stores/sessionStore';
import { useVariablesStore } from '../stores/variablesStore';

export function VariablesPanel() {
  const scopeKeys = useVariablesStore((state) => state.scopeKeys);
  const scopesError = useVariablesStore((state) => state.errors['scopes']);
  const status = useSessionStore((state) => state.status);
  const empty =
    status === 'stopped' ? 'Loading variables…' : status === 'running' ? 'Pause the program to see its variables.' : 'Not debugging.';
  return (
    <Panel title="Variables" className="variables-panel">
      {scopesError ? <p className="error-text">Variables could not be read: {scopesError}</p> : null}
      <VariableTree rootKeys={scopeKeys} label="Variables" emptyText={empty} />
    </Panel>
  );
}
