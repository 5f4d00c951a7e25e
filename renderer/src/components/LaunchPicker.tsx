/**
 * The toolbar's "Launch configuration" combobox: "Current File" and the folder's launch.json
 * configurations by name (F5 starts the selected one), plus "Add Configuration…" (templates)
 * and "Open launch.json". Problems in launch.json show as a warning that opens the file.
 */
import { useState } from 'react';
import { addConfiguration, openLaunchJson, templatesForFolder } from '../session/launchActions';
import { chooseLaunchConfiguration } from '../session/workspaceActions';
import { CURRENT_FILE, useWorkspaceStore } from '../stores/workspaceStore';

const ADD = '\u0000add';
const OPEN = '\u0000open';

export function LaunchPicker() {
  const folder = useWorkspaceStore((state) => state.folder);
  const launch = useWorkspaceStore((state) => state.launch);
  const choice = useWorkspaceStore((state) => state.launchChoice);
  const [choosingTemplate, setChoosingTemplate] = useState(false);
  if (!folder) return null;
  const names = launch?.configurations.map((config) => config.name) ?? [];
  const errors = launch?.errors ?? [];
  return (
    <span className="launch-picker">
      <select
        aria-label="Launch configuration"
        title="Launch configuration (F5 starts it)"
        value={names.includes(choice) ? choice : CURRENT_FILE}
        onChange={(event) => {
          const value = event.target.value;
          if (value === ADD) setChoosingTemplate(true);
          else if (value === OPEN) void openLaunchJson();
          else void chooseLaunchConfiguration(value);
        }}
      >
        <option value={CURRENT_FILE}>{CURRENT_FILE}</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
        <option disabled>──────────</option>
        <option value={ADD}>Add Configuration…</option>
        {launch?.exists ? <option value={OPEN}>Open launch.json</option> : null}
      </select>
      {errors.length > 0 ? (
        <button
          type="button"
          className="icon-button warning-text"
          aria-label="launch.json has problems"
          title={errors.join('\n')}
          onClick={() => void openLaunchJson()}
        >
          ⚠
        </button>
      ) : null}
      {choosingTemplate ? <TemplateMenu onClose={() => setChoosingTemplate(false)} /> : null}
    </span>
  );
}

function TemplateMenu({ onClose }: { readonly onClose: () => void }) {
  return (
    <div className="quick-open-backdrop" onMouseDown={onClose}>
      <div role="dialog" aria-label="Add Configuration" className="quick-open" onMouseDown={(event) => event.stopPropagation()}>
        <div role="menu" aria-label="Configuration templates" className="template-menu">
          {templatesForFolder().map((template, index) => (
            <button
              key={template.label}
              type="button"
              role="menuitem"
              autoFocus={index === 0}
              title={template.description}
              onClick={() => {
                onClose();
                void addConfiguration(template);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Escape') onClose();
                const items = [...(event.currentTarget.parentElement?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
                const at = items.indexOf(event.currentTarget);
                if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
                if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
              }}
            >
              <span>{template.label}</span> <span className="muted">{template.description}</span>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
