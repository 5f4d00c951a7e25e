/**
 * Programs that end badly or misbehave, once per Python version: os._exit, SystemExit,
 * killing itself, infinite recursion, replacing the tracer, 50 MB of output, and an agent
 * that does not answer in time. The session reports the right exit code and never hangs.
 */
import { readFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PYTHONS,
  continueThread,
  launchProgram,
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

/** Peak resident memory of a process in MB (Linux only; undefined elsewhere). */
function peakMemoryMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

for (const { version, python } of PYTHONS) {
  describe(`Python ${version}: faults`, () => {
    let dc: DebugClient | undefined;
    afterEach(async () => {
      await stopAdapter(dc);
      dc = undefined;
    });

    const runToExit = async (source: string, launch: Record<string, unknown> = {}, ms = 30_000) => {
      dc = await startAdapter();
      const program = writeScript(source);
      const exited = waitForExit(dc, ms);
      await launchProgram(dc, { program, python, ...launch });
      return exited;
    };

    it('os._exit(7) reports 7', async () => {
      expect(await runToExit('import os\nprint("bye", flush=True)\nos._exit(7)\n')).toBe(7);
    });

    it('SystemExit(3) reports 3', async () => {
      expect(await runToExit('import sys\nsys.exit(3)\n')).toBe(3);
    });

    it.skipIf(process.platform === 'win32')('a program that kills itself reports the signal (128 + 9; POSIX signals)', async () => {
      expect(await runToExit('import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n')).toBe(137);
    });

    it('infinite recursion stops on the RecursionError, then exits with 1', async () => {
      dc = await startAdapter();
      const program = writeScript('def down(n):\n    return down(n + 1)\n\ndown(0)\n');
      const stopped = waitForStop(dc, 30_000);
      await launchProgram(dc, { program, python });
      const { event } = await stopped;
      expect(event.body.reason).toBe('exception');
      const info = await requestOk<DebugProtocol.ExceptionInfoResponse>(dc, 'exceptionInfo', { threadId: event.body.threadId });
      expect(info.body.exceptionId).toContain('RecursionError');
      const exited = waitForExit(dc, 30_000);
      await continueThread(dc, event.body.threadId!);
      expect(await exited).toBe(1);
    });

    it('a program that calls sys.settrace itself still runs to completion', async () => {
      const source = [
        'import sys',
        'calls = []',
        'def tracer(frame, event, arg):',
        '    calls.append(event)',
        '    return None',
        'sys.settrace(tracer)',
        'def f():',
        '    return 1',
        'f()',
        'sys.settrace(None)',
        'print("traced", len(calls) > 0)',
        '',
      ].join('\n');
      expect(await runToExit(source)).toBe(0);
      await waitForOutput(dc!, 'stdout', /traced (True|False)/);
    });

    it('50 MB of output arrives in full without hanging or ballooning memory', async () => {
      const source = [
        'import os, sys',
        'chunk = "x" * 1023 + "\\n"',
        'for _ in range(25 * 1024):',  // 25 MB through sys.stdout (the agent)
        '    sys.stdout.write(chunk)',
        'sys.stdout.flush()',
        'block = b"y" * 1048575 + b"\\n"',
        'for _ in range(25):',  // 25 MB straight to file descriptor 1
        '    os.write(1, block)',
        'print("END-OF-OUTPUT", flush=True)',
        '',
      ].join('\n');
      const code = await runToExit(source, {}, 120_000);
      expect(code).toBe(0);
      await waitForOutput(dc!, 'stdout', 'END-OF-OUTPUT', 30_000);
      const out = outputOf(dc!, 'stdout');
      expect(out.length).toBeGreaterThanOrEqual(50 * 1024 * 1024);
      const adapterPid = (dc as any)._adapterProcess?.pid as number | undefined;
      const peak = adapterPid ? peakMemoryMb(adapterPid) : undefined;
      if (process.env.DAPPER_SHOW_MEMORY) console.error(`adapter peak memory: ${peak} MB`);
      if (peak !== undefined) expect(peak).toBeLessThan(250);
    }, 180_000);

    it('a request the agent does not answer in time gets an error; the session carries on', async () => {
      dc = await startAdapter({ DAPPER_REQUEST_TIMEOUT_MS: '1500' });
      const program = writeScript('import time\nx = 1\nprint(x)\n');
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python, stopOnEntry: true });
      const { frame } = await stopped;
      const slow = await request(dc, 'evaluate', { expression: "__import__('time').sleep(4) or print('slept', flush=True)", frameId: frame.id, context: 'repl' }, 10_000);
      expect(slow.success).toBe(false);
      expect(slow.message).toMatch(/did not answer 'evaluate'/);
      await waitForOutput(dc, 'stdout', 'slept', 20_000); // the evaluation finished in the debuggee
      const threads = await request<DebugProtocol.ThreadsResponse>(dc, 'threads');
      expect(threads.success).toBe(true);
      expect(threads.body.threads.length).toBeGreaterThan(0);
    });
  });
}
