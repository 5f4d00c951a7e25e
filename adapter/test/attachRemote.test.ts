/**
 * Attach with pathMappings, the "remote" copy of the program in another folder: breakpoints
 * and stacks use the client's paths, Apply Changes sends the client's text and never writes
 * the program's copy, and the program runs the new code. And attach by process id to a
 * plain `python script.py` (gdb on 3.9–3.13), whose later child processes are debugged too.
 * Every installed Python.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST } from '../../common/hotReload';
import { LOOP, attachProgram, expectRunning, nextValue, startListening, startPlain, type RunningProgram } from './attachSupport';
import { ChildSessions } from './childSessions';
import { PYTHONS, continueThread, lineOf, request, requestOk, startAdapter, waitForStop, withTimeout } from './support';

const TOKEN = 'remote-test-token';

/** Why attaching by process id cannot work on this machine (no gdb, ptrace not permitted), or null. */
function ptraceUnavailable(): string | null {
  if (process.platform !== 'linux') return 'attach by process id is Linux-only';
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    const gdb = spawnSync('gdb', ['-nx', '-batch', '-p', String(sleeper.pid), '-ex', 'detach'], { encoding: 'utf8', timeout: 60_000 });
    if (gdb.error) return `gdb cannot run here (${gdb.error.message}); install gdb`;
    if (/Operation not permitted|Could not attach/.test(`${gdb.stdout}${gdb.stderr}`)) {
      return 'ptrace is not permitted here (kernel.yama.ptrace_scope, or a container without CAP_SYS_PTRACE)';
    }
    return null;
  } finally {
    sleeper.kill('SIGKILL');
  }
}
const noPtrace = PYTHONS.length ? ptraceUnavailable() : null;

/** A plain program that starts child.py once the file "go" appears next to it. */
const PARENT_ON_CUE = `import os, subprocess, sys, time
here = os.path.dirname(os.path.abspath(__file__))
print("waiting", flush=True)
while not os.path.exists(os.path.join(here, "go")):
    time.sleep(0.05)
done = subprocess.run([sys.executable, os.path.join(here, "child.py"), "7"])
print("child exit", done.returncode, flush=True)
`;

const CHILD = `import sys
value = int(sys.argv[1])
doubled = value * 2  # BP
print("child doubled", doubled, flush=True)
`;

function folder(name: string): string {
  return mkdtempSync(join(realpathSync(tmpdir()), `dapper-${name}-`));
}

