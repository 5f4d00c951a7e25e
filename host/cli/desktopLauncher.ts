/**
 * `dapper [script.py|folder]` / `npm start`: opens the desktop app. With Electron's binary it runs
 * the Electron app (via Electron Forge, which builds main/preload with Vite); without it, it
 * says so, tries once to fetch it, and otherwise serves the same UI and opens it in an
 * installed Chromium/Chrome app window (or prints the address).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DebugSessionFactory } from '../bridge/bridgeService';
import { electronExecutable, tryInstallElectron } from './electronBinary';
import type { PackageLayout } from './packageRoot';
import { runServe } from './serveCommand';

export interface DesktopOptions {
  readonly script: string | null;
  readonly folder?: string | null;
  readonly layout: PackageLayout;
  readonly createDebugSession: DebugSessionFactory;
}

function runElectronForge(root: string, script: string | null, folder: string | null): Promise<number> {
  const forgeCli = path.join(root, 'node_modules', '@electron-forge', 'cli', 'dist', 'electron-forge.js');
  const args = [forgeCli, 'start', '--', ...(script ? [script] : []), ...(folder ? ['--folder', folder] : [])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.once('SIGINT', forward('SIGINT'));
  process.once('SIGTERM', forward('SIGTERM'));
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
}

export async function runDesktop(options: DesktopOptions): Promise<number> {
  const { root } = options.layout;
  let electron = electronExecutable(root);
  if (!electron) {
    console.log("dapper: Electron's binary is not installed; trying once to fetch it (node node_modules/electron/install.js)…");
    electron = tryInstallElectron(root);
    if (!electron) console.log('dapper: could not fetch Electron; opening the same app in Chromium/Chrome instead.');
  }
  if (electron) return runElectronForge(root, options.script, options.folder ?? null);

  const running = await runServe({
    host: '127.0.0.1',
    port: 0,
    script: options.script ?? null,
    folder: options.folder ?? null,
    open: true,
    layout: options.layout,
    createDebugSession: options.createDebugSession,
  });
  await running.finished;
  return 0;
}
