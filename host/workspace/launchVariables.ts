/**
 * VS Code's predefined variables in launch configurations (`${workspaceFolder}`, `${file}`,
 * `${env:NAME}`, …), substituted the way VS Code does: in every string of the configuration,
 * recursively. A variable Dapper does not know, or one that needs an open file when none is
 * open, is an error that names the variable and where it was found.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { LaunchCommand } from '../../common/bridge';

export class LaunchVariableError extends Error {}

export interface VariableContext {
  readonly workspaceFolder: string;
  /** The file in the active editor, if any. */
  readonly activeFile: string | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The app's answers to `${command:…}` variables (pickProcess: a process id). */
  readonly commands?: Readonly<Partial<Record<LaunchCommand, string>>>;
}

/** `${command:NAME}` → the command the app answers; VS Code's Python extension spells it either way. */
const COMMANDS: Readonly<Record<string, LaunchCommand>> = {
  pickProcess: 'pickProcess',
  'python.pickProcess': 'pickProcess',
  'debugpy.pickProcess': 'pickProcess',
};

function commandOf(argument: string, where: string): LaunchCommand {
  const command = COMMANDS[argument];
  if (!command) {
    throw new LaunchVariableError(
      `\${command:${argument}} in ${where}: Dapper does not know this command; it answers \${command:pickProcess} (the process picker).`,
    );
  }
  return command;
}

/** The `${command:…}` variables used anywhere in `value` (an unknown one is an error that names it). */
export function commandsUsed(value: unknown, describe: (field: string) => string, field = ''): LaunchCommand[] {
  const found = new Set<LaunchCommand>();
  const visit = (item: unknown, at: string): void => {
    if (typeof item === 'string') {
      for (const match of item.matchAll(/\$\{command:([^}]*)\}/g)) found.add(commandOf(match[1], describe(at)));
    } else if (Array.isArray(item)) {
      item.forEach((entry, index) => visit(entry, `${at}[${index}]`));
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, entry] of Object.entries(item)) visit(entry, at ? `${at}.${key}` : key);
    }
  };
  visit(value, field);
  return [...found];
}

const FILE_VARIABLES = new Set([
  'file', 'fileDirname', 'fileBasename', 'fileBasenameNoExtension', 'fileExtname', 'relativeFile', 'relativeFileDirname',
  'fileWorkspaceFolder',
]);

function fileVariable(name: string, file: string, folder: string): string {
  switch (name) {
    case 'file':
      return file;
    case 'fileDirname':
      return path.dirname(file);
    case 'fileBasename':
      return path.basename(file);
    case 'fileBasenameNoExtension':
      return path.basename(file, path.extname(file));
    case 'fileExtname':
      return path.extname(file);
    case 'relativeFile':
      return path.relative(folder, file);
    case 'relativeFileDirname':
      return path.relative(folder, path.dirname(file));
    default:
      return folder; // fileWorkspaceFolder: Dapper has one folder per window.
  }
}

/** The value of one `${…}` expression; `where` names the field for error messages. */
function valueOf(expression: string, context: VariableContext, where: string): string {
  const [kind, ...rest] = expression.split(':');
  const argument = rest.join(':');
  if (rest.length > 0) {
    if (kind === 'env') return context.env[argument] ?? '';
    if (kind === 'command') {
      const answer = context.commands?.[commandOf(argument, where)];
      if (answer === undefined) throw new LaunchVariableError(`\${${expression}} in ${where} was not answered (the picker was not shown).`);
      return answer;
    }
    throw new LaunchVariableError(
      `\${${expression}} in ${where}: Dapper does not support "\${${kind}:…}" variables; only \${env:NAME} takes an argument.`,
    );
  }
  switch (expression) {
    case 'workspaceFolder':
    case 'workspaceRoot':
    case 'cwd':
      return context.workspaceFolder;
    case 'workspaceFolderBasename':
      return path.basename(context.workspaceFolder);
    case 'pathSeparator':
    case '/':
      return path.sep;
    case 'userHome':
      return os.homedir();
    default:
      break;
  }
  if (FILE_VARIABLES.has(expression)) {
    if (!context.activeFile) {
      throw new LaunchVariableError(`\${${expression}} in ${where} needs a file open in the editor; open the file to run first.`);
    }
    return fileVariable(expression, context.activeFile, context.workspaceFolder);
  }
  throw new LaunchVariableError(`Unknown variable \${${expression}} in ${where}. Check its spelling (variables are case-sensitive).`);
}

export function substituteString(text: string, context: VariableContext, where: string): string {
  return text.replace(/\$\{([^}]*)\}/g, (_match, expression: string) => valueOf(expression, context, where));
}

/**
 * Substitutes in every string of a JSON value. `field` is the path to it (`args[1]`,
 * `env.HOME`) and `describe` turns that into the error's "where".
 */
export function substituteVariables(
  value: unknown,
  context: VariableContext,
  describe: (field: string) => string,
  field = '',
): unknown {
  if (typeof value === 'string') return substituteString(value, context, describe(field));
  if (Array.isArray(value)) return value.map((item, index) => substituteVariables(item, context, describe, `${field}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = substituteVariables(item, context, describe, field ? `${field}.${key}` : key);
    }
    return result;
  }
  return value;
}
