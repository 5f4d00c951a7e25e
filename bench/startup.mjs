#!/usr/bin/env node
// Benchmark: start-up, spawn to first breakpoint stop, Dapper vs debugpy, driven by the same
// DAP client as an editor drives them. One sample = spawn the adapter process → initialize →
// launch → setBreakpoints → configurationDone → the `stopped` event at the breakpoint. The
// phases are reported too (medians): adapter spawned until `initialize` answered; `launch`
// sent until `initialized` (interpreter start, agent import, connection); configuration
// until `stopped` (configurationDone, the program running to the breakpoint).
// Also reported: the CPU time (user + system) that the adapter process and every process it
// started (interpreter, agent, debugpy's launcher) had used when the stop arrived, read from
// /proc on Linux — a figure a loaded machine does not inflate the way it inflates wall time.
// Runs ROUNDS samples per Python version for Dapper (all CPython 3.9+ found) and for debugpy
// (Debian python3-debugpy, /usr/bin/python3), alternating the two so machine load hits both.
// Usage: npm run build:node && node bench/startup.mjs [--rounds 15]
// Results: docs/benchmarks.md ("Start-up").
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import testsupport from '@vscode/debugadapter-testsupport';
import { findPythons } from '../scripts/pythons.mjs';
import { SYSTEM_PYTHON, debugpyAdapterPath, withTimeout } from './dapBench.mjs';

const { DebugClient } = testsupport;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;

// A small real program: a few standard-library imports, a function, a breakpoint in it.
const PROGRAM = `import json
import os
import collections

def handle(request):
    counts = collections.Counter(request.split())
    return json.dumps(counts)  # BP

print(handle("a b a"), os.getpid() > 0)
`;
const BP_LINE = PROGRAM.split('\n').findIndex((line) => line.includes('# BP')) + 1;

const TICK_MS = 10; // Linux USER_HZ is 100 (getconf CLK_TCK)

/** [ppid, utime + stime in ms] of a process from /proc, or null (gone, or not Linux). */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[1]), (Number(fields[11]) + Number(fields[12])) * TICK_MS];
  } catch {
    return null;
  }
}

/** CPU ms used so far by `root` and all its descendants (null when /proc is unavailable). */
function treeCpuMs(root) {
  if (!existsSync('/proc/self/stat')) return null;
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) parents.set(Number(name), stat);
  }
  let total = 0;
  for (const [pid, [, cpu]] of parents) {
    for (let cursor = pid, hops = 0; cursor > 1 && hops < 20; hops++) {
      if (cursor === root) {
        total += cpu;
        break;
      }
      cursor = parents.get(cursor)?.[0] ?? 0;
    }
  }
  return total;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One start-up: returns the total and the three phases, in ms. */
async function sample({ runtime, executable, type, launchArgs }) {
  const started = performance.now();
  const dc = new DebugClient(runtime, executable, type);
  dc.defaultTimeout = 30000;
  await dc.start();
  try {
    await withTimeout(dc.initializeRequest({ adapterID: type, pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true }), 'initialize');
    const initializedAt = performance.now();
    const initialized = dc.waitForEvent('initialized', 30000);
    const launched = dc.launchRequest(launchArgs);
    await withTimeout(initialized, 'initialized', 30000);
    const launchedAt = performance.now();
    await dc.setBreakpointsRequest({ source: { path: launchArgs.program }, breakpoints: [{ line: BP_LINE }] });
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const stopped = dc.waitForEvent('stopped', 30000);
    await dc.configurationDoneRequest();
    await withTimeout(launched, 'launch', 30000);
    const event = await withTimeout(stopped, 'stopped', 30000);
    const stoppedAt = performance.now();
    const cpu = treeCpuMs(dc._adapterProcess?.pid);
    if (event.body.reason !== 'breakpoint') throw new Error(`${type} stopped for ${event.body.reason}, not the breakpoint`);
    return {
      total: stoppedAt - started,
      adapter: initializedAt - started,
      launch: launchedAt - initializedAt,
      configure: stoppedAt - launchedAt,
      cpu,
    };
  } finally {
    await withTimeout(dc.disconnectRequest({ terminateDebuggee: true }), 'disconnect', 5000).catch(() => undefined);
    await dc.stop().catch(() => undefined);
  }
}

function summarize(samples) {
  const pick = (key) => median(samples.map((s) => s[key]));
  return {
    median: pick('total'),
    min: Math.min(...samples.map((s) => s.total)),
    max: Math.max(...samples.map((s) => s.total)),
    adapter: pick('adapter'),
    launch: pick('launch'),
    configure: pick('configure'),
    cpu: samples.every((s) => s.cpu !== null) ? pick('cpu') : null,
  };
}

async function main() {
  if (!existsSync(join(repoRoot, 'dist', 'adapter', 'index.js'))) {
    console.error('Build the adapter first: npm run build:node');
    process.exit(1);
  }
  const folder = mkdtempSync(join(tmpdir(), 'dapper-bench-startup-'));
  const program = join(folder, 'service.py');
  writeFileSync(program, PROGRAM);
  const debugpy = debugpyAdapterPath();
  const subjects = findPythons().map(({ version, python }) => ({
    name: `Dapper, Python ${version}`,
    runtime: 'node',
    executable: join(repoRoot, 'bin', 'dapper-adapter.js'),
    type: 'dapper',
    launchArgs: { program, python, justMyCode: true },
  }));
  if (debugpy) {
    subjects.push({
      name: `debugpy, Python ${SYSTEM_PYTHON}`,
      runtime: SYSTEM_PYTHON,
      executable: debugpy,
      type: 'debugpy',
      launchArgs: { program, python: SYSTEM_PYTHON, justMyCode: true, console: 'internalConsole' },
    });
  } else {
    console.log('debugpy: skipped (not installed for /usr/bin/python3; apt-get install python3-debugpy)');
  }
  const samples = new Map(subjects.map((subject) => [subject.name, []]));
  try {
    // One warm-up start each (file caches, .pyc), not counted.
    for (const subject of subjects) await sample(subject);
    for (let round = 0; round < ROUNDS; round++) {
      for (const subject of subjects) samples.get(subject.name).push(await sample(subject));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  console.log(`Start-up, spawn to first breakpoint stop (median of ${ROUNDS}; ms)`);
  console.log(`Load average at the end: ${(await import('node:os')).loadavg().map((n) => n.toFixed(1)).join(', ')}`);
  console.log('| subject | median | min | max | adapter ready | launch → initialized | configurationDone → stopped | CPU used |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const subject of subjects) {
    const s = summarize(samples.get(subject.name));
    const f = (n) => n.toFixed(0);
    console.log(
      `| ${subject.name} | ${f(s.median)} | ${f(s.min)} | ${f(s.max)} | ${f(s.adapter)} | ${f(s.launch)} | ${f(s.configure)} | ${s.cpu === null ? 'n/a' : f(s.cpu)} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
