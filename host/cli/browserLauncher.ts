/**
 * Opens the served UI in an installed Chromium or Chrome as an app window (no tabs or
 * address bar), with its own throw-away profile so it never touches the user's browser data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function candidates(): string[] {
  const fromEnv = process.env.CHROME_PATH ? [process.env.CHROME_PATH] : [];
  if (process.platform === 'darwin') {
    return [
      ...fromEnv,
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (process.platform === 'win32') {
    const roots = [process.env.LOCALAPPDATA, process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)']].filter(Boolean) as string[];
    return [
      ...fromEnv,
      ...roots.flatMap((root) => [
        path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        path.join(root, 'Chromium', 'Application', 'chrome.exe'),
        path.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      ]),
    ];
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [...fromEnv, ...names.flatMap((name) => dirs.map((dir) => path.join(dir, name)))];
}

export function findChromium(): string | null {
  for (const candidate of candidates()) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not installed there; try the next place.
    }
  }
  return null;
}

export interface AppWindow {
  readonly process: ChildProcess;
  readonly profileDir: string;
  close(): void;
}

export function openAppWindow(executable: string, url: string, extraArgs: readonly string[] = []): AppWindow {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-chromium-'));
  const child = spawn(
    executable,
    [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check',
      '--disable-sync', '--disable-background-networking', '--window-size=1400,900',
      // Chromium refuses to start as root (containers, CI) without --no-sandbox; --test-type
      // hides the warning bar that flag would show.
      ...(process.getuid?.() === 0 ? ['--no-sandbox', '--test-type'] : []), ...extraArgs],
    { stdio: 'ignore' },
  );
  const removeProfile = (): void => {
    try {
      fs.rmSync(profileDir, { recursive: true, force: true });
    } catch {
      // The browser may still hold a lock file for a moment; the temp folder is cleaned by the OS.
    }
  };
  child.once('exit', removeProfile);
  return {
    process: child,
    profileDir,
    close: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}
