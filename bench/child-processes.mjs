#!/usr/bin/env node
// Benchmark: a multiprocessing Pool of 8 spawn workers mapping a small function, debugged
// (every worker in its own debug session) against plain `python`, in one run.
// The program reports two times itself: "all running" (Pool() called → the 8th worker's
// initializer ran) and "total" (Pool() called → map done and the pool joined). The debugged
// runs use in-process adapter sessions, as the desktop app does: the client answers each
// `startDebugging` by attaching a new session with the configuration it was given, sets a
// breakpoint (on a line the workers never reach, so they are traced as in a real session)
// and sends configurationDone. Each child's attach cost is the client's view of it:
// `startDebugging` received → the child's configurationDone answered.
// Rounds alternate plain/debugged. Usage: npm run build:node && node bench/child-processes.mjs [--rounds 5] [--python 3.12]
// `--instructions` instead runs one plain and one debugged run under `valgrind --tool=callgrind
// --trace-children=yes` and reports the instructions each spawn worker executed (median, min,
// max over the 8 workers): what the agent adds to a worker, whatever the machine's load.
// Results: docs/benchmarks.md ("Child processes").
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findPythons } from '../scripts/pythons.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const { createInProcessSession } = await import(join(repoRoot, 'dist', 'adapter', 'index.js'));
const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const ROUNDS = Number(argument('--rounds', 5));
const ONLY = argument('--python', undefined);
const INSTRUCTIONS = process.argv.includes('--instructions');

const PROGRAM = `import multiprocessing as mp, time

def started(queue):
    queue.put(time.time())

def work(x):
    return sum(i * i for i in range(x % 50))

def never_called():
    return 0  # BP

if __name__ == "__main__":
    mp.set_start_method("spawn")
    queue = mp.Queue()
    t0 = time.time()
    pool = mp.Pool(8, initializer=started, initargs=(queue,))
    running = max(queue.get() for _ in range(8)) - t0
    result = pool.map(work, range(2000), chunksize=50)
    pool.close()
    pool.join()
    print("all running %.4f total %.4f checksum %d" % (running, time.time() - t0, sum(result)))
`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function parseTimes(text) {
  const match = /all running ([\d.]+) total ([\d.]+)/.exec(text);
  if (!match) throw new Error(`the program did not report its times; output: ${text.slice(-500)}`);
  return { running: Number(match[1]) * 1000, total: Number(match[2]) * 1000 };
}

