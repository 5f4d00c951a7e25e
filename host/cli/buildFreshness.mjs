// Plain JavaScript (it runs before anything is compiled): decides whether `npm run build`
// must run before the app, the CLI or the end-to-end tests start, and runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['common', 'adapter', 'host', 'renderer/src', 'renderer/index.html', 'renderer/vite.config.ts', 'tsconfig.node.json', 'package.json'];
const OUTPUTS = ['dist/host/cli/cli.js', 'dist/adapter/index.js', 'dist/renderer/index.html'];
const SKIP = new Set(['node_modules', 'dist', 'test', '__pycache__']);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry) || /\.test\.tsx?$/.test(entry)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why a build is needed, or null when dist/ is up to date (or there are no sources: an installed package). */
export function buildNeeded(root) {
  if (!existsSync(join(root, 'host', 'cli', 'cli.ts'))) return null;
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const oldestOutput = Math.min(...OUTPUTS.map((output) => statSync(join(root, output)).mtimeMs));
  const newestSource = Math.max(...SOURCES.map((source) => newestMtime(join(root, source))));
  return newestSource > oldestOutput ? 'sources changed since the last build' : null;
}

/** Builds when needed; returns false (after printing why) when the build failed. */
export function buildIfNeeded(root, log = console.error) {
  const reason = buildNeeded(root);
  if (!reason) return true;
  // The build's output goes to stderr: stdout stays free for what the command itself prints.
  log(`dapper: building first (${reason})…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    log('dapper: the build failed (see above); fix the error and run the command again.');
    return false;
  }
  return true;
}
