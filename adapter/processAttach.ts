/**
 * Attach to a plain Python process by its id (Linux). The adapter opens its token-guarded
 * loopback listener, then has the process run one statement that imports the agent from this
 * adapter's python-agent/ folder and connects back with that token:
 *
 * - Python 3.14+: `sys.remote_exec(pid, script)` (PEP 768), run by the target's own interpreter.
 *   Written from CPython's documentation; no 3.14 was available to test it.
 * - Python 3.9–3.13: gdb attaches, takes the GIL with PyGILState_Ensure, calls
 *   PyRun_SimpleString, releases the GIL and detaches. The commands (and the token) go to gdb
 *   in a 0600 file, never on a command line other users can read.
 *
 * Each way of failing — no such process, not Python, too old, gdb missing, ptrace not
 * permitted — gets a message that says what to do.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AgentListener, type AgentChannel } from './agentChannel';
import { AttachError } from './agentConnect';
import { log } from './log';

export const INJECT_TIMEOUT_MS = 60_000;
export const HELLO_AFTER_INJECT_MS = 30_000;

export interface PythonProcessInfo {
  readonly executable: string;
  readonly version: readonly [number, number];
}

function readProc(pid: number, what: string): string | undefined {
  try {
    return what === 'exe' ? readlinkSync(`/proc/${pid}/exe`) : readFileSync(`/proc/${pid}/${what}`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') throw new AttachError(`There is no process with id ${pid}. It may have ended; pick it again.`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new AttachError(
        `No permission to inspect process ${pid}: it belongs to another user. Run Dapper as that user (or as root) to attach to it.`,
      );
    }
    return undefined;
  }
}

function run(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
      resolve({
        code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
        output: `${stdout}${stderr}`,
        error: failure && typeof failure.code === 'string' ? failure : undefined,
      });
    });
  });
}

/** Which Python a process runs, from /proc: its libpython, or its executable's name or answer. */
export async function inspectPythonProcess(pid: number): Promise<PythonProcessInfo> {
  if (process.platform !== 'linux') {
    throw new AttachError('Attaching to a process by id is supported on Linux. Elsewhere start the program with "python -m dapper_agent --listen" and attach to its port.');
  }
  if (pid === process.pid) throw new AttachError('That is the debugger itself; pick the Python program.');
  const executable = readProc(pid, 'exe');
  if (executable === undefined) throw new AttachError(`Process ${pid} cannot be inspected (it may be a kernel thread or a zombie).`);
  const maps = readProc(pid, 'maps') ?? '';
  const library = /libpython(\d+)\.(\d+)/.exec(maps);
  let version: [number, number] | undefined = library ? [Number(library[1]), Number(library[2])] : undefined;
  const name = basename(executable.replace(/ \(deleted\)$/, ''));
  if (!version) {
    const named = /python(\d+)\.(\d+)/.exec(name);
    if (named) version = [Number(named[1]), Number(named[2])];
  }
  if (!version && /^python/i.test(name)) {
    const answer = await run(executable, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], 10_000);
    const match = /^(\d+)\.(\d+)/.exec(answer.output.trim());
    if (match) version = [Number(match[1]), Number(match[2])];
  }
  if (!version) {
    throw new AttachError(`Process ${pid} (${name}) is not a Python process: it neither runs a python executable nor loads libpython.`);
  }
  if (version[0] < 3 || (version[0] === 3 && version[1] < 9)) {
    throw new AttachError(`Process ${pid} runs Python ${version.join('.')}, which is too old for Dapper: Python 3.9 or newer is needed.`);
  }
  return { executable: executable.replace(/ \(deleted\)$/, ''), version };
}

/** The one statement the process runs: import the agent from `agentDir`, connect back, return. */
export function bootstrapStatement(agentDir: string, port: number, token: string): string {
  const dir = JSON.stringify(agentDir);
  // A lambda: the statement runs in the program's __main__, which must not gain any names.
  return (
    `(lambda sys, p: (sys.path.insert(0, p), __import__('dapper_agent.attach.bootstrap'), ` +
    `p in sys.path and sys.path.remove(p), ` +
    `sys.modules['dapper_agent.attach.bootstrap'].connect_back('127.0.0.1', ${port}, ${JSON.stringify(token)})))` +
    `(__import__('sys'), ${dir})`
  );
}