/** A minimal DAP client over an in-process session. */
class Client {
  constructor(onReverseRequest) {
    this.seq = 1;
    this.pending = new Map();
    this.listeners = new Map();
    this.session = createInProcessSession({
      onMessage: (message) => {
        if (message.type === 'response') this.pending.get(message.request_seq)?.(message);
        else if (message.type === 'event') for (const listener of this.listeners.get(message.event) ?? []) listener(message);
        else if (message.type === 'request') onReverseRequest?.(message, this);
      },
    });
  }
  request(command, args) {
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout: ${command}`)), INSTRUCTIONS ? 600000 : 60000);
      this.pending.set(seq, (response) => {
        clearTimeout(timer);
        this.pending.delete(seq);
        if (response.success) resolve(response);
        else reject(new Error(`${command}: ${response.message}`));
      });
      this.session.handleMessage({ type: 'request', seq, command, arguments: args });
    });
  }
  answer(request, success = true) {
    this.session.handleMessage({ type: 'response', seq: this.seq++, request_seq: request.seq, command: request.command, success });
  }
  on(event, listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  once(event) {
    return new Promise((resolve) => this.on(event, resolve));
  }
}

const INITIALIZE = { adapterID: 'dapper', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsStartDebuggingRequest: true };

async function configure(client, program) {
  const line = PROGRAM.split('\n').findIndex((text) => text.includes('# BP')) + 1;
  await client.request('setBreakpoints', { source: { path: program }, breakpoints: [{ line }] });
  await client.request('setExceptionBreakpoints', { filters: [] });
  await client.request('configurationDone', {});
}

async function debuggedRun(python, program) {
  const attachCosts = [];
  const children = [];
  const root = new Client((request, client) => {
    if (request.command !== 'startDebugging') return client.answer(request, false);
    const received = performance.now();
    client.answer(request, true);
    const child = new Client();
    children.push(child);
    void (async () => {
      await child.request('initialize', INITIALIZE);
      const initialized = child.once('initialized');
      await child.request('attach', request.arguments.configuration);
      await initialized;
      await configure(child, program);
      attachCosts.push(performance.now() - received);
    })().catch((error) => console.error(`child session failed: ${error.message}`));
  });
  let stdout = '';
  root.on('output', (event) => {
    if (event.body.category === 'stdout') stdout += event.body.output;
  });
  const terminated = root.once('terminated');
  await root.request('initialize', INITIALIZE);
  const initialized = root.once('initialized');
  await root.request('launch', { program, python, subProcess: true });
  await initialized;
  await configure(root, program);
  await terminated;
  root.session.dispose();
  for (const child of children) child.session.dispose();
  if (children.length !== 8) throw new Error(`expected 8 child sessions, got ${children.length}`);
  return { ...parseTimes(stdout), attachCosts };
}

function plainRun(python, program) {
  return parseTimes(execFileSync(python, [program], { encoding: 'utf8', cwd: dirname(program), stdio: ['ignore', 'pipe', 'pipe'] }));
}

const folder = mkdtempSync(join(tmpdir(), 'dapper-bench-children-'));
const program = join(folder, 'pool.py');
writeFileSync(program, PROGRAM);
const pythons = findPythons().filter(({ version }) => !ONLY || version === ONLY);

/** Instructions of each spawn worker of one run of `run(wrapper)`, counted by callgrind. */
async function workerInstructions(python, run) {
  const out = join(folder, 'callgrind');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const wrapper = join(out, 'python-under-callgrind');
  writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=${out}/callgrind.%p ${python} "$@"\n`);
  chmodSync(wrapper, 0o755);
  await run(wrapper);
  const counts = [];
  for (const name of readdirSync(out).filter((file) => file.startsWith('callgrind.'))) {
    const text = readFileSync(join(out, name), 'utf8');
    const command = /^cmd:(.*)$/m.exec(text)?.[1] ?? '';
    const total = /^(?:summary|totals): (\d+)/m.exec(text);
    if (command.includes('spawn_main') && total) counts.push(Number(total[1]));
  }
  if (counts.length !== 8) throw new Error(`expected 8 spawn workers under callgrind, found ${counts.length}`);
  return counts;
}

if (INSTRUCTIONS) {
  const millions = (n) => (n / 1e6).toFixed(1) + 'M';
  console.log('Pool of 8 spawn workers: instructions per worker (callgrind), median (min-max)');
  console.log('| Python | plain worker | debugged worker | agent adds per worker |');
  console.log('|---|---|---|---|');
  for (const { version, python } of pythons) {
    const plain = await workerInstructions(python, (wrapper) => plainRun(wrapper, program));
    const debugged = await workerInstructions(python, (wrapper) => debuggedRun(wrapper, program));
    const p = median(plain);
    const d = median(debugged);
    console.log(
      `| ${version} | ${millions(p)} (${millions(Math.min(...plain))}-${millions(Math.max(...plain))}) | ${millions(d)} (${millions(Math.min(...debugged))}-${millions(Math.max(...debugged))}) | +${millions(d - p)} |`,
    );
  }
  process.exit(0);
}
console.log(`Pool of 8 spawn workers, ${ROUNDS} rounds each, medians (ms)`);
console.log('| Python | plain: all running | debugged: all running | plain: total | debugged: total | total ratio | attach per child (median / max) |');
console.log('|---|---|---|---|---|---|---|');
for (const { version, python } of pythons) {
  const plain = [];
  const debugged = [];
  plainRun(python, program); // warm the file cache
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(plainRun(python, program));
    debugged.push(await debuggedRun(python, program));
  }
  const attach = debugged.flatMap((run) => run.attachCosts);
  const p = { running: median(plain.map((r) => r.running)), total: median(plain.map((r) => r.total)) };
  const d = { running: median(debugged.map((r) => r.running)), total: median(debugged.map((r) => r.total)) };
  console.log(
    `| ${version} | ${p.running.toFixed(0)} | ${d.running.toFixed(0)} | ${p.total.toFixed(0)} | ${d.total.toFixed(0)} | ${(d.total / p.total).toFixed(2)}x | ${median(attach).toFixed(1)} / ${Math.max(...attach).toFixed(1)} |`,
  );
}
process.exit(0);
