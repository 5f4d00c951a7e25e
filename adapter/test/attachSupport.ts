/**
 * Helpers for attach tests: programs started with `python -m dapper_agent --listen` or as a
 * plain `python script.py`, their own stdout collected (attached programs keep their output),
 * and the attach handshake done the way an editor does it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { expect } from 'vitest';
import { REPO_ROOT, REQUEST_TIMEOUT_MS, request, requestOk, withTimeout } from './support';

export const AGENT_DIR = join(REPO_ROOT, 'python-agent');

export class RunningProgram {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Waits until the program's own stdout (from `from` on) matches. */
  async waitForStdout(pattern: RegExp, from = 0, ms = REQUEST_TIMEOUT_MS): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = pattern.exec(this.stdout.slice(from));
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`program stdout never matched ${pattern}; got: ${this.stdout.slice(-400)}\nstderr: ${this.stderr.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** `python -m dapper_agent --listen 127.0.0.1:0 --token T script` (or other argv); resolves with the port. */
export async function startListening(
  python: string,
  programArgv: string[],
  options: { token?: string; listen?: string; wait?: boolean; wrap?: string[] } = {},
): Promise<{ program: RunningProgram; port: number; host: string }> {
  const argv = ['-m', 'dapper_agent', '--listen', options.listen ?? '127.0.0.1:0'];
  if (options.token !== undefined) argv.push('--token', options.token);
  if (options.wait) argv.push('--wait-for-client');
  argv.push(...programArgv);
  const command = options.wrap ? [...options.wrap, python, ...argv] : [python, ...argv];
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, PYTHONPATH: AGENT_DIR, PYTHONUNBUFFERED: '1', DAPPER_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const program = new RunningProgram(child);
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  for (;;) {
    const match = /listening for a debugger on (\S+):(\d+)/.exec(program.stderr);
    if (match) return { program, host: match[1], port: Number(match[2]) };
    if (child.exitCode !== null || Date.now() > deadline) {
      await program.kill();
      throw new Error(`the listener did not start: ${program.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A plain `python script.py`, no debugger anywhere. */
export function startPlain(python: string, script: string): RunningProgram {
  return new RunningProgram(spawn(python, [script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } }));
}

export async function initialize(dc: DebugClient): Promise<void> {
  await withTimeout(
    dc.initializeRequest({
      adapterID: 'dapper',
      clientID: 'dapper-tests',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
      supportsInvalidatedEvent: true,
    }),
    'initialize',
  );
}

/**
 * initialize → attach → (initialized) → breakpoints → configurationDone. Resolves with the
 * attach response (failures included: the caller checks).
 */
export async function attachProgram(
  dc: DebugClient,
  attachArgs: Record<string, unknown>,
  breakpoints: { path: string; lines: number[] }[] = [],
): Promise<DebugProtocol.Response> {
  await initialize(dc);
  const initialized = dc.waitForEvent('initialized', 60_000);
  const attached = await request(dc, 'attach', attachArgs, 90_000);
  if (!attached.success) {
    initialized.catch(() => undefined);
    return attached;
  }
  await initialized;
  for (const bp of breakpoints) {
    await requestOk(dc, 'setBreakpoints', { source: { path: bp.path }, breakpoints: bp.lines.map((line) => ({ line })) });
  }
  await requestOk(dc, 'configurationDone');
  return attached;
}

/** A program that calls work(i) forever and prints what it returns. */
export const LOOP = `import time

def work(i):
    return i * 2  # BP

i = 0
while True:
    print("value", i, work(i), flush=True)
    i += 1
    time.sleep(0.05)
`;

/** The program's latest "value i result" line after `from`, as [i, result]. */
export async function nextValue(program: RunningProgram, from: number): Promise<[number, number]> {
  const match = await program.waitForStdout(/value (\d+) (\d+)\n/, from);
  return [Number(match[1]), Number(match[2])];
}

/** Resolves once the program printed `count` more lines whose result satisfies `check`. */
export async function expectRunning(program: RunningProgram, check: (i: number, result: number) => boolean, count = 3): Promise<void> {
  let from = program.stdout.length;
  for (let seen = 0; seen < count; seen++) {
    const match = await program.waitForStdout(/value (\d+) (\d+)\n/, from);
    expect(check(Number(match[1]), Number(match[2])), `line "${match[0].trim()}"`).toBe(true);
    from += match.index + match[0].length;
  }
}

