/** Watch expressions: added here, evaluated in the selected frame at every stop. */
import { useState } from 'react';
import { Panel } from './Panel';
import { VariableTree } from './VariableTree';
import { evaluateWatch } from '../session/watchModel';
import { useSessionStore } from '../stores/sessionStore';
import { useVariablesStore } from '../stores/variablesStore';
import { useWatchStore, watchNodeKey } from '../stores/watchStore';

export function WatchPanel() {
  const expressions = useWatchStore((state) => state.expressions);
  const [draft, setDraft] = useState('');
  const add = () => {
    const item = useWatchStore.getState().add(draft);
    if (!item) return;
    setDraft('');
    const frameId = useSessionStore.getState().selectedFrameId;
    void evaluateWatch(item, frameId, useVariablesStore.getState().generation);
  };
  return (
    <Panel title="Watch" className="watch-panel">
      <form
        className="watch-add"
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <input
          aria-label="Add watch expression"
          placeholder="Add expression…"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
      </form>
      <ul className="watch-list" aria-label="Watch expressions">
        {expressions.map((item) => (
          <WatchRow key={item.id} id={item.id} expression={item.expression} />
        ))}
      </ul>
    </Panel>
  );
}

function WatchRow({ id, expression }: { readonly id: string; readonly expression: string }) {
  const key = watchNodeKey(id);
  const evaluated = useVariablesStore((state) => Boolean(state.nodes[key]));
  const error = useVariablesStore((state) => state.errors[key]);
  const stopped = useSessionStore((state) => state.status === 'stopped');
  const remove = (
    <button
      type="button"
      className="icon-button"
      aria-label={`Remove watch expression ${expression}`}
      title="Remove expression"
      onClick={() => useWatchStore.getState().remove(id)}
    >
      ✕
    </button>
  );
  return (
    <li className="watch-item">
      {evaluated ? (
        <VariableTree rootKeys={[key]} label={`Watch ${expression}`} emptyText="" renderActions={() => remove} />
      ) : (
        <div className="tree-row kind-watch">
          <span className="var-name">{expression}</span>
          <span className="var-separator"> = </span>
          <span className={error ? 'error-text' : 'var-value muted'}>{error ?? (stopped ? 'evaluating…' : 'not available')}</span>
          {remove}
        </div>
      )}
    </li>
  );
}
