/** The debugger window: toolbar, side panels, editor, Debug Console, status bar. */
import { Toolbar } from './Toolbar';
import { EditorArea } from './EditorArea';
import { VariablesPanel } from './VariablesPanel';
import { WatchPanel } from './WatchPanel';
import { CallStackPanel } from './CallStackPanel';
import { BreakpointsPanel } from './BreakpointsPanel';
import { DebugConsole } from './DebugConsole';
import { StatusBar } from './StatusBar';
import { Notices } from './Notices';
import { useHostIntegration } from './useHostIntegration';
import { useGlobalShortcuts } from '../keyboard/useGlobalShortcuts';

export function App() {
  useGlobalShortcuts();
  useHostIntegration();
  return (
    <div className="app">
      <Toolbar />
      <div className="workbench">
        <aside className="sidebar" aria-label="Debug views">
          <VariablesPanel />
          <WatchPanel />
          <CallStackPanel />
          <BreakpointsPanel />
        </aside>
        <div className="center">
          <EditorArea />
          <DebugConsole />
        </div>
      </div>
      <StatusBar />
      <Notices />
    </div>
  );
}
