/**
 * Vitest global setup: the tests run the compiled adapter, so rebuild it (`npm run
 * build:node`) when any source under adapter/ or common/ is newer than dist/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test' && entry.name !== 'node_modules') newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

export default function setup(): void {
  const built = join(repoRoot, 'dist', 'adapter', 'index.js');
  const sourcesChanged = Math.max(newestSource(join(repoRoot, 'adapter')), newestSource(join(repoRoot, 'common')));
  if (existsSync(built) && statSync(built).mtimeMs >= sourcesChanged) return;
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:node'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`;
  // Other folders (host/) are compiled by the same command; only errors in the adapter's
  // own sources or a missing output stop the adapter tests.
  const adapterErrors = output.split('\n').filter((line) => /^(adapter|common)\//.test(line));
  if (!existsSync(built) || adapterErrors.length > 0) {
    throw new Error(`npm run build:node failed for the adapter:\n${adapterErrors.join('\n') || output}`);
  }
  if (build.status !== 0) console.warn(`npm run build:node reported errors outside adapter/:\n${output}`);
}
