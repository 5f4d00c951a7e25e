/**
 * Restart Frame through the standalone adapter, on every installed Python: the top frame after
 * Apply Changes, a caller (frames above dropped, their `finally` run), a thread, a method, a
 * pytest test function, and every refusal with its reason. The program's output proves which
 * code ran and what the dropped frames did.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST } from '../../common/hotReload';
import {
  PYTHONS,
  continueThread,
  launchProgram,
  lineOf,
  outputOf,
  request,
  requestOk,
  startAdapter,
  stopAdapter,
  waitForExit,
  waitForStop,
  writeScript,
  type StopInfo,
} from './support';

type Frame = DebugProtocol.StackFrame & { restartRefusal?: string };

const SYSTEM_PYTHON = '/usr/bin/python3';
const systemPytest =
  existsSync(SYSTEM_PYTHON) && spawnSync(SYSTEM_PYTHON, ['-c', 'import pytest'], { stdio: 'ignore' }).status === 0;

const CALLER = `def inner(n):
    try:
        return n * 2  # BP
    finally:
        print("finally inner", n)

def outer(n, log):
    log.append(n)
    return inner(n) + 1

log = []
print("result", outer(5, log), log)
`;

const THREAD_METHOD = `import threading

class Base:
    def greet(self, who):
        return "hello " + who

class Greeter(Base):
    def greet(self, who):
        text = super().greet(who)
        return text + "!"  # BP

def worker(results):
    results.append(Greeter().greet("thread"))

results = []
thread = threading.Thread(target=worker, args=(results,))
thread.start()
thread.join()
print(results)
`;

const REFUSALS = `def gen():
    yield helper(1)

def helper(x):
    return x  # BP

def swallow():
    try:
        return sum(gen())
    except BaseException:
        return -1

print(swallow())
`;

for (const { version, python } of PYTHONS) {
  describe(`Restart Frame on Python ${version}`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    async function stopAtMarker(script: string, extra: Record<string, unknown> = {}): Promise<{ program: string; stop: StopInfo; capabilities: DebugProtocol.Capabilities }> {
      const program = writeScript(script);
      const stopped = waitForStop(dc);
      const launched = await launchProgram(dc, { program, python, ...extra }, { breakpoints: [{ path: program, lines: [lineOf(script, '# BP')] }] });
      return { program, stop: await stopped, capabilities: launched.initialize.body ?? {} };
    }

    async function stack(threadId: number): Promise<Frame[]> {
      const answer = await requestOk<DebugProtocol.StackTraceResponse>(dc, 'stackTrace', { threadId });
      return answer.body.stackFrames;
    }

    async function restart(frame: Frame): Promise<StopInfo> {
      const restarted = waitForStop(dc);
      await requestOk(dc, 'restartFrame', { frameId: frame.id });
      const stop = await restarted;
      expect(stop.event.body.reason).toBe('restart');
      return stop;
    }

    async function finish(program: string, threadId: number): Promise<string> {
      await requestOk(dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      const exited = waitForExit(dc);
      await continueThread(dc, threadId);
      expect(await exited).toBe(0);
      return outputOf(dc, 'stdout');
    }

    it('restarts the top frame after Apply Changes: that same call runs the new code', async () => {
      const script = 'def work(i):\n    label = "old %d" % i\n    return label  # BP\nfor i in range(2):\n    print(work(i))\n';
      const { program, stop, capabilities } = await stopAtMarker(script);
      expect(capabilities.supportsRestartFrame).toBe(true);
      writeFileSync(program, script.replace('"old %d"', '"new %d"'));
      const applied = await request(dc, HOT_RELOAD_REQUEST, { source: { path: program }, options: {} });
      expect(applied.success, applied.message).toBe(true);
      const frames = await stack(stop.event.body.threadId);
      expect(frames.map((f) => [f.name, f.canRestart])).toEqual([['work [old code]', true], ['<module>', false]]);
      const restarted = await restart(frames[0]);
      expect([restarted.frame.name, restarted.frame.line]).toEqual(['work', 2]);
      expect(await finish(program, stop.event.body.threadId)).toBe('new 0\nnew 1\n');
    });

    it('restarts a caller: the frames above are dropped and their finally blocks run', async () => {
      const { program, stop } = await stopAtMarker(CALLER);
      const frames = await stack(stop.event.body.threadId);
      expect(frames.map((f) => f.name)).toEqual(['inner', 'outer', '<module>']);
      await requestOk(dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      const restarted = await restart(frames[1]);
      expect(restarted.frames.map((f) => [f.name, f.line])).toEqual([['outer', 8], ['<module>', 12]]);
      expect(await finish(program, stop.event.body.threadId)).toBe('finally inner 5\nfinally inner 5\nresult 11 [5, 5]\n');
    });

    it('restarts a method using super() inside a thread, with the new code', async () => {
      const { program, stop } = await stopAtMarker(THREAD_METHOD);
      writeFileSync(program, THREAD_METHOD.replace('text + "!"', 'text + "?"'));
      const applied = await request(dc, HOT_RELOAD_REQUEST, { source: { path: program }, options: {} });
      expect(applied.success, applied.message).toBe(true);
      const frames = await stack(stop.event.body.threadId);
      expect(frames[0].canRestart).toBe(true);
      const restarted = await restart(frames[0]);
      expect(restarted.event.body.threadId).toBe(stop.event.body.threadId);
      expect(restarted.frame.line).toBe(9);
      expect(await finish(program, stop.event.body.threadId)).toBe("['hello thread?']\n");
    });

    it('refuses the module body, a generator and frames a catch-all handler would stop, saying why', async () => {
      const { program, stop } = await stopAtMarker(REFUSALS);
      const frames = await stack(stop.event.body.threadId);
      expect(frames.map((f) => f.name.replace(/^.*\./, ''))).toEqual(['helper', 'gen', 'swallow', '<module>']);
      expect(frames.map((f) => f.canRestart)).toEqual([true, false, false, false]);
      expect(frames[1].restartRefusal).toMatch(/is a generator/);
      expect(frames[2].restartRefusal).toMatch(/Line 10 of program\.py \(swallow\(\)\).*`except BaseException:` catches it/);
      expect(frames[3].restartRefusal).toMatch(/module body.*Restart on the toolbar/);
      for (const frame of frames.slice(1)) {
        const refused = await request(dc, 'restartFrame', { frameId: frame.id });
        expect(refused.success).toBe(false);
        expect(refused.message).toBe(frame.restartRefusal);
      }
      expect(await finish(program, stop.event.body.threadId)).toBe('1\n');
    });

    it('with "restartFrame": false compiles nothing and says Restart Frame is off', async () => {
      const { program, stop } = await stopAtMarker(CALLER, { restartFrame: false });
      const frames = await stack(stop.event.body.threadId);
      expect(frames[0].canRestart).toBe(false);
      expect(frames[0].restartRefusal).toMatch(/turned off.*"restartFrame": false/);
      expect(await finish(program, stop.event.body.threadId)).toBe('finally inner 5\nresult 11 [5]\n');
    });
  });
}

describe.skipIf(!systemPytest)(`Restart Frame in a pytest test (${SYSTEM_PYTHON} -m pytest; needs Debian's python3-pytest)`, () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startAdapter();
  });
  afterEach(() => stopAdapter(dc));

  it('restarts the test function with the applied fix and the test passes', async () => {
    const testText = 'def total(values):\n    return sum(values)\n\ndef test_total():\n    values = [1, 2]\n    assert total(values) == 4  # BP\n';
    const testFile = writeScript(testText, 'test_sample.py');
    const stopped = waitForStop(dc);
    await launchProgram(
      dc,
      { module: 'pytest', args: ['-q', '-p', 'no:cacheprovider', testFile], cwd: dirname(testFile), python: SYSTEM_PYTHON },
      { breakpoints: [{ path: testFile, lines: [lineOf(testText, '# BP')] }] },
    );
    const stop = await stopped;
    expect([stop.frame.name, stop.frame.canRestart]).toEqual(['test_total', true]);
    writeFileSync(testFile, testText.replace('[1, 2]', '[1, 3]'));
    const applied = await request(dc, HOT_RELOAD_REQUEST, { source: { path: testFile }, options: {} });
    expect(applied.success, applied.message).toBe(true);
    const restarted = waitForStop(dc);
    await requestOk(dc, 'restartFrame', { frameId: stop.frame.id });
    const again = await restarted;
    expect([again.event.body.reason, again.frame.line]).toEqual(['restart', 5]);
    await requestOk(dc, 'setBreakpoints', { source: { path: testFile }, breakpoints: [] });
    const exited = waitForExit(dc);
    await continueThread(dc, stop.event.body.threadId);
    expect(await exited).toBe(0);
    expect(outputOf(dc, 'stdout')).toMatch(/1 passed/);
    expect(existsSync(join(dirname(testFile), '__pycache__'))).toBe(false);
  });
});
