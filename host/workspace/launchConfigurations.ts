/**
 * A workspace folder's `.vscode/launch.json`, read as VS Code reads it: JSON with comments
 * and trailing commas, `configurations` of type `debugpy`, `python` or `dapper`, VS Code's
 * variables substituted at launch time. Every problem names the configuration and the field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { LaunchConfigurationList, LaunchResolveContext, ResolvedLaunchConfiguration } from '../../common/bridge';
import { LaunchVariableError, commandsUsed, substituteVariables } from './launchVariables';

export const SUPPORTED_TYPES: readonly string[] = ['debugpy', 'python', 'dapper'];

export class LaunchConfigurationError extends Error {}

export function launchJsonPath(folder: string): string {
  return path.join(folder, '.vscode', 'launch.json');
}

type FieldCheck = (value: unknown) => string | null;

const string: FieldCheck = (v) => (typeof v === 'string' ? null : 'a string');
const boolean: FieldCheck = (v) => (typeof v === 'boolean' ? null : 'true or false');
const stringList: FieldCheck = (v) => (Array.isArray(v) && v.every((item) => typeof item === 'string') ? null : 'a list of strings');
const stringOrList: FieldCheck = (v) => (typeof v === 'string' || stringList(v) === null ? null : 'a string or a list of strings');
const envObject: FieldCheck = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((item) => item === null || typeof item === 'string')
    ? null
    : 'an object of NAME: "value" (strings, or null to remove a variable)';
const consoleKind: FieldCheck = (v) =>
  typeof v === 'string' && ['internalConsole', 'integratedTerminal', 'externalTerminal'].includes(v)
    ? null
    : 'one of "internalConsole", "integratedTerminal", "externalTerminal"';
const connect: FieldCheck = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { port?: unknown }).port !== undefined
    ? null
    : 'an object { "host": …, "port": … }';
const processId: FieldCheck = (v) => (typeof v === 'number' || typeof v === 'string' ? null : 'a process id (a number)');
const pathMappings: FieldCheck = (v) =>
  Array.isArray(v) && v.every((item) => typeof item === 'object' && item !== null && typeof item.localRoot === 'string' && typeof item.remoteRoot === 'string')
    ? null
    : 'a list of { "localRoot": …, "remoteRoot": … }';

/** The fields Dapper uses (debugpy's names); others (presentation, …) are left alone. */
const FIELDS: Readonly<Record<string, FieldCheck>> = {
  program: string,
  module: string,
  args: stringOrList,
  cwd: string,
  env: envObject,
  envFile: string,
  python: stringOrList,
  pythonArgs: stringList,
  stopOnEntry: boolean,
  justMyCode: boolean,
  console: consoleKind,
  subProcess: boolean,
  connect,
  processId,
  pathMappings,
  token: string,
};

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

interface ParsedFile {
  readonly exists: boolean;
  readonly configurations: readonly Record<string, unknown>[];
  readonly errors: string[];
}

function readLaunchJson(file: string): ParsedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, configurations: [], errors: [] };
    return { exists: true, configurations: [], errors: [`Could not read ${file}: ${(error as Error).message}.`] };
  }
  const parseErrors: ParseError[] = [];
  const root: unknown = parse(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const errors = parseErrors.map(
    (error) => `${file} line ${lineOf(text, error.offset)}: ${printParseErrorCode(error.error)} (the JSON is malformed there).`,
  );
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    if (text.trim()) errors.push(`${file} must hold an object with "configurations": [ … ].`);
    return { exists: true, configurations: [], errors };
  }
  const list = (root as { configurations?: unknown }).configurations;
  if (list === undefined) return { exists: true, configurations: [], errors };
  if (!Array.isArray(list)) {
    errors.push(`${file}: "configurations" must be a list of configurations.`);
    return { exists: true, configurations: [], errors };
  }
  const configurations: Record<string, unknown>[] = [];
  list.forEach((item: unknown, index) => {
    const problem = checkConfiguration(item, index);
    if (problem) errors.push(`${file}: ${problem}`);
    else configurations.push(item as Record<string, unknown>);
  });
  return { exists: true, configurations, errors };
}

