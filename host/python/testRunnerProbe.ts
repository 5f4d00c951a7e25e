/**
 * Which test runner "Debug Test" uses: pytest when the interpreter can import it, else the
 * standard library's unittest. Asked of the interpreter itself, in the folder the tests run
 * from (a venv or a local pytest install decides).
 */
import { execFile } from 'node:child_process';
import { resolveInterpreter } from '../../adapter/interpreter';
import type { TestRunnerInfo } from '../../common/bridge';

const PROBE = 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("pytest") else 3)';
const PROBE_TIMEOUT_MS = 20_000;

export function probeTestRunner(python: string | null, cwd: string): Promise<TestRunnerInfo> {
  const interpreter = resolveInterpreter({ python: python ?? undefined, programDir: cwd, cwd, pathVariable: process.env.PATH });
  return new Promise((resolve, reject) => {
    execFile(interpreter, ['-c', PROBE], { cwd, timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (error, _stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (code === 0) resolve({ runner: 'pytest', python: interpreter });
      else if (code === 3) resolve({ runner: 'unittest', python: interpreter });
      else {
        const detail = String(stderr).trim() || (error as Error).message;
        reject(new Error(`The interpreter ${interpreter} did not start (${detail}). Choose another interpreter.`));
      }
    });
  });
}
