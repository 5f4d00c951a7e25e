/** Every breakpoint with enable/disable, edit and remove; exception breakpoint filters. */
import { Panel } from './Panel';
import {
  removeAllBreakpoints,
  removeBreakpoint,
  setBreakpointEnabled,
  setExceptionFilterEnabled,
} from '../session/breakpointSync';
import { openFile } from '../session/fileActions';
import { useBreakpointStore, type SourceBreakpoint } from '../stores/breakpointStore';
import { baseName, useEditorStore } from '../stores/editorStore';
import { isSessionActive, useSessionStore } from '../stores/sessionStore';
import { useUiStore } from '../stores/uiStore';

export function BreakpointsPanel() {
  const breakpoints = useBreakpointStore((state) => state.breakpoints);
  const filters = useBreakpointStore((state) => state.exceptionFilters);
  const active = useSessionStore((state) => isSessionActive(state.status));
  const sorted = [...breakpoints].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return (
    <Panel
      title="Breakpoints"
      className="breakpoints-panel"
      actions={
        <button
          type="button"
          className="icon-button"
          aria-label="Remove All Breakpoints"
          title="Remove All Breakpoints"
          disabled={breakpoints.length === 0}
          onClick={() => void removeAllBreakpoints()}
        >
          ✕✕
        </button>
      }
    >
      <ul className="exception-filters" aria-label="Exception breakpoints">
        {filters.map((filter) => (
          <li key={filter.filter}>
            <label title={filter.description}>
              <input
                type="checkbox"
                checked={filter.enabled}
                onChange={(event) => void setExceptionFilterEnabled(filter.filter, event.target.checked)}
              />
              {filter.label}
            </label>
          </li>
        ))}
      </ul>
      {sorted.length === 0 ? <p className="empty">Click in the editor's left margin (or press F9) to add a breakpoint.</p> : null}
      <ul className="breakpoint-list" aria-label="Source breakpoints">
        {sorted.map((bp) => (
          <BreakpointRow key={bp.id} bp={bp} sessionActive={active} />
        ))}
      </ul>
    </Panel>
  );
}

function BreakpointRow({ bp, sessionActive }: { readonly bp: SourceBreakpoint; readonly sessionActive: boolean }) {
  const label = `${baseName(bp.path)}:${bp.line}`;
  const details = [bp.condition && `if ${bp.condition}`, bp.hitCondition && `hits ${bp.hitCondition}`, bp.logMessage && `log "${bp.logMessage}"`]
    .filter(Boolean)
    .join(', ');
  const unbound = sessionActive && bp.enabled && !bp.verified;
  const reveal = async () => {
    if (await openFile(bp.path)) useEditorStore.getState().requestReveal(bp.path, bp.line);
  };
  return (
    <li className={`breakpoint-row ${bp.enabled ? '' : 'disabled'} ${unbound ? 'unbound' : ''}`}>
      <input
        type="checkbox"
        aria-label={`Enable breakpoint ${label}`}
        checked={bp.enabled}
        onChange={(event) => void setBreakpointEnabled(bp.id, event.target.checked)}
      />
      <button type="button" className="link-button" title={bp.path} onClick={() => void reveal()}>
        {label}
      </button>
      {details ? <span className="bp-details">{details}</span> : null}
      {unbound ? <span className="bp-details warning-text" title={bp.message}>not bound{bp.message ? `: ${bp.message}` : ''}</span> : null}
      <button
        type="button"
        className="icon-button"
        aria-label={`Edit breakpoint ${label}`}
        title="Edit condition, hit count or log message"
        onClick={() => useUiStore.getState().openBreakpointEditor({ path: bp.path, line: bp.line })}
      >
        ✎
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Remove breakpoint ${label}`}
        title="Remove breakpoint"
        onClick={() => void removeBreakpoint(bp.id)}
      >
        ✕
      </button>
    </li>
  );
}
