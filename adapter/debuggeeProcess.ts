/**
 * The debuggee as an OS process: spawning it with the agent launcher, its real exit code
 * (so `os._exit(7)` and signals are reported as they happened), the tail of its stderr for
 * start-up failures, and terminating it (gracefully first, then by force).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants as osConstants } from 'node:os';
import { log } from './log';

const STDERR_TAIL_BYTES = 4096;

export interface ProcessExit {
  /** Exit code as a shell reports it: the process's code, or 128 + signal number. */
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | null;
}

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal) return 128 + ((osConstants.signals as Record<string, number>)[signal] ?? 0);
  return 0;
}

export interface SpawnSpec {
  readonly python: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

/** Emits `exit` (ProcessExit) once the process has exited and its pipes are drained. */
export class DebuggeeProcess extends EventEmitter {
  private readonly child: ChildProcess;
  private stderrTail = Buffer.alloc(0);
  private exitInfo: ProcessExit | undefined;
  readonly exited: Promise<ProcessExit>;

  constructor(spec: SpawnSpec) {
    super();
    log(`spawn ${spec.python} ${spec.argv.join(' ')} (cwd ${spec.cwd})`);
    this.child = spawn(spec.python, [...spec.argv], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = Buffer.concat([this.stderrTail, chunk]);
      if (this.stderrTail.length > STDERR_TAIL_BYTES) this.stderrTail = this.stderrTail.subarray(-STDERR_TAIL_BYTES);
    });
    // Writes to a program that has stopped reading stdin must not crash the adapter.
    this.child.stdin!.on('error', (error) => log(`debuggee stdin: ${error.message}`));
    this.exited = new Promise<ProcessExit>((resolve) => {
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        // Spawn failures (ENOENT, EACCES) arrive here instead of an exit.
        this.spawnError = error;
        const info = { exitCode: 127, signal: null };
        this.exitInfo = info;
        resolve(info);
      });
      // 'close' waits for stdout/stderr to end, so every byte of output is forwarded before
      // `exited` is sent; a grandchild holding the pipes open must not delay it for long.
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        const info = { exitCode: exitCodeOf(code, signal), signal };
        this.exitInfo = info;
        log(`debuggee exited: code ${code} signal ${signal}`);
        resolve(info);
      };
      this.child.once('close', settle);
      this.child.once('exit', (code, signal) => setTimeout(() => settle(code, signal), 2000).unref());
    });
    this.exited.then((info) => this.emit('exit', info));
  }

  spawnError: NodeJS.ErrnoException | undefined;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): NodeJS.ReadableStream {
    return this.child.stdout!;
  }

  get stderr(): NodeJS.ReadableStream {
    return this.child.stderr!;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  stderrText(): string {
    return this.stderrTail.toString('utf8').trim();
  }

  writeInput(text: string): boolean {
    if (this.hasExited || !this.child.stdin || this.child.stdin.destroyed) return false;
    this.child.stdin.write(text);
    return true;
  }

  /** Kills the process (SIGKILL; TerminateProcess on Windows) and waits for it to be gone. */
  async kill(): Promise<ProcessExit> {
    if (!this.hasExited) this.child.kill('SIGKILL');
    return this.exited;
  }

  /**
   * Waits up to `graceMs` for the process to exit on its own (after the agent was asked to
   * terminate), then kills it.
   */
  async terminate(graceMs: number): Promise<ProcessExit> {
    if (this.hasExited) return this.exited;
    const timer = setTimeout(() => {
      if (!this.hasExited) {
        log('debuggee did not exit in time; killing it');
        this.child.kill('SIGKILL');
      }
    }, graceMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }
}
