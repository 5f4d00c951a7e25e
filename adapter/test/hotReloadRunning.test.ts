/**
 * Apply Changes while the program runs, end to end through the standalone adapter: no stop
 * before, none during (no `stopped`/`continued` event), the program's own output shows which
 * code ran. Runs on every Python found (DAPPER_TEST_PYTHONS=3.12 to narrow).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HOT_RELOAD_REQUEST,
  HOT_RELOAD_RESULT_EVENT,
  PREPARE_APPLY_REQUEST,
  type HotReloadResponseBody,
  type HotReloadResultEventBody,
} from '../../common/hotReload';
import {
  PYTHONS,
  launchProgram,
  outputOf,
  request,
  requestOk,
  requestsTogether,
  startAdapter,
  stopAdapter,
  waitForExit,
  waitForOutput,
  waitForStop,
  writeScript,
} from './support';

type HotReloadResponse = DebugProtocol.Response & { body: HotReloadResponseBody };

function hotReload(dc: DebugClient, path: string): Promise<HotReloadResponse> {
  return request<HotReloadResponse>(dc, HOT_RELOAD_REQUEST, { source: { path } });
}

/** The program runs until a file named `stop` appears next to it. */
const STOP_CHECK = `import os, threading, time
STOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stop")
def running():
    return not os.path.exists(STOP)
`;

const LOOP = `${STOP_CHECK}def value():
    return "old"
while running():
    print("value", value(), flush=True)
    time.sleep(0.02)
`;

const THREADS = `${STOP_CHECK}lock = threading.Lock()
lock.acquire()
entered = threading.Event()
def value():
    return "old"
def slow():
    entered.set()
    time.sleep(3.0)  # inside
    return "slow " + value()
def sleeper():
    time.sleep(3.0)
    print("sleeper", value(), flush=True)
def locked():
    lock.acquire()
    print("locked", value(), flush=True)
def worker():
    print("first", slow(), flush=True)
    print("second", slow(), flush=True)
threads = [threading.Thread(target=t, name=t.__name__) for t in (sleeper, locked, worker)]
for thread in threads:
    thread.start()
entered.wait()
print("ready", flush=True)
while running():
    time.sleep(0.02)
lock.release()
for thread in threads:
    thread.join()
`;

/** Prints the GIL switch interval each time it changes (the program's own value is 2 ms). */
const INTERVAL = `${STOP_CHECK}import sys
sys.setswitchinterval(0.002)
seen = None
while running():
    now = sys.getswitchinterval()
    if now != seen:
        seen = now
        print("interval %r" % now, flush=True)
    time.sleep(0.005)
`;

