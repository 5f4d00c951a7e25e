/**
 * Asking an interpreter what it is: runs `<python> -c …` (a few lines that work on Python 2
 * too), with a short timeout, and turns the answer into an InterpreterInfo whose `problem`
 * names the interpreter when Dapper cannot use it (older than 3.9, or it does not start).
 */
import { execFile } from 'node:child_process';
import type { InterpreterInfo, InterpreterSource } from '../../common/bridge';

export const MINIMUM_PYTHON: readonly [number, number] = [3, 9];
const PROBE_TIMEOUT_MS = 10_000;
const PROBE = "import sys; sys.stdout.write('%d.%d.%d %s' % (sys.version_info[0], sys.version_info[1], sys.version_info[2], sys.version_info[3]))";

function parseVersion(text: string): { version: string; major: number; minor: number } | null {
  const match = /^(\d+)\.(\d+)\.(\d+) (\w+)/.exec(text.trim());
  if (!match) return null;
  const release = match[4] === 'final' ? '' : ` (${match[4]})`;
  return { version: `${match[1]}.${match[2]}.${match[3]}${release}`, major: Number(match[1]), minor: Number(match[2]) };
}

function isTooOld(major: number, minor: number): boolean {
  return major < MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor < MINIMUM_PYTHON[1]);
}

/** Runs the interpreter once; never rejects (a failure becomes `problem`). */
export function probeInterpreter(path: string, source: InterpreterSource): Promise<InterpreterInfo> {
  return new Promise((resolve) => {
    execFile(path, ['-c', PROBE], { timeout: PROBE_TIMEOUT_MS, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      const parsed = parseVersion(String(stdout));
      if (error || !parsed) {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        const reason =
          code === 'ENOENT' ? 'the file does not exist'
            : code === 'EACCES' ? 'it is not executable'
              : (error as { killed?: boolean } | null)?.killed ? `it did not answer within ${PROBE_TIMEOUT_MS / 1000} s`
                : String(stderr).trim().split('\n').pop() || (error ? error.message : `it printed ${JSON.stringify(String(stdout).slice(0, 80))}`);
        resolve({ path, version: null, source, problem: `The interpreter ${path} does not start: ${reason}. Choose another one.` });
        return;
      }
      const problem = isTooOld(parsed.major, parsed.minor)
        ? `The interpreter ${path} is Python ${parsed.version}; Dapper needs Python ${MINIMUM_PYTHON.join('.')} or newer. Choose another one.`
        : null;
      resolve({ path, version: parsed.version, source, problem });
    });
  });
}
