/**
 * `dapper listen …`: runs `python -m dapper_agent --listen …` with this installation's
 * python-agent/ on PYTHONPATH, in this terminal, and exits with the program's status.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface ListenOptions {
  readonly python: string | null;
  readonly agentArgs: readonly string[];
  /** The package root (python-agent/ lives there). */
  readonly root: string;
}

export function runListen(options: ListenOptions): Promise<number> {
  const python = options.python ?? (process.platform === 'win32' ? 'python' : 'python3');
  const agentDir = path.join(options.root, 'python-agent');
  const existing = process.env.PYTHONPATH;
  const env = { ...process.env, PYTHONPATH: existing ? `${agentDir}${path.delimiter}${existing}` : agentDir };
  return new Promise((resolve) => {
    const child = spawn(python, ['-m', 'dapper_agent', ...options.agentArgs], { stdio: 'inherit', env });
    // Ctrl+C reaches the program through the terminal; a TERM to us is passed on.
    const forward = () => child.kill('SIGTERM');
    process.on('SIGTERM', forward);
    child.once('error', (error: NodeJS.ErrnoException) => {
      process.off('SIGTERM', forward);
      console.error(
        error.code === 'ENOENT'
          ? `dapper: cannot run ${python}: not found. Give the interpreter with --python PATH.`
          : `dapper: cannot run ${python}: ${error.message}`,
      );
      resolve(2);
    });
    child.once('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
