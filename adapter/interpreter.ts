/**
 * Chooses the Python interpreter for a launch, the way a developer coming from VS Code
 * expects: the `python` argument, else a `.venv`/`venv` next to the program or in cwd,
 * else `python3` on PATH (`python` on Windows).
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export class InterpreterNotFoundError extends Error {}

const isWindows = process.platform === 'win32';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function venvInterpreter(folder: string, venvName: string): string {
  return isWindows ? join(folder, venvName, 'Scripts', 'python.exe') : join(folder, venvName, 'bin', 'python');
}

/** Looks a bare command name up on PATH; returns the full path or undefined. */
export function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  const extensions = isWindows ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').concat(['']) : [''];
  for (const folder of (pathVariable ?? '').split(delimiter)) {
    if (!folder) continue;
    for (const ext of extensions) {
      const candidate = join(folder, name + ext);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface InterpreterQuery {
  readonly python?: string;
  readonly programDir: string;
  readonly cwd: string;
  /** PATH the debuggee will see (launch `env` may override it). */
  readonly pathVariable: string | undefined;
}

export function resolveInterpreter(query: InterpreterQuery): string {
  if (query.python !== undefined && query.python !== '') {
    const given = query.python;
    const looksLikePath = given.includes('/') || given.includes('\\') || isAbsolute(given);
    if (looksLikePath) {
      const full = resolve(query.cwd, given);
      if (!isFile(full)) {
        throw new InterpreterNotFoundError(
          `Launch argument "python" ${JSON.stringify(given)}: no interpreter at ${full}. Check the path, or remove "python" to use the default.`,
        );
      }
      return full;
    }
    const onPath = findOnPath(given, query.pathVariable);
    if (!onPath) {
      throw new InterpreterNotFoundError(
        `Launch argument "python" ${JSON.stringify(given)}: no such command on PATH. Give the full path of the interpreter.`,
      );
    }
    return onPath;
  }
  const tried: string[] = [];
  const folders = [...new Set([query.programDir, query.cwd])];
  for (const folder of folders) {
    for (const venvName of ['.venv', 'venv']) {
      const candidate = venvInterpreter(folder, venvName);
      tried.push(candidate);
      if (existsSync(candidate)) return candidate;
    }
  }
  const defaultName = isWindows ? 'python' : 'python3';
  const onPath = findOnPath(defaultName, query.pathVariable);
  if (onPath) return onPath;
  tried.push(`${defaultName} on PATH`);
  throw new InterpreterNotFoundError(
    `No Python interpreter found (tried ${tried.join(', ')}). Install Python 3.9 or newer, or set "python" in the launch configuration.`,
  );
}
