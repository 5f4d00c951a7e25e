/**
 * Core flows on every Python version: launch, breakpoints, stack and variables, launch
 * arguments, program output and input, terminate, disconnect, restart.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
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
  withTimeout,
  writeScript,
} from './support';

const LOOP = `import time
total = 0
for i in range(5):
    total += i  # BP
print("total", total)
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Alive and not a zombie (an orphan's zombie lingers where nothing reaps it). */
function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

for (const { version, python } of PYTHONS) {
  describe(`Python ${version}: launch and lifecycle`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    it('stops at a breakpoint, shows the stack and locals, runs to the real exit code', async () => {
      const program = writeScript(LOOP);
      const line = lineOf(LOOP, '# BP');
      const stopped = waitForStop(dc);
      // Breakpoints in a file that does not exist first, so the adapter's ids and the agent's differ.
      const missing = join(dirname(program), 'missing.py');
      const { breakpoints } = await launchProgram(dc, { program, python }, {
        breakpoints: [{ path: missing, lines: [1, 2, 3] }, { path: program, lines: [line] }],
      });
      expect(breakpoints[1][0]).toMatchObject({ verified: true, line });
      const { event, frame } = await stopped;
      expect(event.body.reason).toBe('breakpoint');
      expect(event.body.hitBreakpointIds).toEqual([breakpoints[1][0].id]);
      expect(frame.line).toBe(line);
      expect(frame.source?.path).toBe(program);
      const locals = await localsOf(dc, frame.id);
      expect(locals).toMatchObject({ i: '0', total: '0' });

      await requestOk(dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      const exited = waitForExit(dc);
      await continueThread(dc, event.body.threadId!);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('total 10');
    });

    it('stops on entry when asked', async () => {
      const program = writeScript('import os\nx = 1\nprint(x)\n');
      const stopped = waitForStop(dc);
      await launchProgram(dc, { program, python, stopOnEntry: true });
      const { event, frame } = await stopped;
      expect(event.body.reason).toBe('entry');
      expect(frame.line).toBe(1);
      const exited = waitForExit(dc);
      await continueThread(dc, event.body.threadId!);
      expect(await exited).toBe(0);
    });

    it('passes args, cwd and env (null removes a variable)', async () => {
      const program = writeScript(
        'import os, sys\nprint("argv", sys.argv[1:])\nprint("cwd", os.getcwd())\nprint("env", os.environ.get("DAPPER_T_SET"), "DAPPER_T_DEL" in os.environ)\n',
      );
      const cwd = dirname(dirname(program));
      const exited = waitForExit(dc);
      process.env.DAPPER_T_DEL = 'inherited';
      await launchProgram(dc, {
        program,
        python,
        args: ['one', 'two words'],
        cwd,
        env: { DAPPER_T_SET: 'hello', DAPPER_T_DEL: null },
      });
      expect(await exited).toBe(0);
      const out = await waitForOutput(dc, 'stdout', 'env ');
      expect(out).toContain("argv ['one', 'two words']");
      expect(out).toContain(`cwd ${cwd}`);
      expect(out).toContain('env hello False');
    });

    it('forwards output written through sys.stdout/stderr and straight to the file descriptors', async () => {
      const program = writeScript(
        'import os, sys\nprint("via print")\nsys.stderr.write("via stderr\\n")\nsys.stdout.flush()\nos.write(1, b"fd one\\n")\nos.write(2, b"fd two\\n")\nprint("caf\\u00e9 \\u2603")\n',
      );
      const exited = waitForExit(dc);
      await launchProgram(dc, { program, python });
      expect(await exited).toBe(0);
      await waitForOutput(dc, 'stdout', 'fd one');
      await waitForOutput(dc, 'stderr', 'fd two');
      expect(outputOf(dc, 'stdout')).toContain('via print');
      expect(outputOf(dc, 'stdout')).toContain('café ☃');
      expect(outputOf(dc, 'stderr')).toContain('via stderr');
    });

    it('sends a line to the program stdin with dapper/sendInput', async () => {
      const program = writeScript('name = input("name? ")\nprint("hello", name)\n');
      const exited = waitForExit(dc);
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'name?');
      await requestOk(dc, 'dapper/sendInput', { text: 'Ada' });
      expect(await exited).toBe(0);
      await waitForOutput(dc, 'stdout', 'hello Ada');
      const bad = await request(dc, 'dapper/sendInput', {});
      expect(bad.success).toBe(false);
      expect(bad.message).toMatch(/'text' is required/);
    });

    it('terminate ends a running program; exited then terminated follow', async () => {
      const program = writeScript('import time\nprint("started", flush=True)\nwhile True:\n    time.sleep(0.05)\n');
      await launchProgram(dc, { program, python });
      await waitForOutput(dc, 'stdout', 'started');
      const exited = waitForExit(dc);
      await requestOk(dc, 'terminate');
      const code = await exited;
      expect(typeof code).toBe('number');
    });

    it('disconnect ends the program by default', async () => {
      const program = writeScript('import os, time\nprint("pid", os.getpid(), flush=True)\nwhile True:\n    time.sleep(0.05)\n');
      const processEvent = dc.waitForEvent('process');
      const pythonInfo = dc.waitForEvent('dapper/pythonInfo');
      await launchProgram(dc, { program, python });
      expect((await pythonInfo).body).toMatchObject({ version: expect.stringMatching(new RegExp(`^${version.replace('.', '\\.')}\\.`)), implementation: 'cpython' });
      const out = await waitForOutput(dc, 'stdout', /pid \d+/);
      const pid = Number(/pid (\d+)/.exec(out)![1]);
      expect((await processEvent).body).toMatchObject({ name: program, systemProcessId: pid, startMethod: 'launch' });
      expect(isAlive(pid)).toBe(true);
      await requestOk(dc, 'disconnect', {});
      const deadline = Date.now() + 5000;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(isAlive(pid)).toBe(false);
    });

    it('disconnect with terminateDebuggee false leaves the program running to its end', async () => {
      const program = writeScript(
        'import sys, time\nprint("started", flush=True)\nfor _ in range(20):\n    print("still here", flush=True)\n    time.sleep(0.05)\nopen(sys.argv[1], "w").write("finished")\n',
      );
      const marker = join(dirname(program), 'finished.txt');
      await launchProgram(dc, { program, python, args: [marker] });
      await waitForOutput(dc, 'stdout', 'started');
      await requestOk(dc, 'disconnect', { terminateDebuggee: false });
      const deadline = Date.now() + 10_000;
      while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(marker)).toBe(true);
    });

    it('restart relaunches with the same arguments and keeps breakpoints', async () => {
      const program = writeScript(LOOP);
      const line = lineOf(LOOP, '# BP');
      const firstStop = waitForStop(dc);
      await launchProgram(dc, { program, python, args: ['x'] }, { breakpoints: [{ path: program, lines: [line] }] });
      const first = await firstStop;
      const sawExit = { value: false };
      dc.once('exited', () => (sawExit.value = true));
      const secondStop = waitForStop(dc);
      await requestOk(dc, 'restart', {});
      const second = await secondStop;
      expect(second.event.body.reason).toBe('breakpoint');
      expect(second.event.body.hitBreakpointIds).toEqual(first.event.body.hitBreakpointIds);
      expect(second.frame.line).toBe(line);
      expect(await localsOf(dc, second.frame.id)).toMatchObject({ i: '0' });
      expect(sawExit.value).toBe(false);
      expect(first.event.body.threadId).toBeDefined();
    });
  });
}

