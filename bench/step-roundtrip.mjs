#!/usr/bin/env node
// Benchmark: step round trip, Dapper vs debugpy, driven by the same DAP client.
// One sample = `next` → `stopped` event, then `stackTrace` + `scopes` + `variables` of the
// top frame (what an editor does after every step). Reports the median of STEPS samples
// per Python version for Dapper, and for debugpy (Debian python3-debugpy, /usr/bin/python3).
// Usage: npm run build:node && node bench/step-roundtrip.mjs [--steps 40]
// Results: docs/benchmarks.md ("Step round trip").
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import testsupport from '@vscode/debugadapter-testsupport';
import { findPythons } from '../scripts/pythons.mjs';
import { SYSTEM_PYTHON, debugpyAdapterPath, launchWithMarkedBreakpoint, withTimeout } from './dapBench.mjs';

const { DebugClient } = testsupport;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const stepsArg = process.argv.indexOf('--steps');
const STEPS = stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 40;

const PROGRAM = `import sys
def work():
    total = 0  # BP
${Array.from({ length: STEPS + 10 }, (_, i) => `    total += ${i}\n    label = "step ${i}"`).join('\n')}
    return total
work()
`;


function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}


async function measure({ runtime, executable, type, launchArgs }) {
  const dc = new DebugClient(runtime, executable, type);
  dc.defaultTimeout = 20000;
  await dc.start();
  try {
    const firstStop = launchWithMarkedBreakpoint(dc, type, launchArgs, PROGRAM, () => dc.waitForEvent('stopped', 30000));
    const stop = await firstStop;
    const threadId = stop.body.threadId;
    const samples = [];
    for (let i = 0; i < STEPS; i++) {
      const started = performance.now();
      const stopped = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId });
      await stopped;
      const stack = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
      const scopes = await dc.scopesRequest({ frameId: stack.body.stackFrames[0].id });
      await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
      samples.push(performance.now() - started);
    }
    return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
  } finally {
    await withTimeout(dc.disconnectRequest({ terminateDebuggee: true }), 'disconnect', 5000).catch(() => undefined);
    dc.stop().catch(() => undefined);
  }
}

async function main() {
  if (!existsSync(join(repoRoot, 'dist', 'adapter', 'index.js'))) {
    console.error('Build the adapter first: npm run build:node');
    process.exit(1);
  }
  const folder = mkdtempSync(join(tmpdir(), 'dapper-bench-'));
  const program = join(folder, 'steps.py');
  writeFileSync(program, PROGRAM);
  const rows = [];
  for (const { version, python } of findPythons()) {
    const result = await measure({
      runtime: 'node',
      executable: join(repoRoot, 'bin', 'dapper-adapter.js'),
      type: 'dapper',
      launchArgs: { program, python, justMyCode: true },
    });
    rows.push({ debugger: 'Dapper', python: version, ...result });
    console.error(`Dapper ${version}: median ${result.median.toFixed(2)} ms`);
  }
  const debugpy = debugpyAdapterPath();
  if (debugpy) {
    const version = execFileSync(SYSTEM_PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
    const result = await measure({
      runtime: SYSTEM_PYTHON,
      executable: debugpy,
      type: 'python',
      launchArgs: { type: 'python', request: 'launch', program, python: SYSTEM_PYTHON, console: 'internalConsole', justMyCode: true },
    });
    rows.push({ debugger: 'debugpy 1.6 (Debian)', python: version, ...result });
    console.error(`debugpy ${version}: median ${result.median.toFixed(2)} ms`);
  } else {
    console.error('debugpy not found for /usr/bin/python3 (apt-get install -y python3-debugpy); skipped.');
  }
  console.log(`Step round trip (next → stopped → stackTrace + scopes + variables), ${STEPS} steps, ${new Date().toISOString()}\n`);
  console.log('| debugger | Python | median ms | min ms | max ms |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.debugger} | ${r.python} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.max.toFixed(2)} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
