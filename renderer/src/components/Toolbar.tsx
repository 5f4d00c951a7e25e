/** The debug toolbar. Accessible names are a contract (tests and screen readers use them). */
import { useShallow } from 'zustand/react/shallow';
import type { MenuCommand } from '../../../common/bridge';
import { shortcutLabel } from '../keyboard/keymap';
import { canApplyInStatus } from '../session/applyChanges';
import { runCommand } from '../session/commands';
import { selectUnappliedPaths, useEditorStore } from '../stores/editorStore';
import { useProcessStore } from '../stores/processStore';
import { isSessionActive, useSessionStore } from '../stores/sessionStore';
import { useWorkspaceStore, CURRENT_FILE } from '../stores/workspaceStore';
import { LaunchPicker } from './LaunchPicker';

interface ToolButtonProps {
  readonly name: string;
  readonly command: MenuCommand;
  readonly icon: string;
  readonly enabled: boolean;
  readonly hint?: string;
  readonly showName?: boolean;
  readonly className?: string;
}

function ToolButton({ name, command, icon, enabled, hint, showName, className }: ToolButtonProps) {
  const shortcut = shortcutLabel(command);
  const title = `${name}${shortcut ? ` (${shortcut})` : ''}${hint ? ` — ${hint}` : ''}`;
  return (
    <button
      type="button"
      className={`tool-button ${className ?? ''}`}
      aria-label={name}
      title={title}
      disabled={!enabled}
      onClick={() => void runCommand(command)}
    >
      {icon ? (
        <span aria-hidden="true" className="tool-icon">
          {icon}
        </span>
      ) : null}
      {showName ? <span className="tool-name">{name}</span> : null}
    </button>
  );
}

export function Toolbar() {
  const status = useSessionStore((state) => state.status);
  const applying = useSessionStore((state) => state.applying);
  const unapplied = useEditorStore(useShallow(selectUnappliedPaths));
  const hasActiveFile = useEditorStore((state) => state.activePath !== null);
  const runsConfiguration = useWorkspaceStore((state) => state.folder !== null && state.launchChoice !== CURRENT_FILE);
  // While a child process's frame is selected, Continue and the steps act on that (stopped) process.
  const childFrameSelected = useProcessStore((state) => state.focus !== null);
  const active = isSessionActive(status);
  const stopped = status === 'stopped' || childFrameSelected;
  const canApply = canApplyInStatus(status) && !applying && unapplied.length > 0;
  const applyHint = applying
    ? 'applying…'
    : !canApplyInStatus(status)
      ? 'available while the program runs or is stopped'
      : unapplied.length === 0
        ? 'edit a file the program has loaded first'
        : `applies ${unapplied.length} changed ${unapplied.length === 1 ? 'file' : 'files'} to the running program`;

  return (
    <div role="toolbar" aria-label="Debug" className="toolbar">
      <ToolButton name="Open File" command="file.open" icon="" enabled showName />
      <ToolButton name="Open Folder" command="file.openFolder" icon="" enabled showName />
      {!active ? (
        <ToolButton
          name="Start Debugging"
          command="debug.start"
          icon="▶"
          enabled={hasActiveFile || runsConfiguration}
          hint={runsConfiguration ? 'start the selected launch configuration' : hasActiveFile ? 'debug the file in the editor' : 'open a Python file first'}
          showName
          className="start"
        />
      ) : null}
      <LaunchPicker />
      {!active ? (
        <>
          <ToolButton name="Attach to Process…" command="debug.attachProcess" icon="⇲" enabled hint="a Python program running on this machine" />
          <ToolButton name="Attach to Host…" command="debug.attachHost" icon="⇄" enabled hint="a program started with python -m dapper_agent --listen" />
        </>
      ) : null}
      {status === 'running' && !childFrameSelected ? (
        <ToolButton name="Pause" command="debug.pause" icon="▮▮" enabled />
      ) : (
        <ToolButton name="Continue" command="debug.continue" icon="▶" enabled={stopped && !applying} />
      )}
      <ToolButton name="Step Over" command="debug.stepOver" icon="⤼" enabled={stopped && !applying} />
      <ToolButton name="Step Into" command="debug.stepInto" icon="⤓" enabled={stopped && !applying} />
      <ToolButton name="Step Out" command="debug.stepOut" icon="⤒" enabled={stopped && !applying} />
      <ToolButton name="Restart" command="debug.restart" icon="↻" enabled={active} />
      <ToolButton name="Stop" command="debug.stop" icon="■" enabled={active} className="stop" />
      <span className="toolbar-separator" />
      <ToolButton
        name="Apply Changes"
        command="debug.applyChanges"
        icon="⚡"
        enabled={canApply}
        hint={applyHint}
        showName
        className="apply"
      />
    </div>
  );
}
