/**
 * Attach to a program started with `python -m dapper_agent --listen`: breakpoints, Apply
 * Changes and continue; refusals that leave the program alone; detach and attach again.
 * The program's OWN stdout proves which code runs. Every installed Python.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST } from '../../common/hotReload';
import { LOOP, attachProgram, expectRunning, nextValue, startListening, type RunningProgram } from './attachSupport';
import { ChildSessions } from './childSessions';
import { PYTHONS, continueThread, lineOf, request, requestOk, startAdapter, waitForStop, withTimeout, writeScript } from './support';

const TOKEN = 'attach-test-token-0123456789';

/** Runs child.py once, then says how it ended, on its own stdout. */
const PARENT = `import os, subprocess, sys
here = os.path.dirname(os.path.abspath(__file__))
done = subprocess.run([sys.executable, os.path.join(here, "child.py"), "7"])
print("child exit", done.returncode, flush=True)
`;

const CHILD = `import sys
value = int(sys.argv[1])
doubled = value * 2  # BP
print("child doubled", doubled, flush=True)
`;

/** initialize (able to start child sessions) → attach → configurationDone. */
async function attachWithChildren(dc: DebugClient, args: Record<string, unknown>): Promise<void> {
  await requestOk(dc, 'initialize', {
    adapterID: 'dapper', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsStartDebuggingRequest: true,
  });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await requestOk(dc, 'attach', args, 90_000);
  await initialized;
  await requestOk(dc, 'configurationDone');
}

async function detach(dc: DebugClient): Promise<void> {
  await withTimeout(requestOk(dc, 'disconnect', { terminateDebuggee: false }), 'disconnect');
  void dc.stop().catch(() => undefined);
}

