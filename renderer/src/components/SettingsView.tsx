/**
 * The Settings view: the switches of SETTING_SWITCHES and the interpreter, saved through the
 * host with the other settings the moment they change.
 */
import { useEffect, useRef, useState } from 'react';
import type { Settings } from '../../../common/bridge';
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import { clearInterpreterChoice, effectiveInterpreter } from '../session/interpreterActions';
import { useInterpreterStore } from '../stores/interpreterStore';
import { useSettingsStore } from '../stores/settingsStore';
import { useUiStore } from '../stores/uiStore';
import { useWorkspaceStore } from '../stores/workspaceStore';
import { SETTING_SWITCHES, type BooleanSettingKey } from './settingSwitches';

export function SettingsView() {
  const visible = useUiStore((state) => state.settingsVisible);
  return visible ? <SettingsDialog /> : null;
}

function SettingsDialog() {
  const settings = useSettingsStore((state) => state.settings);
  const folder = useWorkspaceStore((state) => state.folder);
  useInterpreterStore((state) => state.discovery); // settings.json's default shows once found
  const [problem, setProblem] = useState<string | null>(null);
  // Shown at once while the host saves it (a checkbox must follow the click); dropped on failure.
  const [pending, setPending] = useState<Partial<Record<BooleanSettingKey, boolean>>>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const close = () => useUiStore.getState().setSettingsVisible(false);
  const interpreter = effectiveInterpreter();

  useEffect(() => firstRef.current?.focus(), []);

  const toggle = async (key: BooleanSettingKey, value: boolean) => {
    setPending((current) => ({ ...current, [key]: value }));
    setProblem(null);
    try {
      const patch: Partial<Settings> = { [key]: value };
      useSettingsStore.getState().setSettings(await getBridge().invoke('settings.update', patch));
    } catch (error) {
      setProblem(`Could not save the setting: ${errorText(error)}`);
    } finally {
      setPending(({ [key]: _done, ...rest }) => rest);
    }
  };

  return (
    <div className="quick-open-backdrop" onMouseDown={close}>
      <div
        role="dialog"
        aria-label="Settings"
        className="quick-open settings-view"
        onMouseDown={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            close();
          }
        }}
      >
        <h2 className="panel-title">Settings</h2>
        {SETTING_SWITCHES.map((item, index) => (
          <label key={item.key}>
            <input
              ref={index === 0 ? firstRef : undefined}
              type="checkbox"
              role="switch"
              checked={pending[item.key] ?? Boolean(settings[item.key])}
              aria-describedby={`setting-help-${item.key}`}
              onChange={(event) => void toggle(item.key, event.target.checked)}
            />
            <span>
              {item.label}
              <span id={`setting-help-${item.key}`} className="setting-help muted">
                {item.help}
              </span>
            </span>
          </label>
        ))}
        <div className="settings-interpreter" role="group" aria-label="Interpreter">
          <span>Interpreter{folder ? ' for this folder' : ''}:</span>
          <span className="muted" title={interpreter.path}>
            {interpreter.path ? `${interpreter.path} (${interpreter.origin})` : 'automatic (a .venv or venv next to the program, else python3)'}
          </span>
          <button type="button" onClick={() => useInterpreterStore.getState().setPickerVisible(true)}>
            Select Interpreter…
          </button>
          {interpreter.origin === 'chosen for this folder' || interpreter.origin === 'setting' ? (
            <button type="button" onClick={() => void clearInterpreterChoice()}>
              Use automatic
            </button>
          ) : null}
        </div>
        {problem ? <p className="error-text quick-open-note">{problem}</p> : null}
        <p className="muted quick-open-note">Saved as you change them.</p>
      </div>
    </div>
  );
}