/** Waits until `text` is printed after the output seen so far. */
async function waitForNewOutput(dc: DebugClient, text: string): Promise<void> {
  const before = outputOf(dc, 'stdout').length;
  const deadline = Date.now() + 20_000;
  while (!outputOf(dc, 'stdout').slice(before).includes(text)) {
    if (Date.now() > deadline) throw new Error(`'${text}' was not printed again; got: ${outputOf(dc, 'stdout').slice(-300)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stopProgram(dc: DebugClient, program: string): Promise<number> {
  const exited = waitForExit(dc);
  writeFileSync(join(dirname(program), 'stop'), '');
  return exited;
}

for (const { version, python } of PYTHONS) {
  describe(`Apply Changes while the program runs, Python ${version}`, () => {
    let dc: DebugClient;
    let pausedOrResumed: string[];
    beforeEach(async () => {
      dc = await startAdapter();
      pausedOrResumed = [];
      dc.on('stopped', () => pausedOrResumed.push('stopped'));
      dc.on('continued', () => pausedOrResumed.push('continued'));
    });
    afterEach(() => stopAdapter(dc));

    it('applies while a loop runs: same response and result event, new values at once, never paused', async () => {
      const program = writeScript(LOOP);
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'value old');
      writeFileSync(program, LOOP.replace('return "old"', 'return "new"'));
      const result = dc.waitForEvent(HOT_RELOAD_RESULT_EVENT);
      const applied = await hotReload(dc, program);
      expect(applied.success, applied.message).toBe(true);
      expect(applied.body.patchedFunctions).toBe(1);
      expect(applied.body.staleFrames).toEqual([]);
      const event = (await result).body as HotReloadResultEventBody;
      expect(event.success).toBe(true);
      expect(event.patchedFunctions).toBe(1);
      const before = outputOf(dc, 'stdout').length;
      await waitForOutput(dc, 'stdout', /value new/);
      expect(outputOf(dc, 'stdout').slice(before).split('value new').slice(1).join('')).not.toContain('value old');
      expect(await stopProgram(dc, program)).toBe(0);
      expect(pausedOrResumed).toEqual([]);
    });

    it('applies while threads sleep or block; a thread inside the changed function is stale and finishes on old code', async () => {
      const program = writeScript(THREADS);
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'ready');
      writeFileSync(program, THREADS.replace('return "old"', 'return "new"').replace('return "slow " + value()', 'return "SLOW " + value()'));
      const applied = await hotReload(dc, program);
      expect(applied.success, applied.message).toBe(true);
      expect(applied.body.patchedFunctions).toBe(2);
      const threads = (await requestOk<DebugProtocol.ThreadsResponse>(dc, 'threads')).body.threads;
      const worker = threads.find((thread) => thread.name === 'worker');
      expect(applied.body.staleFrames.map((frame) => [frame.name, frame.threadId, frame.line])).toEqual([['slow', worker?.id, 12]]);
      await waitForOutput(dc, 'stdout', 'second SLOW new');
      expect(await stopProgram(dc, program)).toBe(0);
      const printed = outputOf(dc, 'stdout');
      expect(printed).toContain('first slow new'); // the stale frame ran its old code, calling the new value()
      expect(printed).toContain('sleeper new');
      expect(printed).toContain('locked new');
      expect(pausedOrResumed).toEqual([]);
    });

    it('a refused apply while running leaves the old code running and says why', async () => {
      const program = writeScript(LOOP);
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'value old');
      writeFileSync(program, LOOP.replace('def value():\n    return "old"', 'def value(:\n    return "new"'));
      const result = dc.waitForEvent(HOT_RELOAD_RESULT_EVENT);
      const refused = await hotReload(dc, program);
      expect(refused.success).toBe(false);
      expect(refused.body.diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
      expect(((await result).body as HotReloadResultEventBody).success).toBe(false);
      await waitForNewOutput(dc, 'value old');
      expect(await stopProgram(dc, program)).toBe(0);
      expect(outputOf(dc, 'stdout')).not.toContain('value new');
      expect(pausedOrResumed).toEqual([]);
    });

    it('refuses continue while an apply is in progress, and a second concurrent apply', async () => {
      const program = writeScript(LOOP);
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'value old');
      writeFileSync(program, LOOP.replace('def value():\n    return "old"', 'def value(x=time.sleep(1.0)):\n    return "new"'));
      const [first, second, resumed] = await requestsTogether(dc, [
        { command: HOT_RELOAD_REQUEST, args: { source: { path: program } } },
        { command: HOT_RELOAD_REQUEST, args: { source: { path: program } } },
        { command: 'continue', args: { threadId: 1 } },
      ]);
      expect(first.success, first.message).toBe(true);
      expect(second.success).toBe(false);
      expect(second.message).toMatch(/already running/);
      expect(resumed.success).toBe(false);
      expect(resumed.message).toMatch(/Apply Changes is in progress/);
      await waitForOutput(dc, 'stdout', 'value new');
      expect(await stopProgram(dc, program)).toBe(0);
    });
  });
}

for (const { version, python } of PYTHONS) {
  describe(`dapper/prepareApply, Python ${version}`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    it.skipIf(process.platform !== 'linux')('rings the doorbell for requests while the program runs (Linux only: the agent finds the interval through /proc), not while it is stopped', async () => {
      const program = writeScript(INTERVAL.replace('import sys', 'import sys\ndef value():\n    return "old"'));
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'interval 0.002');
      const intervalSeen = async () =>
        (await requestOk<DebugProtocol.EvaluateResponse>(dc, 'evaluate', { expression: '__import__("sys").getswitchinterval()', context: 'repl' })).body
          .result;
      // The first request while the program runs has the adapter ask for the doorbell; once it
      // is open, every request while the program runs is rung for and finds the interval
      // lowered while it is handled: three in a row, apart (opening the doorbell lowers it
      // once too, for a moment).
      const deadline = Date.now() + 20_000;
      let inARow = 0;
      while (inARow < 3) {
        expect(Date.now()).toBeLessThan(deadline);
        inARow = (await intervalSeen()) === '0.0005' ? inARow + 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      writeFileSync(program, readFileSync(program, 'utf8').replace('return "old"', 'return "new"'));
      const applied = await hotReload(dc, program);
      expect(applied.success, applied.message).toBe(true);
      expect(applied.body.patchedFunctions).toBe(1);
      // Stopped, nothing is rung for: the program's own value.
      const threads = await requestOk<DebugProtocol.ThreadsResponse>(dc, 'threads');
      const paused = waitForStop(dc);
      await requestOk(dc, 'pause', { threadId: threads.body.threads[0].id });
      const frameId = (await paused).frame.id;
      const stoppedSeen = await requestOk<DebugProtocol.EvaluateResponse>(dc, 'evaluate', { expression: 'sys.getswitchinterval(), value()', frameId, context: 'repl' });
      expect(stoppedSeen.body.result).toBe("(0.002, 'new')");
      await requestOk(dc, 'continue', { threadId: threads.body.threads[0].id });
      expect(await stopProgram(dc, program)).toBe(0);
      // Each lowering ended with its request: the program ends on its own value.
      expect(outputOf(dc, 'stdout').trimEnd().split('\n').pop()).toBe('interval 0.002');
    });

    it('reaches the agent: the program runs with a lowered switch interval until active is false; malformed arguments are refused', async () => {
      const program = writeScript(INTERVAL);
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'interval 0.002');
      const lowered = waitForNewOutput(dc, 'interval 0.0005');
      await requestOk(dc, PREPARE_APPLY_REQUEST, { source: { path: program }, active: true });
      await lowered;
      const missing = await request(dc, PREPARE_APPLY_REQUEST, { source: { path: program } });
      expect(missing.success).toBe(false);
      expect(missing.message).toMatch(/active/);
      const wrongType = await request(dc, PREPARE_APPLY_REQUEST, { source: { path: program }, active: 'yes' });
      expect(wrongType.success).toBe(false);
      expect(wrongType.message).toMatch(/active/);
      const restored = waitForNewOutput(dc, 'interval 0.002');
      await requestOk(dc, PREPARE_APPLY_REQUEST, { source: { path: program }, active: false });
      await restored;
      expect(await stopProgram(dc, program)).toBe(0);
    });
  });
}

for (const { version, python } of PYTHONS) {
  describe(`an apply the client was told failed never lands, Python ${version}`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      // The adapter gives up after 3 s; the agent must cancel the apply by itself.
      dc = await startAdapter({ DAPPER_REQUEST_TIMEOUT_MS: '3000' });
    });
    afterEach(() => stopAdapter(dc));

    it('cancels an apply still running when the adapter stops waiting', async () => {
      const program = writeScript(LOOP);
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'value old');
      // The default is evaluated while the agent runs the new module body, on its sleep
      // past the adapter's deadline; it says when it is done.
      writeFileSync(program, LOOP.replace('def value():\n    return "old"', 'def value(x=(time.sleep(6), print("default evaluated", flush=True))):\n    return "new"'));
      const result = dc.waitForEvent(HOT_RELOAD_RESULT_EVENT, 10_000);
      const timedOut = await hotReload(dc, program);
      expect(timedOut.success).toBe(false);
      expect(timedOut.message).toMatch(/did not answer/);
      expect(((await result).body as HotReloadResultEventBody).success).toBe(false);
      // Past the sleep the agent finds its deadline gone and changes nothing: the program,
      // held while the apply runs, prints with its old code once the agent lets it go.
      await waitForOutput(dc, 'stdout', 'default evaluated', 20_000);
      await waitForNewOutput(dc, 'value old');
      expect(outputOf(dc, 'stdout')).not.toContain('value new');
      expect(await stopProgram(dc, program)).toBe(0);
    });
  });
}