for (const { version, python } of PYTHONS) {
  describe(`attach to a listening program (Python ${version})`, () => {
    let dc: DebugClient;
    let program: RunningProgram | undefined;
    const clients: DebugClient[] = [];

    beforeEach(async () => {
      dc = await startAdapter();
      clients.push(dc);
    });
    afterEach(async () => {
      for (const client of clients.splice(0)) void client.stop().catch(() => undefined);
      await program?.kill();
      program = undefined;
    });

    it('stops at a breakpoint, applies an edit, and the program continues with the new code', async () => {
      const script = writeScript(LOOP);
      const started = await startListening(python, [script], { token: TOKEN });
      program = started.program;
      await nextValue(program, 0);
      const stopped = waitForStop(dc, 30_000);
      const processEvent = dc.waitForEvent('process', 30_000);
      const attached = await attachProgram(dc, { connect: { host: '127.0.0.1', port: started.port }, token: TOKEN }, [
        { path: script, lines: [lineOf(LOOP, '# BP')] },
      ]);
      expect(attached.success, attached.message).toBe(true);
      expect((await processEvent).body).toMatchObject({ systemProcessId: program.pid, startMethod: 'attach', isLocalProcess: true, name: script });
      const { frame, event } = await stopped;
      expect(frame.name).toBe('work');
      expect(frame.source?.path).toBe(script);
      expect(frame.line).toBe(lineOf(LOOP, '# BP'));

      writeFileSync(script, LOOP.replace('return i * 2  # BP', 'return i * 1000  # BP'));
      const applied = await request(dc, HOT_RELOAD_REQUEST, { source: { path: script } });
      expect(applied.success, applied.message).toBe(true);
      await requestOk(dc, 'setBreakpoints', { source: { path: script }, breakpoints: [] });
      const before = program.stdout.length;
      await requestOk(dc, 'continue', { threadId: event.body.threadId });
      // The stopped call finishes on its old code (a running frame keeps it); the next ones run the new.
      await nextValue(program, before);
      await expectRunning(program, (i, result) => result === i * 1000);
      await detach(dc);
      await expectRunning(program, (i, result) => result === i * 1000);
    });

    it('applies an edit while the attached program runs, knowing the text it started from', async () => {
      const script = writeScript(LOOP);
      const started = await startListening(python, [script], { token: TOKEN });
      program = started.program;
      await nextValue(program, 0);
      const attached = await attachProgram(dc, { connect: { port: started.port }, token: TOKEN });
      expect(attached.success, attached.message).toBe(true);

      // Lines inserted above the function: without the text from before the edit, the apply
      // could not tell moved code from changed code and says so in a warning.
      writeFileSync(script, LOOP.replace('def work(i):\n    return i * 2', '# moved\n# down\ndef work(i):\n    return i * 9'));
      const applied = await request<DebugProtocol.Response & { body: { warnings: string[] } }>(dc, HOT_RELOAD_REQUEST, { source: { path: script } });
      expect(applied.success, applied.message).toBe(true);
      expect(applied.body.warnings.join(' ')).not.toMatch(/No copy of this file/);
      // The program's output comes through its own pipe, not the debugger's socket: the line of
      // the call made just before the apply may arrive after the answer. Every line after it
      // shows the new code.
      await nextValue(program, program.stdout.length);
      await expectRunning(program, (i, result) => result === i * 9);
      await detach(dc);
    });

    it('refuses a wrong or missing token and a second debugger, leaving the program and the first debugger alone', async () => {
      const script = writeScript(LOOP);
      const started = await startListening(python, [script], { token: TOKEN });
      program = started.program;
      const connect = { host: '127.0.0.1', port: started.port };

      const wrong = await attachProgram(dc, { connect, token: 'not-the-token' });
      expect(wrong.success).toBe(false);
      expect(wrong.message).toMatch(/Wrong token/);
      const missing = await attachProgram((dc = await startAdapter()), { connect });
      clients.push(dc);
      expect(missing.success).toBe(false);
      expect(missing.message).toMatch(/requires a token/);
      await expectRunning(program, (i, result) => result === i * 2);

      const first = await startAdapter();
      clients.push(first);
      const stopped = waitForStop(first, 30_000);
      expect((await attachProgram(first, { connect, token: TOKEN }, [{ path: script, lines: [lineOf(LOOP, '# BP')] }])).success).toBe(true);
      const { event } = await stopped;

      const second = await startAdapter();
      clients.push(second);
      const refused = await attachProgram(second, { connect, token: TOKEN });
      expect(refused.success).toBe(false);
      expect(refused.message).toMatch(/Another debugger .* is attached/);

      // The first debugger still owns the program: it is still stopped and answers.
      const stack = await requestOk<DebugProtocol.StackTraceResponse>(first, 'stackTrace', { threadId: event.body.threadId });
      expect(stack.body.stackFrames[0].name).toBe('work');
      await requestOk(first, 'setBreakpoints', { source: { path: script }, breakpoints: [] });
      await requestOk(first, 'continue', { threadId: event.body.threadId });
      await expectRunning(program, (i, result) => result === i * 2);
    });

    it('debugs the child processes of an attached program (subProcess defaults to true), announced with startDebugging', async () => {
      const parent = writeScript(PARENT, 'parent.py');
      const child = writeScript(CHILD, 'child.py', dirname(parent));
      const line = lineOf(CHILD, '# BP');
      const started = await startListening(python, [parent], { token: TOKEN, wait: true });
      program = started.program;
      const children = new ChildSessions(dc, { breakpoints: [{ path: child, lines: [line] }] });
      await attachWithChildren(dc, { connect: { host: '127.0.0.1', port: started.port }, token: TOKEN });
      const session = await children.next(60_000);
      clients.push(session.dc);
      expect(session.configuration.__dapperChild.commandLine.slice(1)).toEqual([child, '7']);
      const { event, frame } = await session.stopped;
      expect(frame.source?.path).toBe(child);
      expect(frame.line).toBe(line);
      await continueThread(session.dc, event.body.threadId!);
      expect(await session.ended).toBe(0);
      await program.waitForStdout(/child exit 0\n/);
      expect(program.stdout).toContain('child doubled 14');
    });

    it("gives a child process its parent's path mappings: breakpoints and frames use the client's folder", async () => {
      const remoteParent = writeScript(PARENT, 'parent.py');
      const remoteRoot = dirname(remoteParent);
      writeScript(CHILD, 'child.py', remoteRoot);
      const localChild = writeScript(CHILD, 'child.py');
      const localRoot = dirname(localChild);
      writeScript(PARENT, 'parent.py', localRoot);
      const line = lineOf(CHILD, '# BP');
      const started = await startListening(python, [remoteParent], { token: TOKEN, wait: true });
      program = started.program;
      const children = new ChildSessions(dc, { breakpoints: [{ path: localChild, lines: [line] }] });
      await attachWithChildren(dc, { connect: { host: '127.0.0.1', port: started.port }, token: TOKEN, pathMappings: [{ localRoot, remoteRoot }] });
      const session = await children.next(60_000);
      clients.push(session.dc);
      expect(session.configuration.pathMappings).toEqual([{ localRoot, remoteRoot }]);
      const { event, frame } = await session.stopped;
      expect(frame.source?.path).toBe(localChild);
      expect(frame.line).toBe(line);
      await continueThread(session.dc, event.body.threadId!);
      expect(await session.ended).toBe(0);
      await program.waitForStdout(/child exit 0\n/);
    });

    it('leaves the child processes alone with subProcess false', async () => {
      const parent = writeScript(PARENT, 'parent.py');
      writeScript(CHILD, 'child.py', dirname(parent));
      const started = await startListening(python, [parent], { token: TOKEN, wait: true });
      program = started.program;
      const children = new ChildSessions(dc);
      await attachWithChildren(dc, { connect: { host: '127.0.0.1', port: started.port }, token: TOKEN, subProcess: false });
      await program.waitForStdout(/child exit 0\n/);
      expect(program.stdout).toContain('child doubled 14');
      expect(children.startDebuggingRequests).toEqual([]);
    });

    it('detaches, leaving the program running without breakpoints, and attaches again', async () => {
      const script = writeScript(LOOP);
      const started = await startListening(python, [script], { token: TOKEN });
      program = started.program;
      const connect = { host: '127.0.0.1', port: started.port };
      const line = lineOf(LOOP, '# BP');

      for (let round = 1; round <= 2; round++) {
        const client = round === 1 ? dc : await startAdapter();
        clients.push(client);
        const stopped = waitForStop(client, 30_000);
        expect((await attachProgram(client, { connect, token: TOKEN }, [{ path: script, lines: [line] }])).success).toBe(true);
        const { frame } = await stopped;
        expect(frame.line).toBe(line);
        await detach(client);
        // The breakpoint is gone with the debugger: the program prints freely again.
        await expectRunning(program, (i, result) => result === i * 2, 5);
      }
      expect(program.child.exitCode).toBe(null);
      expect(readFileSync(script, 'utf8')).toBe(LOOP);
    });
  });
}
