import { Panel } from './Panel';
import { VariableTree } from './VariableTree';
import { addWatchExpression } from '../session/watchModel';
import { notify } from '../stores/noticeStore';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore } from '../stores/sessionStore';
import { useVariablesStore, type TreeNode } from '../stores/variablesStore';

export function VariablesPanel() {
  const scopeKeys = useVariablesStore((state) => state.scopeKeys);
  const scopesError = useVariablesStore((state) => state.errors['scopes']);
  const rootStatus = useSessionStore((state) => state.status);
  // A selected child process frame belongs to a stopped process, whatever the launched program does.
  const childFrameSelected = useProcessStore((state) => state.focus !== null);
  const status = childFrameSelected ? 'stopped' : rootStatus;
  const empty =
    status === 'stopped' ? 'Loading variables…' : status === 'running' ? 'Pause the program to see its variables.' : 'Not debugging.';
  return (
    <Panel title="Variables" className="variables-panel">
      {scopesError ? <p className="error-text">Variables could not be read: {scopesError}</p> : null}
      <VariableTree rootKeys={scopeKeys} label="Variables" emptyText={empty} variableActions={(node) => <VariableActions node={node} />} />
    </Panel>
  );
}

/** As VS Code's Variables context menu: watch the expression, copy the value (shown on hover and focus). */
function VariableActions({ node }: { readonly node: TreeNode }) {
  const expression = node.evaluateName;
  return (
    <span className="row-actions">
      {expression ? (
        <button
          type="button"
          className="icon-button"
          aria-label={`Add ${expression} to Watch`}
          title={`Add to Watch: ${expression}`}
          onClick={() => void addWatchExpression(expression)}
        >
          👁
        </button>
      ) : null}
      <button
        type="button"
        className="icon-button"
        aria-label={`Copy value of ${node.name}`}
        title="Copy Value"
        onClick={() => void copyValue(node)}
      >
        ⧉
      </button>
    </span>
  );
}

async function copyValue(node: TreeNode): Promise<void> {
  try {
    await navigator.clipboard.writeText(node.value);
  } catch (error) {
    notify('error', `The value of ${node.name} could not be copied: ${error instanceof Error ? error.message : String(error)}`);
  }
}
