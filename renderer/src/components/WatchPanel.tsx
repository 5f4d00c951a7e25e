/** Watch expressions: added here, evaluated in the selected frame at every stop. */
import { useRef, useState } from 'react';
import { Panel } from './Panel';
import { VariableTree } from './VariableTree';
import { addWatchExpression, evaluateWatchNow } from '../session/watchModel';
import { useProcessStore } from '../stores/processStore';
import { useSessionStore } from '../stores/sessionStore';
import { useVariablesStore } from '../stores/variablesStore';
import { useWatchStore, watchNodeKey } from '../stores/watchStore';

export function WatchPanel() {
  const expressions = useWatchStore((state) => state.expressions);
  const [draft, setDraft] = useState('');
  const add = () => {
    if (!draft.trim()) return;
    setDraft('');
    void addWatchExpression(draft);
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
  const [editing, setEditing] = useState(false);
  if (editing) return <WatchEditor id={id} expression={expression} onDone={() => setEditing(false)} />;
  return <WatchValue id={id} expression={expression} onEdit={() => setEditing(true)} />;
}

function WatchEditor({ id, expression, onDone }: { readonly id: string; readonly expression: string; readonly onDone: () => void }) {
  const [text, setText] = useState(expression);
  const finished = useRef(false);
  const commit = () => {
    if (finished.current) return;
    finished.current = true;
    useWatchStore.getState().edit(id, text);
    const item = useWatchStore.getState().expressions.find((entry) => entry.id === id);
    if (item) void evaluateWatchNow(item);
    onDone();
  };
  return (
    <li className="watch-item">
      <input
        className="value-editor"
        aria-label={`Edit watch expression ${expression}`}
        autoFocus
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          event.stopPropagation();
          if (event.key === 'Enter') event.currentTarget.blur();
          else if (event.key === 'Escape') {
            finished.current = true;
            onDone();
          }
        }}
      />
    </li>
  );
}

function WatchValue({ id, expression, onEdit }: { readonly id: string; readonly expression: string; readonly onEdit: () => void }) {
  const key = watchNodeKey(id);
  const evaluated = useVariablesStore((state) => Boolean(state.nodes[key]));
  const error = useVariablesStore((state) => state.errors[key]);
  // A selected child process frame belongs to a stopped process, whatever the launched program does.
  const rootStopped = useSessionStore((state) => state.status === 'stopped');
  const childFrameSelected = useProcessStore((state) => state.focus !== null);
  const stopped = rootStopped || childFrameSelected;
  const actions = (
    <>
      <button type="button" className="icon-button" aria-label={`Edit watch expression ${expression}`} title="Edit expression" onClick={onEdit}>
        ✎
      </button>
      <button
      type="button"
      className="icon-button"
      aria-label={`Remove watch expression ${expression}`}
      title="Remove expression"
      onClick={() => useWatchStore.getState().remove(id)}
    >
      ✕
      </button>
    </>
  );
  return (
    <li className="watch-item">
      {evaluated ? (
        <VariableTree rootKeys={[key]} label={`Watch ${expression}`} emptyText="" renderActions={() => actions} />
      ) : (
        <div className="tree-row kind-watch">
          <span className="var-name">{expression}</span>
          <span className="var-separator"> = </span>
          <span className={error ? 'error-text' : 'var-value muted'}>{error ?? (stopped ? 'evaluating…' : 'not available')}</span>
          {actions}
        </div>
      )}
    </li>
  );
}
