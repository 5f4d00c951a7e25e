/**
 * Finds `python-agent/` relative to the package root, whether this file runs compiled
 * (`dist/adapter/`) or from sources (`adapter/`), so neither the desktop host nor the
 * standalone adapter has to pass it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const LAUNCHER_FILE = 'dapper_launcher.py';

/** Walks up from this file's folder to the first folder that holds `python-agent/`. */
export function findAgentDir(startDir: string = __dirname): string {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, 'python-agent');
    if (existsSync(join(candidate, LAUNCHER_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        `Cannot find the Python agent (python-agent/${LAUNCHER_FILE}) in any folder above ${startDir}. ` +
          'Reinstall Dapper Desktop, or pass agentDir explicitly.',
      );
    }
    dir = parent;
  }
}

export function launcherPath(agentDir: string): string {
  return join(agentDir, LAUNCHER_FILE);
}
