/**
 * Select Interpreter's list: the folder's `.venv`/`venv`/`env`, VIRTUAL_ENV, CONDA_PREFIX,
 * pyenv's versions, `python3.X` on PATH, the `py` launcher's list on Windows, and the
 * folder's `python.defaultInterpreterPath` — each asked for its version (interpreterProbe.ts),
 * the same executable listed once.
 */
import { execFile } from 'node:child_process';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findOnPath } from '../../adapter/interpreter';
import type { InterpreterDiscovery, InterpreterInfo, InterpreterSource } from '../../common/bridge';
import { probeInterpreter } from './interpreterProbe';
import { readDefaultInterpreterPath } from '../workspace/workspaceSettingsFile';

const isWindows = process.platform === 'win32';
export const WORKSPACE_VENV_NAMES = ['.venv', 'venv', 'env'] as const;

interface Candidate {
  readonly path: string;
  readonly source: InterpreterSource;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The interpreter inside an environment folder (venv, virtualenv, conda). */
export function environmentInterpreter(prefix: string, layout: 'venv' | 'conda' = 'venv'): string {
  if (!isWindows) return join(prefix, 'bin', 'python');
  return layout === 'conda' ? join(prefix, 'python.exe') : join(prefix, 'Scripts', 'python.exe');
}

function pyenvInterpreters(env: NodeJS.ProcessEnv): Candidate[] {
  const root = env.PYENV_ROOT || join(homedir(), '.pyenv');
  let versions: string[];
  try {
    versions = readdirSync(join(root, 'versions'));
  } catch {
    return [];
  }
  const numeric = (name: string) => name.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  versions.sort((a, b) => {
    const [x, y] = [numeric(a), numeric(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  });
  return versions
    .map((version) => join(root, 'versions', version, isWindows ? 'python.exe' : join('bin', 'python')))
    .filter(isFile)
    .map((path) => ({ path, source: 'pyenv' as const }));
}

function pathInterpreters(env: NodeJS.ProcessEnv): Candidate[] {
  const pattern = isWindows ? /^python3?(\.\d+)?\.exe$/i : /^python3(\.\d+)?$/;
  const found: Candidate[] = [];
  for (const folder of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!folder) continue;
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names.filter((item) => pattern.test(item)).sort()) {
      const path = join(folder, name);
      if (isFile(path)) found.push({ path, source: 'PATH' });
    }
  }
  return found;
}

/** `py -0p` lists the interpreters the Windows launcher knows, one path per line. */
function pyLauncherInterpreters(env: NodeJS.ProcessEnv): Promise<Candidate[]> {
  if (!isWindows) return Promise.resolve([]);
  const launcher = findOnPath('py', env.PATH ?? env.Path);
  if (!launcher) return Promise.resolve([]);
  return new Promise((resolve) => {
    execFile(launcher, ['-0p'], { timeout: 10_000, windowsHide: true, encoding: 'utf8' }, (error, stdout) => {
      if (error) return resolve([]);
      const paths = String(stdout)
        .split(/\r?\n/)
        .map((line) => /([A-Za-z]:\\.*\.exe)\s*$/i.exec(line)?.[1])
        .filter((path): path is string => Boolean(path));
      resolve(paths.map((path) => ({ path, source: 'py launcher' as const })));
    });
  });
}

function workspaceCandidates(folder: string, env: NodeJS.ProcessEnv): Candidate[] {
  const candidates: Candidate[] = [];
  for (const name of WORKSPACE_VENV_NAMES) {
    const path = environmentInterpreter(join(folder, name));
    if (isFile(path)) candidates.push({ path, source: 'workspace venv' });
  }
  return candidates.concat(environmentCandidates(env));
}

function environmentCandidates(env: NodeJS.ProcessEnv): Candidate[] {
  const candidates: Candidate[] = [];
  if (env.VIRTUAL_ENV) candidates.push({ path: environmentInterpreter(env.VIRTUAL_ENV), source: 'VIRTUAL_ENV' });
  if (env.CONDA_PREFIX) candidates.push({ path: environmentInterpreter(env.CONDA_PREFIX, 'conda'), source: 'CONDA_PREFIX' });
  return candidates;
}

function identity(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Every interpreter for `folder` (null: no folder open), in the order the picker shows them.
 * A venv's `bin/python` is a symlink to its base interpreter, so entries are kept apart by
 * their own path; the same file reached twice through PATH (python3 → python3.11) is listed once.
 */
export async function discoverInterpreters(folder: string | null, env: NodeJS.ProcessEnv = process.env): Promise<InterpreterDiscovery> {
  const settings = folder ? readDefaultInterpreterPath(folder) : { written: null, path: null, problem: null };
  const candidates: Candidate[] = [];
  if (settings.path) {
    const path = /[\\/]/.test(settings.path) ? settings.path : findOnPath(settings.path, env.PATH ?? env.Path) ?? settings.path;
    candidates.push({ path, source: 'settings.json' });
  }
  candidates.push(...(folder ? workspaceCandidates(folder, env) : environmentCandidates(env)));
  candidates.push(...pyenvInterpreters(env), ...pathInterpreters(env), ...(await pyLauncherInterpreters(env)));

  const seenPaths = new Set<string>();
  const seenSystemFiles = new Set<string>();
  const unique = candidates.filter((candidate) => {
    if (seenPaths.has(candidate.path)) return false;
    seenPaths.add(candidate.path);
    // Only PATH entries are folded by the file they resolve to: environments must stay
    // distinct even though their interpreter links to a base one.
    if (candidate.source === 'PATH') {
      const real = identity(candidate.path);
      if (seenSystemFiles.has(real)) return false;
      seenSystemFiles.add(real);
    }
    return true;
  });
  const interpreters: InterpreterInfo[] = await Promise.all(unique.map((candidate) => probeInterpreter(candidate.path, candidate.source)));
  return { interpreters, defaultInterpreterPath: settings.written, settingsProblem: settings.problem };
}
