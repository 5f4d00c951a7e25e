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
import { ExplorerView } from './ExplorerView';
import { QuickOpen } from './QuickOpen';
import { InterpreterPicker } from './InterpreterPicker';
import { SettingsView } from './SettingsView';
import { AttachToHostDialog } from './AttachToHostDialog';
import { AttachToProcessDialog } from './AttachToProcessDialog';
import { useWorkspaceStore } from '../stores/workspaceStore';
import { useHostIntegration } from './useHostIntegration';
import { useGlobalShortcuts } from '../keyboard/useGlobalShortcuts';

export function App() {
  useGlobalShortcuts();
  useHostIntegration();
  const hasFolder = useWorkspaceStore((state) => state.folder !== null);
  return (
    <div className="app">
      <Toolbar />
      <div className={`workbench ${hasFolder ? 'with-explorer' : ''}`}>
        {hasFolder ? (
          <aside className="sidebar explorer-sidebar" aria-label="Files">
            <ExplorerView />
          </aside>
        ) : null}
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
      <QuickOpen />
      <InterpreterPicker />
      <SettingsView />
      <AttachToProcessDialog />
      <AttachToHostDialog />
    </div>
  );
}
