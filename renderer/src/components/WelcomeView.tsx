/** Shown with no file open: open a file, debug the bundled demo, recent files, drop hint. */
import { OpenPathBox } from './OpenPathBox';
import { debugDemo } from '../session/commands';
import { openFile, openWithDialog } from '../session/fileActions';
import { openFolder } from '../session/workspaceActions';
import { runCommand } from '../session/commands';
import { baseName } from '../stores/editorStore';
import { useSettingsStore } from '../stores/settingsStore';

export function WelcomeView() {
  const appInfo = useSettingsStore((state) => state.appInfo);
  const recent = useSettingsStore((state) => state.settings.recentFiles);
  const recentFolders = useSettingsStore((state) => state.settings.recentFolders);
  const browser = appInfo?.host === 'browser';
  return (
    <section className="welcome" aria-label="Welcome">
      <h1>Dapper Desktop</h1>
      <p>Debug a Python program, stop at a breakpoint, edit the code and press Apply Changes to keep going with the new code.</p>
      <div className="welcome-actions">
        {!browser ? (
          <button type="button" onClick={() => void openWithDialog()}>
            Open File…
          </button>
        ) : null}
        <button type="button" onClick={() => void runCommand('file.openFolder')}>
          Open Folder…
        </button>
        <button type="button" onClick={() => void debugDemo()}>
          Debug the Demo
        </button>
      </div>
      {browser || !appInfo ? <OpenPathBox /> : null}
      <p className="hint">Or drop a .py file anywhere on this window to debug it.</p>
      {recentFolders.length > 0 ? (
        <nav aria-label="Recent folders">
          <h2>Recent folders</h2>
          <ul className="recent">
            {recentFolders.map((path) => (
              <li key={path}>
                <button type="button" className="link-button" title={path} onClick={() => void openFolder(path)}>
                  {baseName(path)}
                </button>
                <span className="muted"> {path}</span>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {recent.length > 0 ? (
        <nav aria-label="Recent files">
          <h2>Recent</h2>
          <ul className="recent">
            {recent.map((path) => (
              <li key={path}>
                <button type="button" className="link-button" title={path} onClick={() => void openFile(path)}>
                  {baseName(path)}
                </button>
                <span className="muted"> {path}</span>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
