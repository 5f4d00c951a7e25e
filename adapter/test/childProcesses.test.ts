/**
 * Child processes on every Python version, driven as VS Code drives them: the root session
 * announces each Python child with `startDebugging`, and the test client attaches a second
 * adapter session to it with the configuration from that request (childSessions.ts).
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST } from '../../common/hotReload';
import { ChildSessions } from './childSessions';
import {
  PYTHONS,
  REPO_ROOT,
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
  withTimeout,
  writeScript,
} from './support';

const require = createRequire(import.meta.url);
const childModule = require(join(REPO_ROOT, 'dist', 'adapter', 'childProcesses.js')) as typeof import('../childProcesses');

const WITH_CHILDREN = { supportsStartDebuggingRequest: true };

/** The agent modules that compile a user file (the ast wrapper of restart points, breakpoint
 * probes), as a line of the program: a worker given its parent's code loads neither. Not `ast`
 * itself: from 3.14 multiprocessing.pool imports it (traceback → _colorize → dataclasses). */
const COMPILERS = 'COMPILERS = ("dapper_agent.restart.transform", "dapper_agent.tracing.probes")';

const POOL = (method: string) => `import multiprocessing as mp

def square(x):
    y = x * x  # BP
    return y

if __name__ == "__main__":
    mp.set_start_method("${method}")
    with mp.Pool(2) as pool:
        print("results", pool.map(square, [1, 2, 3]))
`;

const PARENT = `import subprocess, sys, os
here = os.path.dirname(os.path.abspath(__file__))
done = subprocess.run([sys.executable, os.path.join(here, "child.py"), "7"])
print("child exit", done.returncode)
`;

const SHELL_PARENT = `import shlex, subprocess, sys, os
here = os.path.dirname(os.path.abspath(__file__))
line = 'cd "%s" && echo "ready, go" | %s %s 7 | cat' % (here, shlex.quote(sys.executable), shlex.quote(os.path.join(here, "child.py")))
done = subprocess.run(line, shell=True)
print("shell exit", done.returncode)
`;

const SYSTEM_PARENT = `import os, shlex, sys
here = os.path.dirname(os.path.abspath(__file__))
status = os.system("%s %s 7; exit 3" % (shlex.quote(sys.executable), shlex.quote(os.path.join(here, "child.py"))))
print("system exit", os.waitstatus_to_exitcode(status))
print("other command exit", os.waitstatus_to_exitcode(os.system("exit 5")))
`;

const CHILD = `import sys
value = int(sys.argv[1])
doubled = value * 2  # BP
print("child doubled", doubled)
`;

const MIDDLE = `import subprocess, sys
done = subprocess.run([sys.executable, "-m", "grandchild", "5"])
sys.exit(done.returncode + 40)
`;

const GRANDCHILD = `import os, sys
value = int(sys.argv[1])
tripled = value * 3  # BP
print("grandchild tripled", tripled, "parent", os.getppid())
`;

const CRASHING_CHILD = `import sys
def fail(n):
    raise ValueError("child failed with %d" % n)
fail(int(sys.argv[1]))
`;

const SIXTEEN = `import subprocess, sys, os
here = os.path.dirname(os.path.abspath(__file__))
children = [subprocess.Popen([sys.executable, os.path.join(here, "child.py"), str(n)], stdout=subprocess.PIPE, text=True) for n in range(16)]
outputs = [child.communicate()[0].strip() for child in children]
print("sum", sum(int(line.split()[-1]) for line in outputs), "codes", sorted(set(child.returncode for child in children)))
`;

const EVERY_KIND = `import multiprocessing as mp, os, subprocess, sys
from concurrent.futures import ProcessPoolExecutor

def square(x):
    return x * x  # BP

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    with mp.get_context("spawn").Pool(2) as pool:
        print("pool", pool.map(square, [1, 2, 3]))
    with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as executor:
        print("executor", list(executor.map(square, [4, 5])))
    done = subprocess.run([sys.executable, os.path.join(here, "child.py"), "3"])
    pid = os.fork()
    if pid == 0:
        square(9)
        os._exit(0)
    os.waitpid(pid, 0)
    print("all done", done.returncode)
`;

