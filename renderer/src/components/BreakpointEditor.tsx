/** Condition, hit count and log message of one breakpoint (opened by right-click in the margin). */
import { useState } from 'react';
import { addBreakpointWithOptions, removeBreakpoint } from '../session/breakpointSync';
import { useBreakpointStore } from '../stores/breakpointStore';
import { baseName } from '../stores/editorStore';
import { useUiStore, type BreakpointEditorTarget } from '../stores/uiStore';

export function BreakpointEditorHost() {
  const target = useUiStore((state) => state.breakpointEditor);
  return target ? <BreakpointEditor key={`${target.path}:${target.line}`} target={target} /> : null;
}

function BreakpointEditor({ target }: { readonly target: BreakpointEditorTarget }) {
  const existing = useBreakpointStore((state) =>
    state.breakpoints.find((bp) => bp.path === target.path && bp.line === target.line),
  );
  const [condition, setCondition] = useState(existing?.condition ?? '');
  const [hitCondition, setHitCondition] = useState(existing?.hitCondition ?? '');
  const [logMessage, setLogMessage] = useState(existing?.logMessage ?? '');
  const close = () => useUiStore.getState().closeBreakpointEditor();
  const title = `${existing ? 'Edit' : 'Add'} breakpoint at ${baseName(target.path)}:${target.line}`;
  return (
    <form
      role="dialog"
      aria-label={title}
      className="breakpoint-editor"
      onKeyDown={(event) => event.key === 'Escape' && close()}
      onSubmit={(event) => {
        event.preventDefault();
        void addBreakpointWithOptions(target.path, target.line, { condition, hitCondition, logMessage });
        close();
      }}
    >
      <h3>{title}</h3>
      <label>
        Condition
        <input autoFocus value={condition} placeholder="e.g. price > 100" onChange={(event) => setCondition(event.target.value)} />
      </label>
      <label>
        Hit count
        <input value={hitCondition} placeholder="e.g. 5, >= 10, % 3" onChange={(event) => setHitCondition(event.target.value)} />
      </label>
      <label>
        Log message
        <input value={logMessage} placeholder="e.g. price is {price} (logs instead of stopping)" onChange={(event) => setLogMessage(event.target.value)} />
      </label>
      <div className="form-buttons">
        <button type="submit">Save</button>
        {existing ? (
          <button
            type="button"
            onClick={() => {
              void removeBreakpoint(existing.id);
              close();
            }}
          >
            Remove
          </button>
        ) : null}
        <button type="button" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
