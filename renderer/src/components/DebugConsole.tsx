import { Panel } from './Panel';
import { ConsoleInput } from './ConsoleInput';
import { ConsoleOutput } from './ConsoleOutput';
import { useConsoleStore } from '../stores/consoleStore';

export function DebugConsole() {
  return (
    <Panel
      title="Debug Console"
      className="console-panel"
      actions={
        <button type="button" className="icon-button" aria-label="Clear Console" title="Clear Console" onClick={() => useConsoleStore.getState().clear()}>
          ⌫
        </button>
      }
    >
      <ConsoleOutput />
      <ConsoleInput />
    </Panel>
  );
}