async function evaluate(dc: DebugClient, expression: string, frameId: number): Promise<string> {
  const answer = await requestOk<DebugProtocol.EvaluateResponse>(dc, 'evaluate', { expression, frameId, context: 'repl' });
  return answer.body.result;
}

/** A child agent's hello as the agent sends it (python-agent/dapper_agent/main.py). */
function childHello(token: string, pid: number, protocol: unknown): string {
  const python = { version: '3.12.1', implementation: 'cpython', executable: 'python' };
  const child = { parentPid: 1, commandLine: ['python', 'worker.py'], forked: false };
  return JSON.stringify({ type: 'hello', token, pid, python, protocol, child }) + '\n';
}

describe('child process hello: the agent protocol version', () => {
  const VERSION_MESSAGE = /agent speaks protocol version 2 but this adapter speaks version 1.*python-agent folder that ships with this adapter/;

  it('a child whose agent speaks another version is refused with the launch message and never announced', async () => {
    const consoleLines: string[] = [];
    const announced: unknown[] = [];
    const broker = await childModule.ChildProcessBroker.open({
      startDebugging: async (args) => {
        announced.push(args);
        return true;
      },
      console: (text) => consoleLines.push(text),
      childSettings: { justMyCode: true, type: 'dapper' },
    });
    try {
      const { port, token } = broker.settings;
      const agent = await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
      const agentClosed = new Promise<void>((resolve) => agent.once('close', () => resolve()));
      agent.write(childHello(token, 4242, 2));
      await withTimeout(agentClosed, 'the child connection closed', 5000);
      expect(consoleLines.join('')).toMatch(/^Child process 4242 runs without the debugger: The Python agent speaks protocol version 2/);
      expect(consoleLines.join('')).toMatch(VERSION_MESSAGE);
      expect(announced).toEqual([]);
      expect(broker.livePids).toEqual([]);
    } finally {
      broker.close();
    }
  });

  it('attaching to a child whose hello names another version fails with the same message', async () => {
    // Plays a child-process listener (another adapter process) that hands over a child of another version.
    const server = createServer((socket) => {
      socket.once('data', () => socket.write(childHello('', 4343, 2)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('not listening');
      const ticket = { host: '127.0.0.1', port: address.port, ticket: 'x'.repeat(32), pid: 4343 };
      const attached = childModule.connectToChild(ticket as Parameters<typeof childModule.connectToChild>[0], 5000);
      const failure = await withTimeout(attached.then(() => new Error('the child was attached'), (error: Error) => error), 'attach refused', 5000);
      expect(failure.message).toMatch(VERSION_MESSAGE);
    } finally {
      server.close();
    }
  });
});

for (const { version, python } of PYTHONS) {
  describe(`Python ${version}: child processes`, () => {
    let dc: DebugClient;
    let children: ChildSessions | undefined;
    beforeEach(async () => {
      dc = await startAdapter();
      children = undefined;
    });
    afterEach(async () => {
      await children?.stopAll();
      await stopAdapter(dc);
    });

    for (const method of ['spawn', 'forkserver', 'fork']) {
      it(`stops at a breakpoint in a multiprocessing Pool worker (${method}) and evaluates there`, async () => {
        const source = POOL(method);
        const program = writeScript(source);
        const line = lineOf(source, '# BP');
        children = new ChildSessions(dc, { breakpoints: [{ path: program, lines: [line] }] });
        const exited = waitForExit(dc, 120_000);
        await launchProgram(dc, { program, python }, { initialize: WITH_CHILDREN, breakpoints: [{ path: program, lines: [line] }] });
        const { session: worker, stop } = await children.firstStop();
        expect(worker.configuration.request).toBe('attach');
        // Fork and forkserver workers are forks (of the program, or of the fork server).
        expect(worker.configuration.__dapperChild.forked).toBe(method !== 'spawn');
        const { event, frame } = stop;
        expect(event.body.reason).toBe('breakpoint');
        expect(frame.line).toBe(line);
        expect(frame.source?.path).toBe(program);
        expect(['1', '2', '3']).toContain(await evaluate(worker.dc, 'x', frame.id));
        expect(await evaluate(worker.dc, 'x * 100', frame.id)).toMatch(/^[123]00$/);
        // Every other worker runs on; this one too once its breakpoint is gone.
        children.continueAllExcept(worker);
        await requestOk(worker.dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
        await continueThread(worker.dc, event.body.threadId!);
        expect(await exited).toBe(0);
        expect(outputOf(dc, 'stdout')).toContain('results [1, 4, 9]');
      });
    }

    it("Restart Frame in a spawn worker's function of the program's own file (__mp_main__) runs that call again; the worker compiled nothing for it", async () => {
      // The worker runs the program's file again as __mp_main__ (runpy.run_path): it loads the
      // code the program compiled when it started — with restart points, and on 3.9-3.11 with
      // the breakpoint's probe — so the call can be restarted and the worker compiles nothing.
      const source = `import multiprocessing as mp, sys
${COMPILERS}
calls = []

def square(x):
    calls.append(x)
    compilers = sorted(name for name in COMPILERS if name in sys.modules)
    y = x * x  # BP
    return y, len(calls)

if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(1) as pool:
        print("results", pool.map(square, [3]))
`;
      const program = writeScript(source);
      const line = lineOf(source, '# BP');
      children = new ChildSessions(dc, { breakpoints: [{ path: program, lines: [line] }] });
      const exited = waitForExit(dc, 120_000);
      await launchProgram(dc, { program, python }, { initialize: WITH_CHILDREN, breakpoints: [{ path: program, lines: [line] }] });
      const { session: worker, stop } = await children.firstStop();
      expect(worker.configuration.__dapperChild.forked).toBe(false);
      expect([stop.frame.name, stop.frame.line, stop.frame.canRestart]).toEqual(['square', line, true]);
      expect(await evaluate(worker.dc, 'compilers', stop.frame.id)).toBe('[]');
      const restarted = waitForStop(worker.dc);
      await requestOk(worker.dc, 'restartFrame', { frameId: stop.frame.id });
      const again = await restarted;
      expect(again.event.body.reason).toBe('restart');
      expect(again.frame.name).toBe('square');
      await requestOk(worker.dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      await continueThread(worker.dc, again.event.body.threadId!);
      expect(await exited).toBe(0);
      // The restarted call ran its body again (two calls recorded) and returned once.
      expect(outputOf(dc, 'stdout')).toContain('results [(9, 2)]');
    });

    it("a breakpoint set after the program started: a spawn worker stops there without compiling anything for the program's own file", async () => {
      const source = `import multiprocessing as mp, sys
${COMPILERS}

def square(x):
    compilers = sorted(name for name in COMPILERS if name in sys.modules)
    y = x * x  # BP
    return y

if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(1) as pool:
        print("results", pool.map(square, [3]))
`;
      const program = writeScript(source);
      const line = lineOf(source, '# BP');
      children = new ChildSessions(dc, { breakpoints: [{ path: program, lines: [line] }] });
      const exited = waitForExit(dc, 120_000);
      const entry = waitForStop(dc);
      await launchProgram(dc, { program, python, stopOnEntry: true }, { initialize: WITH_CHILDREN });
      const { event } = await entry;
      await requestOk(dc, 'setBreakpoints', { source: { path: program }, breakpoints: [{ line }] });
      await continueThread(dc, event.body.threadId!);
      const { session: worker, stop } = await children.firstStop();
      expect([stop.frame.name, stop.frame.line]).toEqual(['square', line]);
      expect(await evaluate(worker.dc, 'compilers', stop.frame.id)).toBe('[]');
      await requestOk(worker.dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      await continueThread(worker.dc, stop.event.body.threadId!);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('results [9]');
    });

    it("Apply Changes in a spawn worker stopped in the program's own file (run with the code its parent compiled): later calls return the new code's value", async () => {
      const source = `import multiprocessing as mp

def scale(x):
    y = x * 10  # BP
    return y

if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(1) as pool:
        print("results", pool.map(scale, [1, 2, 3], chunksize=1))
`;
      const program = writeScript(source);
      const line = lineOf(source, '# BP');
      children = new ChildSessions(dc, { breakpoints: [{ path: program, lines: [line] }] });
      const exited = waitForExit(dc, 120_000);
      await launchProgram(dc, { program, python }, { initialize: WITH_CHILDREN, breakpoints: [{ path: program, lines: [line] }] });
      const { session: worker, stop } = await children.firstStop();
      expect([stop.frame.name, await evaluate(worker.dc, 'x', stop.frame.id)]).toEqual(['scale', '1']);
      writeFileSync(program, source.replace('x * 10', 'x * 100'));
      const applied = await request<DebugProtocol.Response>(worker.dc, HOT_RELOAD_REQUEST, { source: { path: program }, options: {} });
      expect(applied.success, applied.message).toBe(true);
      // The stopped call finishes on the old code; the next calls stop again, on the new code.
      const stoppedAgain = waitForStop(worker.dc);
      await continueThread(worker.dc, stop.event.body.threadId!);
      const next = await stoppedAgain;
      expect([next.frame.name, next.frame.line, await evaluate(worker.dc, 'x', next.frame.id)]).toEqual(['scale', line, '2']);
      await requestOk(worker.dc, 'setBreakpoints', { source: { path: program }, breakpoints: [] });
      await continueThread(worker.dc, next.event.body.threadId!);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('results [10, 200, 300]');
    });

    it('stops at a breakpoint in a subprocess child, evaluates there, and reports its exit', async () => {
      const program = writeScript(PARENT, 'parent.py');
      const child = writeScript(CHILD, 'child.py', dirname(program));
      const line = lineOf(CHILD, '# BP');
      children = new ChildSessions(dc, { breakpoints: [{ path: child, lines: [line] }] });
      const exited = waitForExit(dc, 120_000);
      await launchProgram(dc, { program, python }, { initialize: WITH_CHILDREN });
      const session = await children.next();
      expect(session.configuration.__dapperChild.commandLine.slice(1)).toEqual([child, '7']);
      expect(session.configuration.name).toContain('child.py');
      const { event, frame } = await session.stopped;
      expect(frame.source?.path).toBe(child);
      expect(frame.line).toBe(line);
      expect(await evaluate(session.dc, 'value', frame.id)).toBe('7');
      expect(await evaluate(session.dc, 'sys.argv[1:]', frame.id)).toBe("['7']");
      await continueThread(session.dc, event.body.threadId!);
      expect(await session.ended).toBe(0);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('child exit 0');
      // A child's output goes where its parent sent it: here, the launched program's stdout.
      expect(outputOf(dc, 'stdout')).toContain('child doubled 14');
    });

    // The rest of each line is the shell's as written: piped through cat, its own exit status;
    // a command that does not start Python goes to the real os.system.
    for (const { how, parent, printed } of [
      { how: 'a shell command line (shell=True, after a quoted command, piped in and out)', parent: SHELL_PARENT, printed: ['shell exit 0'] },
      { how: "os.system, whose answer is the shell line's exit status", parent: SYSTEM_PARENT, printed: ['system exit 3', 'other command exit 5'] },
    ]) {
      it(`stops in a child started by ${how}`, async () => {
        const program = writeScript(parent, 'parent.py');
        const child = writeScript(CHILD, 'child.py', dirname(program));
        const line = lineOf(CHILD, '# BP');
        children = new ChildSessions(dc, { breakpoints: [{ path: child, lines: [line] }] });
        const exited = waitForExit(dc, 120_000);
        await launchProgram(dc, { program, python }, { initialize: WITH_CHILDREN });
        const session = await children.next();
        expect(session.configuration.__dapperChild.commandLine.slice(1)).toEqual([child, '7']);
        const { event, frame } = await session.stopped;
        expect(frame.source?.path).toBe(child);
        expect(frame.line).toBe(line);
        expect(await evaluate(session.dc, 'sys.argv[1:]', frame.id)).toBe("['7']");
        await continueThread(session.dc, event.body.threadId!);
        expect(await session.ended).toBe(0);
        expect(await exited).toBe(0);
        expect(outputOf(dc, 'stdout')).toContain('child doubled 14');
        for (const text of printed) expect(outputOf(dc, 'stdout')).toContain(text);
      });
    }

    it('stops in a grandchild started with -m, announced to the root session', async () => {
      const program = writeScript(PARENT, 'parent.py');
      const folder = dirname(program);
      writeScript(MIDDLE, 'child.py', folder);
      const grandchild = writeScript(GRANDCHILD, 'grandchild.py', folder);
      const line = lineOf(GRANDCHILD, '# BP');
      children = new ChildSessions(dc, { breakpoints: [{ path: grandchild, lines: [line] }] });
      const exited = waitForExit(dc, 120_000);
      await launchProgram(dc, { program, python, cwd: folder }, { initialize: WITH_CHILDREN });
      const middle = await children.next();
      const last = await children.next();
      expect(last.configuration.__dapperChild.parentPid).toBe(middle.configuration.subProcessId);
      expect(last.configuration.__dapperChild.commandLine.slice(1)).toEqual(['-m', 'grandchild', '5']);
      const { event, frame } = await last.stopped;
      expect(frame.source?.path).toBe(grandchild);
      expect(await evaluate(last.dc, 'value * 10', frame.id)).toBe('50');
      await continueThread(last.dc, event.body.threadId!);
      expect(await last.ended).toBe(0);
      expect(await middle.ended).toBe(40);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('child exit 40');
      expect(outputOf(dc, 'stdout')).toContain('grandchild tripled 15');
    });

    it('a crashing child stops on its uncaught exception, then reports exit code 1', async () => {
      const program = writeScript(PARENT, 'parent.py');
      writeScript(CRASHING_CHILD, 'child.py', dirname(program));
      children = new ChildSessions(dc, { exceptionFilters: ['uncaught'] });
      const exited = waitForExit(dc, 120_000);
      await launchProgram(dc, { program, python }, { initialize: WITH_CHILDREN });
      const session = await children.next();
      const { event, frame } = await session.stopped;
      expect(event.body.reason).toBe('exception');
      expect(frame.name).toBe('fail');
      expect(await evaluate(session.dc, 'n', frame.id)).toBe('7');
      await continueThread(session.dc, event.body.threadId!);
      expect(await session.ended).toBe(1);
      // The child's traceback goes to the stderr it inherited, the root program's pipe: read
      // by the time the root program has exited, not necessarily when the child's session ends.
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stderr')).toContain('ValueError: child failed with 7');
      expect(outputOf(dc, 'stdout')).toContain('child exit 1');
    });

    it('debugs 16 children started at once, each stopping at its breakpoint', async () => {
      const program = writeScript(SIXTEEN, 'parent.py');
      const child = writeScript(CHILD.replace('print("child doubled", doubled)', 'print(doubled)'), 'child.py', dirname(program));
      const line = lineOf(CHILD, '# BP');
      children = new ChildSessions(dc, { breakpoints: [{ path: child, lines: [line] }], stopTimeoutMs: 120_000 });
      const exited = waitForExit(dc, 240_000);
      await launchProgram(dc, { program, python }, { initialize: WITH_CHILDREN });
      const values: string[] = [];
      for (let n = 0; n < 16; n++) {
        const session = await children.next(120_000);
        const { event, frame } = await session.stopped;
        values.push(await evaluate(session.dc, 'value', frame.id));
        await continueThread(session.dc, event.body.threadId!);
      }
      expect(values.map(Number).sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('sum 240 codes [0]');
    }, 300_000);

    it('a client without startDebugging: every kind of child runs undebugged to the end', async () => {
      const program = writeScript(EVERY_KIND, 'parent.py');
      writeScript(CHILD, 'child.py', dirname(program));
      const line = lineOf(EVERY_KIND, '# BP');
      let stops = 0;
      dc.on('stopped', () => stops++);
      const exited = waitForExit(dc, 120_000);
      const { initialize } = await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [line] }] });
      expect(initialize.body).toBeDefined();
      expect(await exited).toBe(0);
      const stdout = outputOf(dc, 'stdout');
      expect(stdout).toContain('pool [1, 4, 9]');
      expect(stdout).toContain('executor [16, 25]');
      expect(stdout).toContain('child doubled 6');
      expect(stdout).toContain('all done 0');
      // Only the forked child shares the launched program's code; it runs without the debugger too.
      expect(stops).toBe(0);
    });
  });
}
