/**
 * Select Interpreter: the interpreters the host found for this folder, each with its version
 * and where it comes from; unusable ones (too old, do not start) say why, and choosing one
 * repeats that message instead. A path can be typed too. Arrows move, Enter chooses, Escape closes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { InterpreterInfo } from '../../../common/bridge';
import { chooseInterpreter, clearInterpreterChoice, effectiveInterpreter, refreshInterpreters } from '../session/interpreterActions';
import { useInterpreterStore } from '../stores/interpreterStore';
import { useSettingsStore } from '../stores/settingsStore';
import { useWorkspaceStore } from '../stores/workspaceStore';

type Option = { readonly kind: 'automatic' } | { readonly kind: 'interpreter'; readonly info: InterpreterInfo };

export function InterpreterPicker() {
  const visible = useInterpreterStore((state) => state.pickerVisible);
  return visible ? <InterpreterPickerDialog /> : null;
}

function describe(info: InterpreterInfo): string {
  return `${info.version ? `Python ${info.version}` : 'Python (version unknown)'} — ${info.source}`;
}

function InterpreterPickerDialog() {
  const folder = useWorkspaceStore((state) => state.folder);
  const discovery = useInterpreterStore((state) => (state.discoveredFor === folder ? state.discovery : null));
  const loading = useInterpreterStore((state) => state.loading);
  const error = useInterpreterStore((state) => state.error);
  useSettingsStore((state) => state.settings); // re-render when the choice changes
  const current = effectiveInterpreter();
  const [typed, setTyped] = useState('');
  const [selected, setSelected] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const close = () => useInterpreterStore.getState().setPickerVisible(false);

  useEffect(() => {
    listRef.current?.focus();
    void refreshInterpreters();
  }, [folder]);

  const options: Option[] = useMemo(
    () => [{ kind: 'automatic' }, ...(discovery?.interpreters ?? []).map((info) => ({ kind: 'interpreter' as const, info }))],
    [discovery],
  );
  const index = Math.min(selected, options.length - 1);

  const choose = async (option: Option | undefined) => {
    if (!option) return;
    if (option.kind === 'automatic') {
      await clearInterpreterChoice();
      close();
    } else if (await chooseInterpreter(option.info)) {
      close();
    }
  };
  const chooseTyped = async () => {
    if (typed.trim() && (await chooseInterpreter(typed))) close();
  };

  return (
    <div className="quick-open-backdrop" onMouseDown={close}>
      <div role="dialog" aria-label="Select Interpreter" className="quick-open interpreter-picker" onMouseDown={(event) => event.stopPropagation()}>
        <p className="interpreter-current">
          {current.path ? `Current: ${current.path} (${current.origin})` : 'Current: automatic (a .venv or venv next to the program, else python3)'}
        </p>
        <ul
          ref={listRef}
          role="listbox"
          tabIndex={0}
          aria-label="Interpreters"
          aria-activedescendant={`interpreter-option-${index}`}
          className="quick-open-results"
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') setSelected((index + 1) % options.length);
            else if (event.key === 'ArrowUp') setSelected((index - 1 + options.length) % options.length);
            else if (event.key === 'Enter') void choose(options[index]);
            else if (event.key === 'Escape') close();
            else return;
            event.preventDefault();
          }}
        >
          {options.map((option, position) => {
            const info = option.kind === 'interpreter' ? option.info : null;
            const isCurrent = info ? info.path === current.path : current.origin === 'automatic';
            return (
              <li
                key={info ? `${info.source}:${info.path}` : 'automatic'}
                id={`interpreter-option-${position}`}
                role="option"
                aria-selected={position === index}
                aria-disabled={info?.problem ? true : undefined}
                className={`${position === index ? 'selected' : ''} ${info?.problem ? 'unusable' : ''}`}
                onMouseEnter={() => setSelected(position)}
                onClick={() => void choose(option)}
                title={info?.problem ?? info?.path ?? undefined}
              >
                {info ? (
                  <>
                    <span className="interpreter-name">{describe(info)}{isCurrent ? ' (current)' : ''}</span>
                    <span className="interpreter-path muted">{info.path}</span>
                    {info.problem ? <span className="interpreter-problem error-text">{info.problem}</span> : null}
                  </>
                ) : (
                  <span className="interpreter-name">
                    Automatic{discovery?.defaultInterpreterPath ? ` (settings.json: ${discovery.defaultInterpreterPath})` : ''}
                    {isCurrent ? ' (current)' : ''}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
        {loading ? <p className="muted quick-open-note">Looking for interpreters…</p> : null}
        {error ? <p className="error-text quick-open-note">{error}</p> : null}
        <form
          className="interpreter-path-form"
          onSubmit={(event) => {
            event.preventDefault();
            void chooseTyped();
          }}
        >
          <input
            aria-label="Interpreter path"
            placeholder="Or type the path of a Python interpreter, then Enter"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') close();
            }}
          />
        </form>
      </div>
    </div>
  );
}
