/**
 * Apply Changes and the frames of a stopped program, end to end through the standalone adapter:
 * closures held only by a stopped function's locals (a frame left running old code is restarted
 * in restartFrame.test.ts). The program's own output proves which code ran.
 */
import { writeFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST, type HotReloadResponseBody } from '../../common/hotReload';
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
} from './support';

type HotReloadResponse = DebugProtocol.Response & { body: HotReloadResponseBody };

function hotReload(dc: DebugClient, path: string): Promise<HotReloadResponse> {
  return request<HotReloadResponse>(dc, HOT_RELOAD_REQUEST, { source: { path }, options: {} });
}

const CLOSURES = `def outer(label):
    n = 1
    def inner():
        return "old %s %d" % (label, n)
    callbacks = [inner]
    del inner
    print("stopped")  # BP
    print(callbacks[0]())
outer("first")
`;

for (const { version, python } of PYTHONS) {
  describe(`Apply Changes and live frames on Python ${version}`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    async function stopAtMarker(script: string): Promise<{ program: string; threadId: number; capabilities: DebugProtocol.Capabilities }> {
      const program = writeScript(script);
      const stopped = waitForStop(dc);
      const launched = await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(script, '# BP')] }] });
      const stop = await stopped;
      return { program, threadId: stop.event.body.threadId, capabilities: launched.initialize.body ?? {} };
    }

    async function finish(program: string, threadId: number): Promise<string> {
      await requestOk(dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      const exited = waitForExit(dc);
      await continueThread(dc, threadId);
      expect(await exited).toBe(0);
      return outputOf(dc, 'stdout');
    }

    it('patches a closure held only by a list in the stopped function', async () => {
      const { program, threadId } = await stopAtMarker(CLOSURES);
      writeFileSync(program, CLOSURES.replace('"old %s %d"', '"new %s %d"'));
      const answer = await hotReload(dc, program);
      expect(answer.success, answer.message).toBe(true);
      expect(answer.body.diagnostics).toEqual([]);
      expect(answer.body.patchedFunctions).toBe(2); // outer (its nested code changed) and the closure
      expect(await finish(program, threadId)).toBe('stopped\nnew first 1\n');
    });

    it('reports a closure held by the stopped function whose free variables changed, and keeps its old code', async () => {
      const { program, threadId } = await stopAtMarker(CLOSURES);
      writeFileSync(program, CLOSURES.replace('(label, n)', '(label, 2)'));
      const answer = await hotReload(dc, program);
      expect(answer.success, answer.message).toBe(true);
      expect(answer.body.patchedFunctions).toBe(1);
      expect(answer.body.diagnostics).toHaveLength(1);
      expect(answer.body.diagnostics[0]).toMatchObject({ code: 'closure-freevars-changed', severity: 'warning', line: 3 });
      expect(answer.body.diagnostics[0].message).toContain("'callbacks' in outer()");
      expect(await finish(program, threadId)).toBe('stopped\nold first 1\n');
    });
  });
}
