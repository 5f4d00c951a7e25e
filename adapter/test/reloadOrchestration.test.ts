/**
 * The adapter's part of Apply Changes (engineer C's hotReload*.test.ts cover what the agent
 * patches): when a reload is allowed, and what the client is told afterwards.
 */
import { writeFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOT_RELOAD_REQUEST, HOT_RELOAD_RESULT_EVENT, type HotReloadResultEventBody } from '../../common/hotReload';
import { PYTHONS, launchProgram, lineOf, request, requestOk, requestsTogether, startAdapter, stopAdapter, waitForOutput, waitForStop, writeScript } from './support';

const ORIGINAL = `import time
def greet():
    return "old"

for n in range(1000):
    message = greet()  # BP
    time.sleep(0.01)
`;

for (const { version, python } of PYTHONS) {
  describe(`Python ${version}: Apply Changes orchestration`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    it('applies while stopped, then sends loadedSource, invalidated and dapper/hotReloadResult', async () => {
      const program = writeScript(ORIGINAL);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(ORIGINAL, '# BP')] }] });
      const { frame } = await stopped;
      writeFileSync(program, ORIGINAL.replace('"old"', '"new"'));
      const loaded = dc.waitForEvent('loadedSource');
      const invalidated = dc.waitForEvent('invalidated');
      const result = dc.waitForEvent(HOT_RELOAD_RESULT_EVENT);
      const response = await request(dc, HOT_RELOAD_REQUEST, { source: { path: program } });
      expect(response.success).toBe(true);
      expect((response.body as any).patchedFunctions).toBe(1);
      expect(((await loaded) as DebugProtocol.LoadedSourceEvent).body).toMatchObject({ reason: 'changed', source: { path: program } });
      expect(((await invalidated) as DebugProtocol.InvalidatedEvent).body.areas).toEqual(['stacks', 'variables']);
      const resultBody = (await result).body as HotReloadResultEventBody;
      expect(resultBody.success).toBe(true);
      expect(resultBody.patchedFunctions).toBe(1);
      expect(typeof resultBody.durationMs).toBe('number');
      const evaluated = await requestOk<DebugProtocol.EvaluateResponse>(dc, 'evaluate', { expression: 'greet()', frameId: frame.id, context: 'watch' });
      expect(evaluated.body.result).toBe("'new'");
    });

    it('applies while the program runs, and refuses a second apply while one is in progress', async () => {
      const program = writeScript(ORIGINAL.replace('import time', 'import time\nprint("running", flush=True)'));
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'running');
      const running = await request(dc, HOT_RELOAD_REQUEST, { source: { path: program } });
      expect(running.success, running.message).toBe(true);

      const threads = await requestOk<DebugProtocol.ThreadsResponse>(dc, 'threads');
      const paused = waitForStop(dc);
      await requestOk(dc, 'pause', { threadId: threads.body.threads[0].id });
      await paused;
      writeFileSync(program, ORIGINAL.replace('"old"', '"newer"'));
      const [first, second] = await requestsTogether(dc, [
        { command: HOT_RELOAD_REQUEST, args: { source: { path: program } } },
        { command: HOT_RELOAD_REQUEST, args: { source: { path: program } } },
      ]);
      expect(first.success).toBe(true);
      expect(second.success).toBe(false);
      expect(second.message).toMatch(/already running/);
      expect(((second.body as any).diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['reload-in-progress']);
    });

    it('a failed apply answers with diagnostics and reports success: false', async () => {
      const program = writeScript(ORIGINAL);
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [lineOf(ORIGINAL, '# BP')] }] });
      await stopped;
      writeFileSync(program, ORIGINAL.replace('return "old"', 'return "old" +'));
      const result = dc.waitForEvent(HOT_RELOAD_RESULT_EVENT);
      const response = await request(dc, HOT_RELOAD_REQUEST, { source: { path: program } });
      expect(response.success).toBe(false);
      const diagnostics = (response.body as any).diagnostics as { code: string; line: number }[];
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics[0].line).toBe(3);
      const resultBody = (await result).body as HotReloadResultEventBody;
      expect(resultBody.success).toBe(false);
      expect(resultBody.diagnostics.length).toBeGreaterThan(0);
    });

    it('breakpoint events after an edit that moves lines carry the ids the client knows; restart uses the new lines', async () => {
      const source = 'import time\ndef work(n):\n    doubled = n * 2  # WORK\n    return doubled\n\nfor n in range(1000):\n    work(n)  # BP\n    time.sleep(0.01)\n';
      const program = writeScript(source);
      const stopped = waitForStop(dc);
      const { breakpoints } = await launchProgram(dc, { program, python }, {
        breakpoints: [{ path: program, lines: [lineOf(source, '# BP'), lineOf(source, '# WORK')] }],
      });
      const [loopBp, workBp] = breakpoints[0];
      await stopped;
      const moved: DebugProtocol.BreakpointEvent[] = [];
      dc.on('breakpoint', (event: DebugProtocol.BreakpointEvent) => moved.push(event));
      // Two lines inserted above work(): both breakpoints move down by two.
      writeFileSync(program, source.replace('import time\n', 'import time\n# added\n# added\n'));
      const response = await request(dc, HOT_RELOAD_REQUEST, { source: { path: program } });
      expect(response.success).toBe(true);
      await vi.waitFor(() => {
        const byId = new Map(moved.map((e) => [e.body.breakpoint.id, e.body.breakpoint]));
        expect(byId.get(workBp.id!)?.line, 'breakpoint event for the breakpoint in work()').toBe(workBp.line! + 2);
        expect(byId.get(loopBp.id!)?.line, 'breakpoint event for the breakpoint in the loop').toBe(loopBp.line! + 2);
      }, { timeout: 10_000, interval: 20 });

      const again = waitForStop(dc);
      await requestOk(dc, 'restart', {});
      const { frame } = await again;
      expect(frame.line).toBe(loopBp.line! + 2);
    });

    it('refuses a request without a source path', async () => {
      const response = await request(dc, HOT_RELOAD_REQUEST, {});
      expect(response.success).toBe(false);
      expect(response.message).toMatch(/"source"/);
    });
  });
}