function cString(text: string): string {
  return '"' + text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

function ptraceAdvice(): string {
  let scope = '';
  try {
    scope = readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim();
  } catch {
    /* no Yama */
  }
  const parts = [];
  if (scope === '3') parts.push('ptrace is disabled on this machine (kernel.yama.ptrace_scope = 3) until it reboots.');
  else if (scope === '1' || scope === '2') {
    parts.push(
      `kernel.yama.ptrace_scope is ${scope}: only ${scope === '1' ? 'a parent process or root' : 'root'} may attach. ` +
        'Run Dapper as root, or allow it with "sudo sysctl kernel.yama.ptrace_scope=0".',
    );
  }
  parts.push('In a container, the debugger needs the CAP_SYS_PTRACE capability (docker run --cap-add=SYS_PTRACE).');
  return parts.join(' ');
}

function gdbFailure(pid: number, output: string): string | undefined {
  if (/ptrace: Operation not permitted|Could not attach to process/i.test(output)) {
    return `Not permitted to attach to process ${pid}. ${ptraceAdvice()}`;
  }
  if (/ptrace: No such process/i.test(output)) return `There is no process with id ${pid}. It may have ended; pick it again.`;
  if (/No symbol "Py\w+" in current context/.test(output)) {
    return `Process ${pid} has no Python interpreter symbols (PyRun_SimpleString): it is not a Python process, or its interpreter is stripped.`;
  }
  const result = /\$2 = (-?\d+)/.exec(output);
  if (result && result[1] !== '0') {
    return `Python in process ${pid} could not load the Dapper agent (see the program's stderr). Check that ${'python-agent/'} is readable by that process's user.`;
  }
  return undefined;
}

async function injectWithGdb(pid: number, statement: string, workDir: string): Promise<void> {
  const commands = join(workDir, 'attach.gdb');
  writeFileSync(
    commands,
    [
      'set pagination off',
      'set confirm off',
      'call (int)PyGILState_Ensure()',
      `call (int)PyRun_SimpleString(${cString(statement)})`,
      'call (void)PyGILState_Release($1)',
      'detach',
      'quit',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const answer = await run('gdb', ['-nx', '-batch', '-p', String(pid), '-x', commands], INJECT_TIMEOUT_MS);
  log(`gdb attach ${pid}: ${answer.output.slice(-2000)}`);
  if (answer.error?.code === 'ENOENT') {
    throw new AttachError('Attaching to a Python 3.9–3.13 process needs gdb, which is not installed. Install it (e.g. "apt-get install gdb") and try again.');
  }
  const failure = gdbFailure(pid, answer.output);
  if (failure) throw new AttachError(failure);
  if (!/\$2 = 0/.test(answer.output)) {
    throw new AttachError(`gdb could not run the Dapper agent in process ${pid}:\n${answer.output.trim().split('\n').slice(-6).join('\n')}`);
  }
}

async function injectWithRemoteExec(pid: number, info: PythonProcessInfo, statement: string, workDir: string): Promise<void> {
  const script = join(workDir, 'dapper_attach.py');
  // The target process reads this file itself, possibly as another user: readable, in a
  // private folder whose name cannot be guessed, removed as soon as the agent has connected.
  writeFileSync(script, statement + '\n', { mode: 0o644 });
  const answer = await run(info.executable, ['-c', 'import sys; sys.remote_exec(int(sys.argv[1]), sys.argv[2])', String(pid), script], INJECT_TIMEOUT_MS);
  if (answer.code !== 0) {
    const text = answer.output.trim();
    if (/PermissionError|Operation not permitted/i.test(text)) throw new AttachError(`Not permitted to attach to process ${pid}. ${ptraceAdvice()}`);
    throw new AttachError(`sys.remote_exec could not run the Dapper agent in process ${pid}:\n${text.split('\n').slice(-4).join('\n')}`);
  }
}

/** Injects the agent into process `pid` and resolves with its authenticated channel. */
export async function attachToProcess(agentDir: string, pid: number): Promise<AgentChannel> {
  const info = await inspectPythonProcess(pid);
  const listener = await AgentListener.open();
  const workDir = mkdtempSync(join(tmpdir(), 'dapper-attach-'));
  let timer: NodeJS.Timeout | undefined;
  try {
    const statement = bootstrapStatement(agentDir, listener.port, listener.token);
    const remoteExec = info.version[0] > 3 || info.version[1] >= 14;
    if (remoteExec) await injectWithRemoteExec(pid, info, statement, workDir);
    else await injectWithGdb(pid, statement, workDir);
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AttachError(
              `Process ${pid} ran the Dapper bootstrap but its agent did not connect within ${HELLO_AFTER_INJECT_MS / 1000} s` +
                (remoteExec ? ' (sys.remote_exec runs it when the program next executes Python code).' : '.'),
            ),
          ),
        HELLO_AFTER_INJECT_MS,
      );
    });
    return await Promise.race([listener.waitForAgent(), late]);
  } finally {
    if (timer) clearTimeout(timer);
    listener.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