/** Why a configuration cannot be used, naming it and the field; null when it can. */
export function checkConfiguration(item: unknown, index: number): string | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return `configuration ${index + 1} is not an object.`;
  const config = item as Record<string, unknown>;
  if (typeof config.name !== 'string' || !config.name.trim()) return `configuration ${index + 1} has no "name".`;
  const label = `configuration "${config.name}"`;
  if (typeof config.type !== 'string') return `${label} has no "type" (use "debugpy").`;
  if (!SUPPORTED_TYPES.includes(config.type)) {
    return `${label} has "type": "${config.type}", which Dapper does not debug (it runs "debugpy", "python" and "dapper" configurations).`;
  }
  if (config.request !== 'launch' && config.request !== 'attach') {
    return `${label}: "request" must be "launch" or "attach", got ${JSON.stringify(config.request)}.`;
  }
  for (const [field, check] of Object.entries(FIELDS)) {
    if (config[field] === undefined) continue;
    const expected = check(config[field]);
    if (expected) return `${label}: "${field}" must be ${expected}, got ${JSON.stringify(config[field])}.`;
  }
  if (config.request === 'launch' && config.program === undefined && config.module === undefined) {
    return `${label} needs "program" (a script) or "module" (run as python -m).`;
  }
  if (config.program !== undefined && config.module !== undefined) {
    return `${label} has both "program" and "module"; give one of them.`;
  }
  return null;
}

export function listLaunchConfigurations(folder: string): LaunchConfigurationList {
  const file = launchJsonPath(folder);
  const parsed = readLaunchJson(file);
  return {
    file,
    exists: parsed.exists,
    configurations: parsed.configurations.map((config) => ({
      name: config.name as string,
      type: config.type as string,
      request: config.request as string,
    })),
    errors: parsed.errors,
  };
}

/**
 * The named configuration with its variables substituted; `cwd` defaults to the folder (as
 * VS Code's Python debugger does) and `program` is made absolute against `cwd`.
 */
export function resolveLaunchConfiguration(
  folder: string,
  name: string,
  context: LaunchResolveContext,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedLaunchConfiguration {
  const file = launchJsonPath(folder);
  const parsed = readLaunchJson(file);
  const config = parsed.configurations.find((item) => item.name === name);
  if (!config) {
    const problem =
      parsed.errors.find((error) => error.includes(`"${name}"`)) ?? (parsed.configurations.length === 0 ? parsed.errors[0] : undefined);
    throw new LaunchConfigurationError(
      problem ?? `There is no configuration named "${name}" in ${file}; pick another in the Launch configuration list.`,
    );
  }
  let resolved: Record<string, unknown>;
  const describe = (field: string) => `"${field}" of configuration "${name}"`;
  try {
    // `${command:pickProcess}`: the app asks the user first, then resolves again with the answer.
    const commandsNeeded = commandsUsed(config, describe).filter((command) => context.commands?.[command] === undefined);
    if (commandsNeeded.length > 0) {
      return { request: config.request as 'launch' | 'attach', name, arguments: {}, commandsNeeded };
    }
    resolved = substituteVariables(config, { workspaceFolder: folder, activeFile: context.activeFile, env, commands: context.commands }, describe) as Record<
      string,
      unknown
    >;
  } catch (error) {
    if (error instanceof LaunchVariableError) throw new LaunchConfigurationError(`${file}: ${error.message}`);
    throw error;
  }
  const { name: _name, type: _type, request, ...rest } = resolved;
  const args: Record<string, unknown> = { ...rest };
  if (request === 'launch') {
    const cwd = path.resolve(folder, typeof args.cwd === 'string' && args.cwd ? args.cwd : '.');
    args.cwd = cwd;
    if (typeof args.program === 'string') args.program = path.resolve(cwd, args.program);
    if (typeof args.envFile === 'string') args.envFile = path.resolve(cwd, args.envFile);
  }
  if (request === 'attach' && Array.isArray(args.pathMappings)) {
    // Relative local folders are the workspace folder's, as in VS Code.
    args.pathMappings = args.pathMappings.map((mapping: unknown) => {
      const local = (mapping as { localRoot?: unknown } | null)?.localRoot;
      return typeof local === 'string' && local ? { ...(mapping as object), localRoot: path.resolve(folder, local) } : mapping;
    });
  }
  return { request: request as 'launch' | 'attach', name, arguments: args };
}