describe('Apply Changes refused by the adapter itself', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startAdapter();
    await requestOk(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'path' });
  });
  afterEach(() => stopAdapter(dc));

  /** Sends the request; returns its response and the dapper/hotReloadResult that followed. */
  const refused = async (args: unknown) => {
    const result = dc.waitForEvent(HOT_RELOAD_RESULT_EVENT);
    const response = await request(dc, HOT_RELOAD_REQUEST, args);
    expect(response.success).toBe(false);
    return { response, result: (await result).body as HotReloadResultEventBody };
  };

  it('answers like the agent does: diagnostics with a code, then dapper/hotReloadResult with success false', async () => {
    const program = writeScript('x = 1\n');
    const notRunning = await refused({ source: { path: program } });
    expect(notRunning.response.message).toMatch(/not running/);
    expect((notRunning.response.body as any).diagnostics).toEqual([
      expect.objectContaining({ code: 'not-running', severity: 'error', path: program, line: 1 }),
    ]);
    expect(notRunning.result).toMatchObject({ success: false, path: program, patchedFunctions: 0 });
    expect(notRunning.result.diagnostics.map((d) => d.code)).toEqual(['not-running']);

    const noPath = await refused({});
    expect(noPath.response.message).toMatch(/source\.path/);
    expect((noPath.response.body as any).diagnostics.map((d: { code: string }) => d.code)).toEqual(['invalid-request']);
    expect(noPath.result.diagnostics.map((d) => d.code)).toEqual(['invalid-request']);

    const wrongType = await refused({ source: { path: 5 } });
    expect(wrongType.response.message).toContain("'source.path' must be a string, not the number 5");
    expect(wrongType.result.success).toBe(false);
  });
});