describe('interpreter choice', () => {
  const noPosixPython = process.platform === 'win32' || PYTHONS.length === 0;
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startAdapter();
  });
  afterEach(() => stopAdapter(dc));

  it.skipIf(noPosixPython)('uses .venv/bin/python next to the program when "python" is not given (POSIX layout and signals; needs a CPython 3.9+)', async () => {
    const program = writeScript('import sys\nprint("exe", sys.executable)\n');
    const venvBin = join(dirname(program), '.venv', 'bin');
    mkdirSync(venvBin, { recursive: true });
    symlinkSync(PYTHONS[PYTHONS.length - 1].python, join(venvBin, 'python'));
    const exited = waitForExit(dc);
    await launchProgram(dc, { program });
    expect(await exited).toBe(0);
    const out = await waitForOutput(dc, 'stdout', 'exe ');
    expect(out).toContain(join('.venv', 'bin', 'python'));
  });

  it.skipIf(noPosixPython)('uses a venv in cwd when the program folder has none (POSIX layout and signals; needs a CPython 3.9+)', async () => {
    const program = writeScript('import sys\nprint("exe", sys.executable)\n');
    const cwd = dirname(writeScript('', 'marker.txt'));
    mkdirSync(join(cwd, 'venv', 'bin'), { recursive: true });
    symlinkSync(PYTHONS[0].python, join(cwd, 'venv', 'bin', 'python'));
    const exited = waitForExit(dc);
    await launchProgram(dc, { program, cwd });
    expect(await exited).toBe(0);
    expect(await waitForOutput(dc, 'stdout', 'exe ')).toContain(join(cwd, 'venv', 'bin', 'python'));
  });

  it.skipIf(noPosixPython)('otherwise uses python3 from the PATH the program will see (POSIX layout and signals; needs a CPython 3.9+)', async () => {
    const program = writeScript('import sys\nprint("exe", sys.executable)\n');
    const bin = dirname(writeScript('', 'marker.txt'));
    symlinkSync(PYTHONS[0].python, join(bin, 'python3'));
    const exited = waitForExit(dc);
    await launchProgram(dc, { program, env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(await exited).toBe(0);
    expect(await waitForOutput(dc, 'stdout', 'exe ')).toContain(join(bin, 'python3'));
  });

  it.skipIf(PYTHONS.length === 0)('falls back to the Debug Console, with a notice, when the client cannot run a terminal (needs a CPython 3.9+)', async () => {
    const program = writeScript('print("in console")\n');
    const exited = waitForExit(dc);
    await launchProgram(dc, { program, python: PYTHONS[0].python, console: 'integratedTerminal' }, { initialize: { supportsRunInTerminalRequest: false } });
    expect(await exited).toBe(0);
    expect(outputOf(dc, 'console')).toMatch(/cannot open a terminal/);
    await waitForOutput(dc, 'stdout', 'in console');
  });

  it.skipIf(noPosixPython)('runs the program through runInTerminal when the client supports it (POSIX layout and signals; needs a CPython 3.9+)', async () => {
    const { spawn } = await import('node:child_process');
    const program = writeScript('import sys\nprint("from terminal", file=sys.stderr)\nraise SystemExit(4)\n');
    // Play the client's terminal: answer runInTerminal by spawning the command.
    const original = (dc as any).dispatch.bind(dc);
    let terminalRequest: DebugProtocol.RunInTerminalRequest | undefined;
    (dc as any).dispatch = (raw: string) => {
      const message = JSON.parse(raw);
      if (message.type === 'request' && message.command === 'runInTerminal') {
        terminalRequest = message;
        const args = message.arguments as DebugProtocol.RunInTerminalRequestArguments;
        const env = { ...process.env } as Record<string, string>;
        for (const [k, v] of Object.entries(args.env ?? {})) if (v === null) delete env[k]; else env[k] = v as string;
        const child = spawn(args.args[0], args.args.slice(1), { cwd: args.cwd, env, stdio: 'ignore' });
        const body = JSON.stringify({ type: 'response', seq: 0, request_seq: message.seq, command: 'runInTerminal', success: true, body: { processId: child.pid } });
        (dc as any).outputStream.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        return;
      }
      original(raw);
    };
    const exited = waitForExit(dc);
    await launchProgram(dc, { program, python: PYTHONS[0].python, console: 'integratedTerminal' }, { initialize: { supportsRunInTerminalRequest: true } });
    expect(terminalRequest?.arguments.kind).toBe('integrated');
    expect(terminalRequest?.arguments.args).toContain(program);
    expect(await exited).toBe(4);
  });
});

