/**
 * Apply Changes end to end: real programs, stopped at a breakpoint, files rewritten on disk,
 * `dapper/hotReload` sent through the standalone adapter, and the program's OWN OUTPUT checked
 * to prove which code ran. Runs on every Python found (DAPPER_TEST_PYTHONS=3.12 to narrow).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST, HOT_RELOAD_RESULT_EVENT, type HotReloadResponseBody } from '../../common/hotReload';
import {
  PYTHONS,
  continueThread,
  launchProgram,
  lineOf,
  localsOf,
  outputOf,
  request,
  requestOk,
  startAdapter,
  stopAdapter,
  waitForExit,
  waitForOutput,
  waitForStop,
  writeScript,
  requestsTogether,
} from './support';

type HotReloadResponse = DebugProtocol.Response & { body: HotReloadResponseBody };

function rewrite(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function hotReload(dc: DebugClient, path: string, options: Record<string, unknown> = {}): Promise<HotReloadResponse> {
  return request<HotReloadResponse>(dc, HOT_RELOAD_REQUEST, { source: { path }, options });
}

async function clearBreakpointsAndFinish(dc: DebugClient, path: string, threadId: number): Promise<number> {
  await requestOk(dc, 'setBreakpoints', { source: { path }, breakpoints: [] });
  const exited = waitForExit(dc);
  await continueThread(dc, threadId);
  return exited;
}

const PRICING = `"""Imported module, patched while the program runs."""
import functools
def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return "<" + str(fn(*args)) + ">"
    return wrapper

def price(amount):
    return amount + 1

@logged
def label(name, suffix="!"):
    return name + suffix

def obsolete():
    return "obsolete"

class Container:
    def describe(self):
        return "container"

class Basket(Container):
    def __init__(self):
        self.items = [1, 2]
    def total(self):
        return sum(self.items)
    def describe(self):
        return "basket"
`;

const PRICING_EDITED = `"""Imported module, patched while the program runs."""
import functools
def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return "<" + str(fn(*args)) + ">"
    return wrapper

def price(amount):
    return amount * 100

@logged
def label(name, suffix="?"):
    return name.upper() + suffix

class Container:
    def describe(self):
        return "container"

class Basket(Container):
    def __init__(self):
        self.items = [1, 2]
    def total(self):
        return sum(self.items) * 10
    def describe(self):
        return super().describe() + " with " + self.extra()
    def extra(self):
        return "new method"

def added():
    return "added function"
`;

const MAIN = `import sys
from shop.pricing import price, label, Basket
import shop.pricing as pricing
print("main body ran")
CALLBACKS = [price]
TAX = 1
basket = Basket()
total_of_basket = basket.total
def step(i):
    extra = pricing.added() if hasattr(pricing, "added") else "none"
    return "%d: %s %s %s %s %s %s %s %s %s" % (
        i, price(1), CALLBACKS[0](2), total_of_basket(), basket.describe(), TAX, extra,
        label("x"), isinstance(basket, pricing.Basket), hasattr(pricing, "obsolete"))
print(step(0))
for i in range(1, 3):
    print(step(i))  # BP
print("done")
`;

for (const { version, python } of PYTHONS) {
  describe(`Apply Changes on Python ${version}`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    it('patches an imported submodule and the main script without re-running the main body', async () => {
      const program = writeScript(MAIN, 'main.py');
      const pricingPath = join(dirname(program), 'shop', 'pricing.py');
      rewrite(join(dirname(program), 'shop', '__init__.py'), '');
      rewrite(pricingPath, PRICING);
      const line = lineOf(MAIN, '# BP');
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [line] }] });
      const stop = await stopped;
      await waitForOutput(dc, 'stdout', '0: 2 3 3 basket 1 none <x!> True True');

      rewrite(pricingPath, PRICING_EDITED);
      const resultEvent = dc.waitForEvent(HOT_RELOAD_RESULT_EVENT);
      const pricingReload = await hotReload(dc, pricingPath);
      expect(pricingReload.success, pricingReload.message).toBe(true);
      expect(pricingReload.body).toMatchObject({
        module: 'shop.pricing',
        patchedFunctions: 4,
        patchedClasses: 1,
        addedDefinitions: 2,
        removedDefinitions: 1,
      });
      expect(pricingReload.body.diagnostics.map((d) => d.code).sort()).toEqual(['definition-removed', 'super-cell-changed']);
      expect((await resultEvent).body).toMatchObject({ success: true, module: 'shop.pricing' });

      rewrite(program, MAIN.replace('TAX = 1', 'TAX = 2').replace('"%d: ', '"new %d: '));
      const mainReload = await hotReload(dc, program);
      expect(mainReload.success, mainReload.message).toBe(true);
      expect(mainReload.body.module).toBe('__main__');
      expect(mainReload.body.diagnostics).toEqual([]);

      const exitCode = await clearBreakpointsAndFinish(dc, program, stop.event.body.threadId);
      expect(exitCode).toBe(0);
      const stdout = outputOf(dc, 'stdout');
      expect(stdout.match(/main body ran/g)).toHaveLength(1);
      expect(stdout).toContain('new 1: 100 200 30 container with new method 2 added function <X?> True False');
      expect(stdout).toContain('new 2: 100 200 30 container with new method 2 added function <X?> True False');
    });

    it('refuses a syntax error with its location, and the old code keeps running', async () => {
      const script = `def greet(i):\n    return "old %d" % i\nfor i in range(2):\n    print(greet(i))  # BP\n`;
      const program = writeScript(script);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(script, '# BP')] }] });
      const stop = await stopped;
      rewrite(program, script.replace('return "old %d" % i', 'return "new %d" %% i'));
      const answer = await hotReload(dc, program);
      expect(answer.success).toBe(false);
      expect(answer.message).toMatch(/line 2/);
      const diagnostic = answer.body.diagnostics[0];
      expect(diagnostic).toMatchObject({ code: 'syntax-error', severity: 'error', path: program, line: 2 });
      expect(diagnostic.column).toBeGreaterThan(0);
      expect(await clearBreakpointsAndFinish(dc, program, stop.event.body.threadId)).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('old 0\nold 1\n');
    });

    it('refuses files the program did not load and non-Python files, with the program untouched', async () => {
      const script = `def greet():\n    return "old"\nprint(greet())  # BP\nprint(greet())\n`;
      const program = writeScript(script);
      const notLoaded = join(dirname(program), 'other.py');
      const notPython = join(dirname(program), 'notes.txt');
      rewrite(notLoaded, 'X = 1\n');
      rewrite(notPython, 'hello\n');
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(script, '# BP')] }] });
      const stop = await stopped;
      const refusedNotLoaded = await hotReload(dc, notLoaded);
      expect(refusedNotLoaded.success).toBe(false);
      expect(refusedNotLoaded.body.diagnostics.map((d) => d.code)).toEqual(['file-not-loaded']);
      const refusedNotPython = await hotReload(dc, notPython);
      expect(refusedNotPython.body.diagnostics.map((d) => d.code)).toEqual(['not-python-file']);
      const extension = join(dirname(program), 'fast.cpython-312-x86_64-linux-gnu.so');
      rewrite(extension, '');
      const refusedExtension = await hotReload(dc, extension);
      expect(refusedExtension.body.diagnostics.map((d) => d.code)).toEqual(['c-extension']);
      const moved = join(dirname(program), 'moved.py');
      renameSync(program, moved);
      const refusedMissing = await hotReload(dc, program);
      expect(refusedMissing.message).toMatch(/no longer exists/);
      expect(refusedMissing.body.diagnostics.map((d) => d.code)).toEqual(['file-not-found']);
      renameSync(moved, program);
      // Both requests leave in one write, so the second arrives while the first is running.
      const reloadRequest = { command: HOT_RELOAD_REQUEST, args: { source: { path: program }, options: {} } };
      const [first, second] = (await requestsTogether(dc, [reloadRequest, reloadRequest])) as HotReloadResponse[];
      expect(first.success, first.message).toBe(true);
      expect(second.success).toBe(false);
      expect(second.message).toMatch(/already running/);
      rmSync(notLoaded);
      expect(await clearBreakpointsAndFinish(dc, program, stop.event.body.threadId)).toBe(0);
      expect(outputOf(dc, 'stdout')).toBe('old\nold\n');
    });

    it('keeps breakpoints on their statements when lines are inserted above them', async () => {
      const script = `def work(i):\n    value = i * 2\n    return value  # BP\nfor i in range(3):\n    print(work(i))\n`;
      const program = writeScript(script);
      const line = lineOf(script, '# BP');
      let stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [line] }] });
      let stop = await stopped;
      expect(stop.frame.line).toBe(line);
      rewrite(program, `import os\n# two new lines\n${script.replace('i * 2', 'i * 1000')}`);
      const moved = dc.waitForEvent('breakpoint');
      const answer = await hotReload(dc, program);
      expect(answer.success, answer.message).toBe(true);
      expect(answer.body.breakpointRemaps).toEqual([{ path: program, oldLine: line, newLine: line + 2 }]);
      expect(((await moved) as DebugProtocol.BreakpointEvent).body.breakpoint.line).toBe(line + 2);
      expect(answer.body.staleFrames.map((f) => f.name)).toEqual(['work']);
      const stack = await requestOk<DebugProtocol.StackTraceResponse>(dc, 'stackTrace', { threadId: stop.event.body.threadId });
      expect(stack.body.stackFrames[0].name).toContain('[old code]');

      stopped = waitForStop(dc);
      await continueThread(dc, stop.event.body.threadId);
      stop = await stopped;
      expect(stop.frame.line).toBe(line + 2);
      expect(stop.frame.name).not.toContain('[old code]');
      expect(await clearBreakpointsAndFinish(dc, program, stop.event.body.threadId)).toBe(0);
      // The running call finished with its old code; the next calls ran the new code.
      expect(outputOf(dc, 'stdout')).toBe('0\n1000\n2000\n');
    });

    it('applies to definitions the module body has not reached yet (stopped on entry)', async () => {
      const script = [
        'print("start")',
        'def greet(name):',
        '    return "old " + name  # BP',
        'class Greeter:',
        '    def hello(self):',
        '        return "old hello"',
        'print(greet("a"), Greeter().hello())',
        '',
      ].join('\n');
      const edited = [
        'print("start")',
        '# two lines',
        '# inserted above',
        'def greet(name):',
        '    text = "new " + name',
        '    return text  # BP',
        'class Greeter:',
        '    def hello(self):',
        '        return "new hello"',
        'print(greet("a"), Greeter().hello())',
        '',
      ].join('\n');
      const program = writeScript(script);
      const oldLine = lineOf(script, '# BP');
      const newLine = lineOf(edited, '# BP');
      let stopped = waitForStop(dc);
      await launchProgram(dc, { program, python, stopOnEntry: true }, { breakpoints: [{ path: program, lines: [oldLine] }] });
      let stop = await stopped;
      expect(stop.event.body.reason).toBe('entry');
      expect(stop.frame.line).toBe(1);

      rewrite(program, edited);
      const moved = dc.waitForEvent('breakpoint');
      const answer = await hotReload(dc, program);
      expect(answer.success, answer.message).toBe(true);
      // Nothing exists yet to patch: both definitions are updated when the body makes them.
      expect(answer.body).toMatchObject({ patchedFunctions: 0, pendingDefinitions: 2, diagnostics: [] });
      expect(answer.body.breakpointRemaps).toEqual([{ path: program, oldLine, newLine }]);
      expect(((await moved) as DebugProtocol.BreakpointEvent).body.breakpoint.line).toBe(newLine);

      stopped = waitForStop(dc);
      await continueThread(dc, stop.event.body.threadId);
      stop = await stopped;
      expect(stop.event.body.reason).toBe('breakpoint');
      expect(stop.frames.slice(0, 2).map((f) => [f.name, f.line])).toEqual([
        ['greet', newLine],
        ['<module>', lineOf(edited, 'print(greet')],
      ]);
      expect((await localsOf(dc, stop.frame.id)).text).toBe("'new a'");
      expect(await clearBreakpointsAndFinish(dc, program, stop.event.body.threadId)).toBe(0);
      expect(outputOf(dc, 'stdout')).toBe('start\nnew a new hello\n');
    });

    it('reports what it cannot apply, with the line, and applies the rest', async () => {
      const script = [
        'def make(a, b):',
        '    def pick():',
        '        return a',
        '    return pick',
        'PICK = make("A", "B")',
        'LOG = []',
        'LOG.append("first")',
        'def show(i):',
        '    return "%s %s %d" % (PICK(), LOG, i)',
        'for i in range(2):',
        '    print(show(i))  # BP',
        '',
      ].join('\n');
      const program = writeScript(script);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(script, '# BP')] }] });
      const stop = await stopped;
      rewrite(program, script.replace('return a', 'return b').replace('LOG.append("first")', 'LOG.append("second")').replace('%d"', '%d new"'));
      const answer = await hotReload(dc, program);
      expect(answer.success, answer.message).toBe(true);
      const byCode = Object.fromEntries(answer.body.diagnostics.map((d) => [d.code, d]));
      expect(byCode['closure-freevars-changed']).toMatchObject({ line: 2, severity: 'warning' });
      expect(byCode['module-statement-not-applied']).toMatchObject({ line: 7, severity: 'warning' });
      expect(await clearBreakpointsAndFinish(dc, program, stop.event.body.threadId)).toBe(0);
      expect(outputOf(dc, 'stdout')).toBe("A ['first'] 0 new\nA ['first'] 1 new\n");
    });

    it('applies while the program runs, rolls back a failing apply, and re-executes a module body on request', async () => {
      const config = `import enum\nclass Level(enum.Enum):\n    LOW = 1\nNAMES = sorted({"b", "a"})\ndef describe():\n    return "old describe"\n`;
      const script = [
        'import sys, time, config',
        'def handler():',
        '    return "old handler"',
        'def work(i):',
        '    saved = handler',
        '    return "%s %s %s %s" % (saved(), config.describe(), config.NAMES, config.Level.LOW.value)  # BP',
        'time.sleep(0.5)',
        'for i in range(2):',
        '    print(work(i))',
        '',
      ].join('\n');
      const program = writeScript(script);
      const configPath = join(dirname(program), 'config.py');
      rewrite(configPath, config);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(script, '# BP')] }] });
      const whileRunning = await hotReload(dc, program);
      expect(whileRunning.success, whileRunning.message).toBe(true);
      expect(whileRunning.body.patchedFunctions).toBe(0);
      const stop = await stopped;

      rewrite(configPath, config.replace('LOW = 1', 'LOW = 2').replace('"old describe"', '"new describe"'));
      const failing = await hotReload(dc, configPath);
      expect(failing.success).toBe(false);
      expect(failing.body.diagnostics.map((d) => d.code)).toEqual(['apply-failed']);
      expect(failing.message).toMatch(/restored/);

      rewrite(configPath, config.replace('"old describe"', '"new describe"').replace('{"b", "a"}', '{"d", "c"}'));
      const reexecuted = await hotReload(dc, configPath, { reExecuteModuleBody: true });
      expect(reexecuted.success, reexecuted.message).toBe(true);
      expect(reexecuted.body.diagnostics).toEqual([]);

      rewrite(program, script.replace('def handler():', 'def loud(fn):\n    return lambda: fn().upper()\n@loud\ndef handler():'));
      const rebound = await hotReload(dc, program);
      expect(rebound.success, rebound.message).toBe(true);
      expect(rebound.body.reboundFrameLocals).toBe(1);

      expect(await clearBreakpointsAndFinish(dc, program, stop.event.body.threadId)).toBe(0);
      expect(outputOf(dc, 'stdout')).toBe("OLD HANDLER new describe ['c', 'd'] 1\nOLD HANDLER new describe ['c', 'd'] 1\n");
    });
  });
}
