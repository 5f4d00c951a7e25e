/**
 * Validates a `launch` request's arguments and fills in defaults, so the rest of the
 * adapter works with one complete, checked configuration. Every problem is reported with
 * the path or value that was wrong and what to do about it.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DEFAULT_JUST_MY_CODE, type ConsoleKind, type DapperLaunchArguments } from '../common/launchConfig';
import { resolveInterpreter } from './interpreter';

export class LaunchConfigError extends Error {}

export interface ResolvedLaunch {
  readonly program: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Complete environment of the debuggee (the adapter's, with the launch `env` applied). */
  readonly env: Record<string, string>;
  /** The launch `env` alone, for runInTerminal (the terminal supplies the rest). */
  readonly envOverrides: Record<string, string | null>;
  readonly python: string;
  readonly stopOnEntry: boolean;
  readonly justMyCode: boolean;
  readonly console: ConsoleKind;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function optionalString(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new LaunchConfigError(`Launch argument "${name}" must be a string, got ${JSON.stringify(value)}.`);
  return value;
}

function optionalBoolean(args: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new LaunchConfigError(`Launch argument "${name}" must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

export function resolveLaunchArguments(raw: DapperLaunchArguments | undefined): ResolvedLaunch {
  const args = (raw ?? {}) as unknown as Record<string, unknown>;
  const programArg = optionalString(args, 'program');
  if (!programArg) {
    throw new LaunchConfigError('The launch request has no "program": give the path of the Python script to debug.');
  }
  const cwdArg = optionalString(args, 'cwd');
  const baseDir = cwdArg && isAbsolute(cwdArg) ? cwdArg : process.cwd();
  const program = resolve(baseDir, programArg);
  if (!isFile(program)) {
    throw new LaunchConfigError(`Program file not found: ${program}. Check the "program" path in the launch configuration.`);
  }
  const cwd = cwdArg ? resolve(process.cwd(), cwdArg) : dirname(program);
  if (!isDirectory(cwd)) {
    throw new LaunchConfigError(`Working directory not found: ${cwd}. Check "cwd" in the launch configuration.`);
  }

  const programArgs = args.args ?? [];
  if (!Array.isArray(programArgs) || programArgs.some((a) => typeof a !== 'string')) {
    throw new LaunchConfigError('Launch argument "args" must be a list of strings.');
  }

  const envOverrides: Record<string, string | null> = {};
  const envArg = args.env ?? {};
  if (typeof envArg !== 'object' || envArg === null || Array.isArray(envArg)) {
    throw new LaunchConfigError('Launch argument "env" must be an object of NAME: value.');
  }
  for (const [name, value] of Object.entries(envArg as Record<string, unknown>)) {
    if (value !== null && typeof value !== 'string') {
      throw new LaunchConfigError(`Environment variable ${name} in "env" must be a string or null, got ${JSON.stringify(value)}.`);
    }
    envOverrides[name] = value as string | null;
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  for (const [name, value] of Object.entries(envOverrides)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }

  const consoleArg = optionalString(args, 'console') ?? 'internalConsole';
  if (!['internalConsole', 'integratedTerminal', 'externalTerminal'].includes(consoleArg)) {
    throw new LaunchConfigError(
      `Launch argument "console" must be "internalConsole", "integratedTerminal" or "externalTerminal", got "${consoleArg}".`,
    );
  }

  const python = resolveInterpreter({
    python: optionalString(args, 'python'),
    programDir: dirname(program),
    cwd,
    pathVariable: env.PATH ?? env.Path,
  });

  return {
    program,
    args: programArgs as string[],
    cwd,
    env,
    envOverrides,
    python,
    stopOnEntry: optionalBoolean(args, 'stopOnEntry', false),
    justMyCode: optionalBoolean(args, 'justMyCode', DEFAULT_JUST_MY_CODE),
    console: consoleArg as ConsoleKind,
  };
}
