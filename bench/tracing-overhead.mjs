#!/usr/bin/env node
// Benchmark: tracing overhead, Dapper vs debugpy, driven by the same DAP client.
// The program times REPEAT runs of fib(24) itself (perf_counter) with one breakpoint set in
// a function that is never called; the ratio is that time / the same program under plain
// Python. Every Python version for Dapper; debugpy (Debian python3-debugpy) on /usr/bin/python3.
// Usage: npm run build:node && node bench/tracing-overhead.mjs [--repeat 20]  (best of 3 alternating runs)
// Results: docs/benchmarks.md ("Tracing overhead"). Each Python also runs with "restartFrame": false,
// which compiles no restart points: the difference is what Restart Frame costs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import testsupport from '@vscode/debugadapter-testsupport';
import { findPythons } from '../scripts/pythons.mjs';
import { SYSTEM_PYTHON, debugpyAdapterPath, launchWithMarkedBreakpoint, withTimeout } from './dapBench.mjs';

const { DebugClient } = testsupport;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 20;
const ROUNDS = 3;

const PROGRAM = `import time
def never_called():
    return "never"  # BP

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

best = None
for _ in range(${REPEAT}):
    started = time.perf_counter()
    fib(24)
    elapsed = time.perf_counter() - started
    best = elapsed if best is None else min(best, elapsed)
print("FIB_SECONDS", best, flush=True)
`;


// The cheapest possible sys.settrace global hook (one dict lookup per call, never a local
// tracer): the floor for any settrace-based debugger on 3.9–3.11, measured for context.
const FLOOR_PRELUDE = `import sys
_codes = {}
def _bare_hook(frame, event, arg):
    return _codes.get(frame.f_code)
sys.settrace(_bare_hook)
`;

function plainSeconds(python, program) {
  const out = execFileSync(python, [program], { encoding: 'utf8' });
  return Number(/FIB_SECONDS ([\d.e-]+)/.exec(out)[1]);
}

async function debuggedSeconds({ runtime, executable, type, launchArgs }) {
  const dc = new DebugClient(runtime, executable, type);
  dc.defaultTimeout = 120000;
  await dc.start();
  let output = '';
  dc.on('output', (event) => (output += event.body.output));
  try {
    const terminated = launchWithMarkedBreakpoint(dc, type, launchArgs, PROGRAM, () => dc.waitForEvent('terminated', 300000));
    await terminated;
    const match = /FIB_SECONDS ([\d.e-]+)/.exec(output);
    if (!match) throw new Error(`no timing in output: ${output.slice(-300)}`);
    return Number(match[1]);
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
  const program = join(folder, 'fib.py');
  writeFileSync(program, PROGRAM);
  const floorProgram = join(folder, 'fib_bare_settrace.py');
  writeFileSync(floorProgram, FLOOR_PRELUDE + PROGRAM);
  const rows = [];
  // Alternate plain and debugged runs and keep the best of each: on a shared machine a burst of
  // someone else's work must not decide the ratio.
  const bestOf = async (measure) => {
    let best = Infinity;
    for (let round = 0; round < ROUNDS; round++) best = Math.min(best, await measure());
    return best;
  };
  for (const { version, python } of findPythons()) {
    let plain = Infinity;
    const debugged = await bestOf(async () => {
      plain = Math.min(plain, plainSeconds(python, program));
      return debuggedSeconds({
        runtime: 'node',
        executable: join(repoRoot, 'bin', 'dapper-adapter.js'),
        type: 'dapper',
        launchArgs: { program, python, justMyCode: true },
      });
    });
    rows.push({ debugger: 'Dapper', python: version, plain, debugged });
    console.error(`Dapper ${version}: ${(debugged / plain).toFixed(2)}x`);
    // What Restart Frame's restart points cost: the same run with them turned off.
    const withoutPoints = await bestOf(async () => {
      plain = Math.min(plain, plainSeconds(python, program));
      return debuggedSeconds({
        runtime: 'node',
        executable: join(repoRoot, 'bin', 'dapper-adapter.js'),
        type: 'dapper',
        launchArgs: { program, python, justMyCode: true, restartFrame: false },
      });
    });
    rows.push({ debugger: 'Dapper, "restartFrame": false', python: version, plain, debugged: withoutPoints });
    if (Number(version.split('.')[1]) < 12) {
      rows.push({ debugger: 'floor: bare sys.settrace hook', python: version, plain, debugged: plainSeconds(python, floorProgram) });
    }
  }
  const debugpy = debugpyAdapterPath();
  if (debugpy) {
    const version = execFileSync(SYSTEM_PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
    let plain = Infinity;
    const debugged = await bestOf(async () => {
      plain = Math.min(plain, plainSeconds(SYSTEM_PYTHON, program));
      return debuggedSeconds({
        runtime: SYSTEM_PYTHON,
        executable: debugpy,
        type: 'python',
        launchArgs: { type: 'python', request: 'launch', program, python: SYSTEM_PYTHON, console: 'internalConsole', justMyCode: true },
      });
    });
    rows.push({ debugger: 'debugpy 1.6 (Debian)', python: version, plain, debugged });
    console.error(`debugpy ${version}: ${(debugged / plain).toFixed(2)}x`);
  }
  console.log(`Tracing overhead: best of ${REPEAT} fib(24) per run, best of ${ROUNDS} alternating runs, one breakpoint in a function never called, ${new Date().toISOString()}\n`);
  console.log('| debugger | Python | plain s | debugged s | overhead |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.debugger} | ${r.python} | ${r.plain.toFixed(4)} | ${r.debugged.toFixed(4)} | ${(r.debugged / r.plain).toFixed(2)}× |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