for (const { version, python } of PYTHONS) {
  describe(`attach with path mappings and by process id (Python ${version})`, () => {
    let dc: DebugClient;
    let program: RunningProgram | undefined;

    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(async () => {
      void dc.stop().catch(() => undefined);
      await program?.kill();
      program = undefined;
    });

    it('maps paths both ways and applies the client text without writing the program copy', async () => {
      const localRoot = folder('local');
      const remoteRoot = folder('remote');
      const localFile = join(localRoot, 'service.py');
      const remoteFile = join(remoteRoot, 'service.py');
      writeFileSync(localFile, LOOP);
      writeFileSync(remoteFile, LOOP);
      const started = await startListening(python, [remoteFile], { token: TOKEN });
      program = started.program;
      await nextValue(program, 0);

      const line = lineOf(LOOP, '# BP');
      const stopped = waitForStop(dc, 30_000);
      const attached = await attachProgram(
        dc,
        { connect: { port: started.port }, token: TOKEN, pathMappings: [{ localRoot, remoteRoot }] },
        [{ path: localFile, lines: [line] }],
      );
      expect(attached.success, attached.message).toBe(true);
      const { frame, frames, event } = await stopped;
      expect(frame.source?.path).toBe(localFile);
      expect(frame.line).toBe(line);
      expect(frames.map((f) => f.source?.path)).toContain(localFile);

      // Two lines inserted above: the client's text is the truth for the program now.
      const edited = LOOP.replace('def work(i):\n    return i * 2  # BP', '# added\n# lines\ndef work(i):\n    return i * 7  # BP');
      writeFileSync(localFile, edited);
      const applied = await request(dc, HOT_RELOAD_REQUEST, { source: { path: localFile } });
      expect(applied.success, applied.message).toBe(true);
      expect(readFileSync(remoteFile, 'utf8')).toBe(LOOP);

      // Breakpoints on the client's new text are validated against it, and the stack shows it.
      const set = await requestOk<DebugProtocol.SetBreakpointsResponse>(dc, 'setBreakpoints', {
        source: { path: localFile },
        breakpoints: [{ line: lineOf(edited, '# BP') }],
      });
      expect(set.body.breakpoints[0]).toMatchObject({ verified: true, line: lineOf(edited, '# BP') });
      const before = program.stdout.length;
      const again = waitForStop(dc, 30_000);
      await requestOk(dc, 'continue', { threadId: event.body.threadId });
      const second = await again;
      expect(second.frame.source?.path).toBe(localFile);
      expect(second.frame.line).toBe(lineOf(edited, '# BP'));
      const source = await requestOk<DebugProtocol.SourceResponse>(dc, 'source', { source: { path: localFile }, sourceReference: 0 });
      expect(source.body.content).toBe(edited);

      await requestOk(dc, 'setBreakpoints', { source: { path: localFile }, breakpoints: [] });
      await requestOk(dc, 'continue', { threadId: second.event.body.threadId });
      await nextValue(program, before);
      await expectRunning(program, (i, result) => result === i * 7);
      await withTimeout(requestOk(dc, 'disconnect', { terminateDebuggee: false }), 'disconnect');
      await expectRunning(program, (i, result) => result === i * 7);
      expect(readFileSync(remoteFile, 'utf8')).toBe(LOOP);
    });

    it('serves a file the client does not have through the source request', async () => {
      const localRoot = folder('local');
      const remoteRoot = folder('remote');
      const library = 'def work(i):\n    return i * 2  # BP\n';
      writeFileSync(join(localRoot, 'library.py'), library);
      writeFileSync(join(remoteRoot, 'library.py'), library);
      const main = 'import time\nfrom library import work\n\ni = 0\nwhile True:\n    print("value", i, work(i), flush=True)\n    i += 1\n    time.sleep(0.05)\n';
      writeFileSync(join(remoteRoot, 'main.py'), main); // only on the program's side
      const started = await startListening(python, [join(remoteRoot, 'main.py')], { token: TOKEN });
      program = started.program;
      await nextValue(program, 0);

      const stopped = waitForStop(dc, 30_000);
      const attached = await attachProgram(
        dc,
        { connect: { port: started.port }, token: TOKEN, pathMappings: [{ localRoot, remoteRoot }] },
        [{ path: join(localRoot, 'library.py'), lines: [2] }],
      );
      expect(attached.success, attached.message).toBe(true);
      const { frames } = await stopped;
      expect(frames[0].source).toMatchObject({ path: join(localRoot, 'library.py') });
      expect(frames[0].source?.sourceReference ?? 0).toBe(0);
      const caller = frames[1].source!;
      expect(caller.name).toBe('main.py');
      expect(caller.sourceReference).toBeGreaterThan(0);
      const content = await requestOk<DebugProtocol.SourceResponse>(dc, 'source', { source: caller, sourceReference: caller.sourceReference });
      expect(content.body.content).toBe(main);

      // A breakpoint set in that source (by its path, as the app does from its read-only tab) stops there.
      const { event } = await stopped;
      await requestOk(dc, 'setBreakpoints', { source: { path: join(localRoot, 'library.py') }, breakpoints: [] });
      const placed = await requestOk<DebugProtocol.SetBreakpointsResponse>(dc, 'setBreakpoints', {
        source: { path: caller.path, name: caller.name, sourceReference: caller.sourceReference },
        breakpoints: [{ line: 6 }],
      });
      expect(placed.body.breakpoints[0].verified).toBe(true);
      const again = waitForStop(dc, 30_000);
      await requestOk(dc, 'continue', { threadId: event.body.threadId });
      const { frame } = await again;
      expect(frame.line).toBe(6);
      expect(frame.source).toMatchObject({ path: caller.path, sourceReference: caller.sourceReference });
    });

    it.skipIf(noPtrace !== null)(
      noPtrace ? `attach by process id: skipped, ${noPtrace}` : 'attaches by process id to a plain python script, applies an edit, and detaches',
      async () => {
        const dir = folder('pid');
        const script = join(dir, 'plain.py');
        writeFileSync(script, LOOP);
        program = startPlain(python, script);
        await nextValue(program, 0);

        const line = lineOf(LOOP, '# BP');
        const stopped = waitForStop(dc, 60_000);
        const attached = await attachProgram(dc, { processId: program.pid }, [{ path: script, lines: [line] }]);
        expect(attached.success, attached.message).toBe(true);
        const { frame, event } = await stopped;
        expect(frame.name).toBe('work');
        expect(frame.line).toBe(line);

        writeFileSync(script, LOOP.replace('return i * 2  # BP', 'return i * 3  # BP'));
        const applied = await request(dc, HOT_RELOAD_REQUEST, { source: { path: script } });
        expect(applied.success, applied.message).toBe(true);
        await requestOk(dc, 'setBreakpoints', { source: { path: script }, breakpoints: [] });
        const before = program.stdout.length;
        await requestOk(dc, 'continue', { threadId: event.body.threadId });
        await nextValue(program, before);
        await withTimeout(requestOk(dc, 'disconnect', {}), 'disconnect');
        await expectRunning(program, (i, result) => result === i * 3, 5);
        expect(program.child.exitCode).toBe(null);
      },
    );

    it.skipIf(noPtrace !== null)(
      noPtrace ? `child processes after attach by process id: skipped, ${noPtrace}` : 'debugs the child a process attached by id starts afterwards',
      async () => {
        const dir = folder('pid-children');
        const parent = join(dir, 'parent.py');
        const child = join(dir, 'child.py');
        writeFileSync(parent, PARENT_ON_CUE);
        writeFileSync(child, CHILD);
        program = startPlain(python, parent);
        await program.waitForStdout(/waiting\n/);
        const children = new ChildSessions(dc, { breakpoints: [{ path: child, lines: [lineOf(CHILD, '# BP')] }] });
        await requestOk(dc, 'initialize', {
          adapterID: 'dapper', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsStartDebuggingRequest: true,
        });
        const initialized = dc.waitForEvent('initialized', 60_000);
        await requestOk(dc, 'attach', { processId: program.pid }, 90_000);
        await initialized;
        await requestOk(dc, 'configurationDone');
        writeFileSync(join(dir, 'go'), '');
        const session = await children.next(60_000);
        const { event, frame } = await session.stopped;
        expect(frame.source?.path).toBe(child);
        await continueThread(session.dc, event.body.threadId!);
        expect(await session.ended).toBe(0);
        await program.waitForStdout(/child exit 0\n/);
        expect(program.stdout).toContain('child doubled 14');
        void session.dc.stop().catch(() => undefined);
      },
    );
  });
}
