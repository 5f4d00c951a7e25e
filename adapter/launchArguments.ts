/**
 * Validates a `launch` request's arguments and fills in defaults, so the rest of the
 * adapter works with one complete, checked configuration. Every problem is reported with
 * the field and the value that was wrong (launchFields.ts) and what to do about it.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_JUST_MY_CODE, DEFAULT_SUB_PROCESS, type ConsoleKind, type DapperLaunchArguments } from '../common/launchConfig';
import { resolveInterpreter } from './interpreter';
import { resolveLaunchEnvironment } from './launchEnvironment';
import {
  fieldError,
  LaunchConfigError,
  optionalBoolean,
  optionalChoice,
  optionalString,
  optionalStringList,
  quoteValue,
  type LaunchFields,
} from './launchFields';
import { resolveProgramArgs } from './launchProgramArgs';

export { LaunchConfigError } from './launchFields';

/** What runs: a script file, or a module as `python -m` runs it. */
export type LaunchTarget = { readonly kind: 'program'; readonly program: string } | { readonly kind: 'module'; readonly module: string };

export interface ResolvedLaunch {
  readonly target: LaunchTarget;
  /** The script's path, or `-m module`: for titles and the `process` event. */
  readonly displayName: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Complete environment of the debuggee (the adapter's, then envFile, then `env`). */
  readonly env: Record<string, string>;
  /** What envFile and `env` add or remove, for runInTerminal (the terminal supplies the rest). */
  readonly envOverrides: Record<string, string | null>;
  readonly python: string;
  /** Interpreter options placed before the launcher (`python` list tail, then `pythonArgs`). */
  readonly interpreterOptions: readonly string[];
  readonly stopOnEntry: boolean;
  readonly justMyCode: boolean;
  readonly restartFrame: boolean;
  /** Debug the program's Python child processes too. */
  readonly subProcess: boolean;
  readonly console: ConsoleKind;
  /** Messages for the Debug Console that do not stop the launch (a missing envFile). */
  readonly notices: readonly string[];
}

const CONSOLE_KINDS: readonly ConsoleKind[] = ['internalConsole', 'integratedTerminal', 'externalTerminal'];
/** A dotted Python module name, as `python -m` accepts it. */
const MODULE_NAME = /^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$/u;

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

function resolveTarget(fields: LaunchFields, base: string): LaunchTarget {
  const programArg = optionalString(fields, 'program');
  const moduleArg = optionalString(fields, 'module');
  if (programArg && moduleArg) {
    throw new LaunchConfigError(
      `The launch configuration gives both "program" (${quoteValue(programArg)}) and "module" (${quoteValue(moduleArg)}); keep one of them.`,
    );
  }
  if (moduleArg !== undefined) {
    if (!MODULE_NAME.test(moduleArg)) {
      throw fieldError('module', 'must be a dotted module name as `python -m` takes it (e.g. "pkg.tool")', moduleArg);
    }
    return { kind: 'module', module: moduleArg };
  }
  if (!programArg) {
    throw new LaunchConfigError('The launch request has neither "program" nor "module": give the Python script to debug, or a module to run as `python -m`.');
  }
  const program = resolve(base, programArg);
  if (!isFile(program)) {
    const what = isDirectory(program) ? 'is a folder, not a Python file' : 'was not found';
    throw new LaunchConfigError(`Launch argument "program" ${quoteValue(programArg)}: ${program} ${what}. Check the path (it is taken relative to "cwd").`);
  }
  return { kind: 'program', program };
}

function resolveInterpreterCommand(fields: LaunchFields): { given: string | undefined; options: readonly string[] } {
  const value = fields.python;
  const pythonArgs = optionalStringList(fields, 'pythonArgs');
  if (Array.isArray(value)) {
    if (value.length === 0 || value.some((item) => typeof item !== 'string') || value[0] === '') {
      throw fieldError('python', 'must be an interpreter path, or a list of strings: the path, then interpreter options', value);
    }
    return { given: value[0] as string, options: [...(value.slice(1) as string[]), ...pythonArgs] };
  }
  return { given: optionalString(fields, 'python'), options: pythonArgs };
}

export function resolveLaunchArguments(raw: DapperLaunchArguments | undefined): ResolvedLaunch {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new LaunchConfigError(`The launch arguments must be an object, got ${quoteValue(raw)}.`);
  }
  const fields = (raw ?? {}) as LaunchFields;
  const cwdArg = optionalString(fields, 'cwd');
  const explicitCwd = cwdArg ? resolve(process.cwd(), cwdArg) : undefined;
  if (explicitCwd && !isDirectory(explicitCwd)) {
    throw new LaunchConfigError(`Launch argument "cwd" ${quoteValue(cwdArg)}: ${explicitCwd} is not an existing folder.`);
  }
  const target = resolveTarget(fields, explicitCwd ?? process.cwd());
  const cwd = explicitCwd ?? (target.kind === 'program' ? dirname(target.program) : process.cwd());

  const environment = resolveLaunchEnvironment(fields, cwd);
  const args = resolveProgramArgs(fields, environment.env);
  const consoleKind = optionalChoice(fields, 'console', CONSOLE_KINDS, 'internalConsole');
  const interpreter = resolveInterpreterCommand(fields);
  const python = resolveInterpreter({
    python: interpreter.given,
    programDir: target.kind === 'program' ? dirname(target.program) : cwd,
    cwd,
    pathVariable: environment.env.PATH ?? environment.env.Path,
  });

  return {
    target,
    displayName: target.kind === 'program' ? target.program : `-m ${target.module}`,
    args,
    cwd,
    env: environment.env,
    envOverrides: environment.overrides,
    python,
    interpreterOptions: interpreter.options,
    stopOnEntry: optionalBoolean(fields, 'stopOnEntry', false),
    justMyCode: optionalBoolean(fields, 'justMyCode', DEFAULT_JUST_MY_CODE),
    restartFrame: optionalBoolean(fields, 'restartFrame', true),
    subProcess: optionalBoolean(fields, 'subProcess', DEFAULT_SUB_PROCESS),
    console: consoleKind,
    notices: environment.notices,
  };
}
