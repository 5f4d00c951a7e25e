/**
 * The debuggee's environment: the adapter's own, then the variables of `envFile` (dotenv
 * syntax read by the dotenv package: comments, quotes, `export`; `${VAR}` expansion in
 * envFileExpansion.ts), then `env`, which wins (null removes a variable).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { expandEnvFile } from './envFileExpansion';
import { fieldError, LaunchConfigError, optionalString, quoteValue, type LaunchFields } from './launchFields';

export interface LaunchEnvironment {
  /** Complete environment of the debuggee. */
  readonly env: Record<string, string>;
  /** What the launch adds or removes (envFile then env), for runInTerminal. */
  readonly overrides: Record<string, string | null>;
  /** Absolute path of the envFile read, if any. */
  readonly envFile: string | undefined;
  /** Things the user should know that do not stop the launch. */
  readonly notices: readonly string[];
}

function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}

interface EnvFileContent {
  readonly path: string;
  /** Undefined when the file does not exist. */
  readonly variables: Record<string, string> | undefined;
}

function readEnvFile(given: string, cwd: string, base: Readonly<Record<string, string>>): EnvFileContent {
  const path = resolve(cwd, given);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // launch.json files written for debugpy name `${workspaceFolder}/.env` whether or not it
    // exists, and debugpy goes on without it; so does Dapper, saying so.
    if (code === 'ENOENT') return { path, variables: undefined };
    const reason = code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new LaunchConfigError(`Launch argument "envFile" ${quoteValue(given)} cannot be read (${path}: ${reason}).`);
  }
  // The file's own values win over the inherited environment (as in VS Code); `${VAR}`
  // sees the file's earlier variables, then the inherited environment.
  const variables = expandEnvFile(parseDotenv(text), base);
  return { path, variables };
}

function readEnvObject(fields: LaunchFields): Record<string, string | null> {
  const value = fields.env;
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw fieldError('env', 'must be an object of NAME: value', value);
  const result: Record<string, string | null> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    if (item !== null && typeof item !== 'string') {
      throw fieldError(`env.${name}`, 'must be a string (or null to remove the variable)', item);
    }
    result[name] = item as string | null;
  }
  return result;
}

export function resolveLaunchEnvironment(fields: LaunchFields, cwd: string): LaunchEnvironment {
  const env = baseEnvironment();
  const overrides: Record<string, string | null> = {};
  const envFileArg = optionalString(fields, 'envFile');
  let envFile: string | undefined;
  const notices: string[] = [];
  if (envFileArg) {
    const file = readEnvFile(envFileArg, cwd, env);
    if (file.variables) {
      envFile = file.path;
      Object.assign(overrides, file.variables);
    } else {
      notices.push(`The envFile ${file.path} does not exist; the program starts without its variables.`);
    }
  }
  Object.assign(overrides, readEnvObject(fields));
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return { env, overrides, envFile, notices };
}