describe('an interpreter whose agent never connects', () => {
  let dc: DebugClient;
  afterEach(() => stopAdapter(dc));

  it.skipIf(process.platform === 'win32')('fails the launch after the hello timeout, saying so, and ends the started process and its children (POSIX: a shell script stands in for python)', async () => {
    // Stands in for "python": starts a long-running child, reports both process ids, and never
    // runs Dapper's launcher.
    const folder = dirname(writeScript('', 'marker.txt'));
    const wrapper = writeScript(
      `#!/bin/sh\nsleep 300 &\necho $! > "${folder}/child.pid"\necho $$ > "${folder}/wrapper.pid"\necho "wrapper is up" >&2\nwait\n`,
      'python-wrapper',
      folder,
    );
    chmodSync(wrapper, 0o755);
    const program = writeScript('print("never runs")\n', 'program.py', folder);
    dc = await startAdapter({ DAPPER_AGENT_START_TIMEOUT_MS: '5000' });
    await requestOk(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const launch = await request(dc, 'launch', { program, python: wrapper }, 30_000);
    expect(launch.success).toBe(false);
    expect(launch.message).toContain('did not connect within 5 s');
    const wrapperPid = Number(readFileSync(join(folder, 'wrapper.pid'), 'utf8'));
    const childPid = Number(readFileSync(join(folder, 'child.pid'), 'utf8'));
    expect(launch.message).toContain(`The started process (${wrapperPid}) and the process it had started (${childPid}) were ended.`);
    expect(launch.message).toContain('wrapper is up');
    expect(isRunning(wrapperPid)).toBe(false);
    // SIGKILL was sent before the answer; the kernel finishes the child off on its own time.
    await withTimeout(
      (async () => {
        while (isRunning(childPid)) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      `the end of the wrapper's child ${childPid}`,
    );
  });
});
