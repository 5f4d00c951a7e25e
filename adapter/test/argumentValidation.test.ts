/**
 * Requests with arguments of the wrong shape, before launch and during a session: each is
 * refused with a message naming the property, changes nothing, and never reaches the
 * program; launch, restart and execution requests that follow behave as if it was never sent.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PYTHONS,
  continueThread,
  launchProgram,
  lineOf,
  localsOf,
  request,
  requestOk,
  startAdapter,
  stopAdapter,
  waitForExit,
  waitForStop,
  writeScript,
} from './support';

const PROGRAM = `def work(n):
    return n * 2  # IN_WORK

total = 0
for i in range(3):
    total += work(i)  # LOOP
try:
    raise ValueError("caught")
except ValueError:
    pass
print("total", total)
`;

/** Sends the malformed configuration requests and checks each refusal names its property. */
async function sendMalformedConfiguration(dc: DebugClient): Promise<void> {
  const functions = await request(dc, 'setFunctionBreakpoints', { breakpoints: [{ name: 5 }] });
  expect(functions.success).toBe(false);
  expect(functions.message).toContain("'breakpoints[0].name' must be a string, not the number 5");
  const exceptions = await request(dc, 'setExceptionBreakpoints', { filters: 5 });
  expect(exceptions.success).toBe(false);
  expect(exceptions.message).toContain("'filters' must be an array, not the number 5");
  const filterItem = await request(dc, 'setExceptionBreakpoints', { filters: ['raised', 7] });
  expect(filterItem.success).toBe(false);
  expect(filterItem.message).toContain("'filters[1]'");
  const lines = await request(dc, 'setBreakpoints', { source: { path: '/x.py' }, breakpoints: [{ line: 'two' }] });
  expect(lines.success).toBe(false);
  expect(lines.message).toContain("'breakpoints[0].line' must be an integer");
  const missing = await request(dc, 'setFunctionBreakpoints', {});
  expect(missing.success).toBe(false);
  expect(missing.message).toContain("'breakpoints' is required");
}

for (const { version, python } of PYTHONS) {
  describe(`Python ${version}: malformed arguments`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    it('malformed configuration before launch is refused and not kept; launch and the run are unaffected', async () => {
      const program = writeScript(PROGRAM);
      await requestOk(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'path' });
      await sendMalformedConfiguration(dc);
      const initialized = dc.waitForEvent('initialized');
      const launched = await request(dc, 'launch', { program, python }, 40_000);
      expect(launched.success, launched.message).toBe(true);
      await initialized;
      // The refused `raised` filter was not kept: the caught ValueError does not stop, and the
      // refused function breakpoints were not kept: the program runs to its end.
      const exited = waitForExit(dc);
      const stops: unknown[] = [];
      dc.on('stopped', (event) => stops.push(event));
      await requestOk(dc, 'configurationDone');
      expect(await exited).toBe(0);
      expect(stops).toEqual([]);
      const again = await request(dc, 'launch', { program, python });
      expect(again.success).toBe(false);
    });

    it('malformed configuration during a session is refused and not kept; restart keeps the valid breakpoints', async () => {
      const program = writeScript(PROGRAM);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { functionBreakpoints: ['work'] });
      const first = await stopped;
      expect(first.frame.line).toBe(lineOf(PROGRAM, '# IN_WORK'));
      await sendMalformedConfiguration(dc);

      const restarted = waitForStop(dc);
      const restart = await request(dc, 'restart', {}, 40_000);
      expect(restart.success, restart.message).toBe(true);
      const second = await restarted;
      expect(second.frame.line).toBe(lineOf(PROGRAM, '# IN_WORK'));
      expect(await localsOf(dc, second.frame.id)).toMatchObject({ n: '0' });
      await requestOk(dc, 'setFunctionBreakpoints', { breakpoints: [] });
      const exited = waitForExit(dc);
      await continueThread(dc, second.event.body.threadId!);
      expect(await exited).toBe(0);
    });

    it('execution and inspection requests with a wrong argument type name it and do nothing', async () => {
      const program = writeScript(PROGRAM);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(PROGRAM, '# LOOP')] }] });
      const { event, frame } = await stopped;
      const threadId = event.body.threadId!;
      for (const command of ['continue', 'pause', 'next', 'stepIn', 'stepOut']) {
        const response = await request(dc, command, { threadId: 'abc' });
        expect(response.success, command).toBe(false);
        expect(response.message).toContain(`'threadId' must be an integer, not the string "abc"`);
        expect(response.message).not.toMatch(/Internal error/);
      }
      const levels = await request(dc, 'stackTrace', { threadId, levels: 'x' });
      expect(levels.success).toBe(false);
      expect(levels.message).toContain(`'levels' must be an integer, not the string "x"`);
      const noThread = await request(dc, 'continue', {});
      expect(noThread.success).toBe(false);
      expect(noThread.message).toContain(`'threadId' is required`);
      const reference = await request(dc, 'variables', { variablesReference: '1' });
      expect(reference.success).toBe(false);
      expect(reference.message).toContain(`'variablesReference' must be an integer`);
      const expression = await request(dc, 'evaluate', { expression: 42, frameId: frame.id });
      expect(expression.success).toBe(false);
      expect(expression.message).toContain(`'expression' must be a string`);

      // Still stopped where it was: none of the refused requests moved the program.
      const stack = await requestOk<DebugProtocol.StackTraceResponse>(dc, 'stackTrace', { threadId });
      expect(stack.body.stackFrames[0].line).toBe(frame.line);
      expect(await localsOf(dc, stack.body.stackFrames[0].id)).toMatchObject({ i: '0' });
      const exited = waitForExit(dc);
      await requestOk(dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      await continueThread(dc, threadId);
      expect(await exited).toBe(0);
    });
  });
}
