/**
 * Whether Electron's binary is installed (it cannot be downloaded on every machine: the npm
 * package fetches it from GitHub in a postinstall step that may be skipped or blocked).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

function electronPackageDir(root: string): string | null {
  const dir = path.join(root, 'node_modules', 'electron');
  return fs.existsSync(path.join(dir, 'package.json')) ? dir : null;
}

/** Path of the Electron executable, or null when the binary is not installed. */
export function electronExecutable(root: string): string | null {
  const dir = electronPackageDir(root);
  if (!dir) return null;
  try {
    const relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const executable = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), relative);
    return fs.existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

/** Runs Electron's own installer once, with a short time limit. Returns the executable or null. */
export function tryInstallElectron(root: string, timeoutMs = 30_000): string | null {
  const dir = electronPackageDir(root);
  if (!dir) return null;
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
    cwd: dir,
    env,
    timeout: timeoutMs,
    stdio: 'ignore',
  });
  return result.status === 0 ? electronExecutable(root) : null;
}
