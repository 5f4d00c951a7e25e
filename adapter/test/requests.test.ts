/**
 * Forwarded requests on every Python version: breakpoint kinds, exceptions, stepping,
 * variables, evaluation, completions, goto, pause. Asserts what the client observes.
 */
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
} from './support';

const PROGRAM = `def square(n):
    result = n * n  # IN_SQUARE
    return result

values = []
for i in range(6):
    values.append(square(i))  # LOOP
print("values", values)  # AFTER
`;

for (const { version, python } of PYTHONS) {
  describe(`Python ${version}: requests`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    it('conditional, hit-count and log breakpoints', async () => {
      const program = writeScript(PROGRAM);
      const loop = lineOf(PROGRAM, '# LOOP');
      const inSquare = lineOf(PROGRAM, '# IN_SQUARE');
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, {
        breakpoints: [
          {
            path: program,
            breakpoints: [
              { line: inSquare, logMessage: 'square of {n}' },
              { line: loop, condition: 'i == 3' },
            ],
          },
        ],
      });
      const first = await stopped;
      expect(first.frame.line).toBe(loop);
      expect((await localsOf(dc, first.frame.id)).i).toBe('3');
      await waitForOutput(dc, 'console', 'square of 2');
      expect(outputOf(dc, 'console')).not.toContain('square of 3');

      await requestOk(dc, 'setBreakpoints', { source: { path: program }, breakpoints: [{ line: inSquare, hitCondition: '2' }] });
      const second = waitForStop(dc);
      await continueThread(dc, first.event.body.threadId!);
      const hit = await second;
      expect(hit.frame.line).toBe(inSquare);
      expect((await localsOf(dc, hit.frame.id)).n).toBe('4');
      // Delayed stack loading: the client asks for the top frame first.
      const top = await requestOk<DebugProtocol.StackTraceResponse>(dc, 'stackTrace', { threadId: hit.event.body.threadId, startFrame: 0, levels: 1 });
      expect(top.body.stackFrames).toHaveLength(1);
      expect(top.body.totalFrames).toBe(2);
      const rest = await requestOk<DebugProtocol.StackTraceResponse>(dc, 'stackTrace', { threadId: hit.event.body.threadId, startFrame: 1, levels: 20 });
      expect(rest.body.stackFrames.map((f) => f.line)).toEqual([loop]);
    });

    it('function breakpoints, stepping in, over and out', async () => {
      const program = writeScript(PROGRAM);
      const stopped = waitForStop(dc);
      const { functionBreakpoints } = await launchProgram(dc, { program, python }, { functionBreakpoints: ['square'] });
      expect(functionBreakpoints).toHaveLength(1);
      const atFunction = await stopped;
      expect(atFunction.event.body.reason).toMatch(/breakpoint/);
      expect(atFunction.frame.name).toContain('square');
      const threadId = atFunction.event.body.threadId!;
      await requestOk(dc, 'setFunctionBreakpoints', { breakpoints: [] });

      const afterNext = waitForStop(dc);
      await requestOk(dc, 'next', { threadId });
      const next = await afterNext;
      expect(next.event.body.reason).toBe('step');
      expect(next.frame.line).toBe(lineOf(PROGRAM, 'return result'));

      const afterOut = waitForStop(dc);
      await requestOk(dc, 'stepOut', { threadId });
      const out = await afterOut;
      expect(out.frame.line).toBe(lineOf(PROGRAM, '# LOOP'));
      expect(out.frames.some((f) => f.name.includes('square'))).toBe(false);

      // Over the loop header back to the call line, then into the call.
      for (const expected of [lineOf(PROGRAM, 'for i in range'), lineOf(PROGRAM, '# LOOP')]) {
        const stepped = waitForStop(dc);
        await requestOk(dc, 'next', { threadId });
        expect((await stepped).frame.line).toBe(expected);
      }
      const intoSquare = waitForStop(dc);
      await requestOk(dc, 'stepIn', { threadId });
      const into = await intoSquare;
      expect(into.frame.name).toContain('square');
    });

    it('variables, setVariable, evaluate (watch, hover, repl), completions', async () => {
      const program = writeScript(PROGRAM);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(PROGRAM, '# AFTER')] }] });
      const { frame } = await stopped;
      const scopes = await requestOk<DebugProtocol.ScopesResponse>(dc, 'scopes', { frameId: frame.id });
      // At module level the locals are the globals: one scope, named Locals.
      expect(scopes.body.scopes[0].name).toBe('Locals');
      const locals = await requestOk<DebugProtocol.VariablesResponse>(dc, 'variables', { variablesReference: scopes.body.scopes[0].variablesReference });
      const values = locals.body.variables.find((v) => v.name === 'values')!;
      expect(values.variablesReference).toBeGreaterThan(0);
      const items = await requestOk<DebugProtocol.VariablesResponse>(dc, 'variables', { variablesReference: values.variablesReference });
      expect(items.body.variables.map((v) => v.value)).toEqual(expect.arrayContaining(['0', '1', '4', '9', '16', '25']));

      const set = await requestOk<DebugProtocol.SetVariableResponse>(dc, 'setVariable', {
        variablesReference: scopes.body.scopes[0].variablesReference,
        name: 'i',
        value: '41 + 1',
      });
      expect(set.body.value).toBe('42');
      const watch = await requestOk<DebugProtocol.EvaluateResponse>(dc, 'evaluate', { expression: 'i * 2', frameId: frame.id, context: 'watch' });
      expect(watch.body.result).toBe('84');
      const hover = await requestOk<DebugProtocol.EvaluateResponse>(dc, 'evaluate', { expression: 'values', frameId: frame.id, context: 'hover' });
      expect(hover.body.result).toContain('25');
      await requestOk(dc, 'evaluate', { expression: 'extra = i + 1', frameId: frame.id, context: 'repl' });
      const extra = await requestOk<DebugProtocol.EvaluateResponse>(dc, 'evaluate', { expression: 'extra', frameId: frame.id, context: 'repl' });
      expect(extra.body.result).toBe('43');
      const failing = await request(dc, 'evaluate', { expression: 'no_such_name', frameId: frame.id, context: 'watch' });
      expect(failing.success).toBe(false);
      expect(failing.message).toMatch(/no_such_name/);
      // The user's text is kept, braces included (DAP's error format would take them for variables).
      const braces = await request(dc, 'evaluate', { expression: "raise ValueError('{name} and }')", frameId: frame.id, context: 'repl' });
      expect(braces.success).toBe(false);
      expect(braces.message).toContain('{name} and }');
      expect((braces.body as DebugProtocol.ErrorResponse['body']).error?.format).toContain('{name} and }');
      const openBrace = await request(dc, 'evaluate', { expression: '{', frameId: frame.id, context: 'repl' });
      expect(openBrace.success).toBe(false);
      expect(openBrace.message).toMatch(/SyntaxError/);
      if (!version.startsWith('3.9')) expect(openBrace.message).toContain("'{' was never closed");

      const malformed = await request(dc, 'variables', { variablesReference: 'not-a-number' });
      expect(malformed.success).toBe(false);
      expect((await request(dc, 'threads')).success).toBe(true);

      const completions = await requestOk<DebugProtocol.CompletionsResponse>(dc, 'completions', { text: 'values.ap', column: 10, frameId: frame.id });
      expect(completions.body.targets.map((t) => t.label)).toContain('append');

      const exited = waitForExit(dc);
      await continueThread(dc, (await requestOk<DebugProtocol.ThreadsResponse>(dc, 'threads')).body.threads[0].id);
      expect(await exited).toBe(0);
      await waitForOutput(dc, 'stdout', 'values [0, 1, 4, 9, 16, 25]');
    });

    it('breakpointLocations, gotoTargets and goto', async () => {
      const program = writeScript(PROGRAM);
      const loop = lineOf(PROGRAM, '# LOOP');
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(PROGRAM, '# AFTER')] }] });
      const { event, frame } = await stopped;
      const locations = await requestOk<DebugProtocol.BreakpointLocationsResponse>(dc, 'breakpointLocations', {
        source: { path: program },
        line: 1,
        endLine: 9,
      });
      const lines = locations.body.breakpoints.map((b) => b.line);
      expect(lines).toContain(loop);
      expect(lines).not.toContain(lineOf(PROGRAM, 'values = []') - 1);
      const targets = await requestOk<DebugProtocol.GotoTargetsResponse>(dc, 'gotoTargets', {
        source: { path: program },
        line: lineOf(PROGRAM, 'values = []'),
      });
      expect(targets.body.targets.length).toBeGreaterThan(0);
      const moved = waitForStop(dc);
      await requestOk(dc, 'goto', { threadId: event.body.threadId, targetId: targets.body.targets[0].id });
      const after = await moved;
      expect(after.frame.line).toBe(lineOf(PROGRAM, 'values = []'));
      expect(frame.line).toBe(lineOf(PROGRAM, '# AFTER'));
    });

    it('stops on an uncaught exception by default, with exceptionInfo; exit code 1 after', async () => {
      const source = 'def fail():\n    raise ValueError("bad value 42")\n\nfail()\n';
      const program = writeScript(source);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python });
      const { event } = await stopped;
      expect(event.body.reason).toBe('exception');
      const info = await requestOk<DebugProtocol.ExceptionInfoResponse>(dc, 'exceptionInfo', { threadId: event.body.threadId });
      expect(info.body.exceptionId).toContain('ValueError');
      expect(info.body.description).toContain('bad value 42');
      const exited = waitForExit(dc);
      await continueThread(dc, event.body.threadId!);
      expect(await exited).toBe(1);
      await waitForOutput(dc, 'stderr', 'ValueError');
    });

    it('raised filter stops on a caught exception; no filter lets the program run', async () => {
      const source = 'try:\n    raise KeyError("k")\nexcept KeyError:\n    pass\nprint("survived")\n';
      const program = writeScript(source);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { exceptionFilters: ['raised'] });
      const { event, frame } = await stopped;
      expect(event.body.reason).toBe('exception');
      expect(frame.line).toBe(2);
      const exited = waitForExit(dc);
      await continueThread(dc, event.body.threadId!);
      expect(await exited).toBe(0);
    });

    it('justMyCode (default on) steps over library code; off steps into it', async () => {
      const source = 'import json\ntext = json.dumps({"a": 1})  # CALL\nprint(text)\n';
      for (const justMyCode of [undefined, false]) {
        const client = justMyCode === undefined ? dc : await startAdapter();
        try {
          const program = writeScript(source);
          const stopped = waitForStop(client);
          await launchProgram(client, { program, python, ...(justMyCode === undefined ? {} : { justMyCode }) }, {
            breakpoints: [{ path: program, lines: [2] }],
          });
          const { event } = await stopped;
          const stepped = waitForStop(client);
          await requestOk(client, 'stepIn', { threadId: event.body.threadId });
          const { frame } = await stepped;
          if (justMyCode === undefined) {
            expect(frame.source?.path).toBe(program);
            expect(frame.line).toBe(3);
          } else {
            expect(frame.source?.path).toMatch(/json/);
          }
        } finally {
          if (client !== dc) await stopAdapter(client);
        }
      }
    });

    it('loadedSources lists the program and the user modules it imported', async () => {
      const program = writeScript('import helper_mod\nx = helper_mod.VALUE  # BP\n');
      const helper = writeScript('VALUE = 42\n', 'helper_mod.py', dirname(program));
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [2] }] });
      await stopped;
      const loaded = await requestOk<DebugProtocol.LoadedSourcesResponse>(dc, 'loadedSources', {});
      const paths = loaded.body.sources.map((source) => source.path);
      expect(paths).toEqual(expect.arrayContaining([program, helper]));
      expect(paths.some((path) => path?.includes('json') || path?.includes('os.py'))).toBe(false);
    });

    it('an empty setBreakpoints for a file deleted or moved since removes its breakpoints', async () => {
      const program = writeScript('import helper_gone\nfor i in range(3):\n    helper_gone.visit(i)\nprint("done", flush=True)\n');
      const helper = writeScript('def visit(i):\n    return i + 1  # BP\n', 'helper_gone.py', dirname(program));
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: helper, lines: [2] }] });
      const first = await stopped;
      expect(first.frame.source?.path).toBe(helper);
      renameSync(helper, join(dirname(helper), 'helper_moved.py'));
      const cleared = await requestOk<DebugProtocol.SetBreakpointsResponse>(dc, 'setBreakpoints', { source: { path: helper }, breakpoints: [] });
      expect(cleared.body.breakpoints).toEqual([]);
      const stops: unknown[] = [];
      dc.on('stopped', (event) => stops.push(event));
      const exited = waitForExit(dc);
      await continueThread(dc, first.event.body.threadId!);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('done');
      expect(stops).toEqual([]);
    });

    it('pauses a program spinning in a loop without breakpoints', async () => {
      const program = writeScript('print("spinning", flush=True)\nn = 0\nwhile True:\n    n += 1\n');
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'spinning');
      const threads = await requestOk<DebugProtocol.ThreadsResponse>(dc, 'threads');
      expect(threads.body.threads.length).toBeGreaterThan(0);
      const stopped = waitForStop(dc);
      await requestOk(dc, 'pause', { threadId: threads.body.threads[0].id });
      const { event, frame } = await stopped;
      expect(event.body.reason).toBe('pause');
      expect([3, 4]).toContain(frame.line);
    });
  });
}
