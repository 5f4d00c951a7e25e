// Runs the Python agent's unittest suite on every CPython 3.9+ found on the machine.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPythons } from './pythons.mjs';

const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'python-agent');
const pythons = findPythons();
if (pythons.length === 0) {
  console.error('test-agent: no Python 3.9 or newer found (looked in ~/.pyenv/versions and PATH)');
  process.exit(1);
}
let failed = [];
for (const { version, python } of pythons) {
  console.log(`\n=== Python agent tests on ${version} (${python}) ===`);
  const run = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
    cwd: agentDir,
    stdio: 'inherit',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (run.status !== 0) failed.push(version);
}
console.log(`\nPython agent tests: ${pythons.length - failed.length} versions passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}`);
process.exit(failed.length ? 1 : 0);
