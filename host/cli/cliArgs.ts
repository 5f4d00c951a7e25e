/**
 * Command line of the `dapper` bin:
 *   dapper [script.py|folder]                               open the app (same as `npm start`)
 *   dapper serve [--host H] [--port N] [script.py|folder]   browser host
 *   dapper listen [--python P] [HOST:]PORT [--token T] [--wait-for-client] (script.py | -m module | -c code) [args…]
 *                                                           run a program debuggers can attach to
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const USAGE = `Usage:
  dapper [script.py|folder]                        open Dapper Desktop on a script or a folder (the demo when none is given)
  dapper serve [--host H] [--port N] [--open] [script.py|folder]
                                                   serve the app to a browser (default 127.0.0.1, random port);
                                                   --open opens it in Chromium/Chrome as an app window
  dapper listen [--python P] [HOST:]PORT [--token T] [--wait-for-client] (script.py | -m module | -c code) [args...]
                                                   run a program that Dapper can attach to (python -m dapper_agent --listen);
                                                   HOST defaults to 127.0.0.1; the token comes from --token, DAPPER_TOKEN, or is printed
  dapper --help | --version`;

export type CliCommand =
  | { readonly kind: 'app'; readonly script: string | null; readonly folder: string | null }
  | {
      readonly kind: 'serve';
      readonly host: string;
      readonly port: number;
      readonly script: string | null;
      readonly folder: string | null;
      readonly open: boolean;
    }
  | {
      readonly kind: 'listen';
      /** Interpreter for the program; null = python3 (python on Windows). */
      readonly python: string | null;
      /** Arguments for `python -m dapper_agent`, starting with `--listen`. */
      readonly agentArgs: readonly string[];
    }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

export class CliUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'CliUsageError';
  }
}

function checkTarget(arg: string, cwd: string): { kind: 'script' | 'folder'; path: string } {
  const target = path.resolve(cwd, arg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new CliUsageError(`Cannot open ${target}: no such file or folder. Check the path and try again.`);
  }
  if (stat.isDirectory()) return { kind: 'folder', path: target };
  if (!stat.isFile()) throw new CliUsageError(`Cannot open ${target}: it is neither a file nor a folder.`);
  return { kind: 'script', path: target };
}

function parsePort(value: string | undefined): number {
  const port = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || port > 65535) {
    throw new CliUsageError(`--port needs a number from 0 to 65535 (0 = any free port), got ${value ?? 'nothing'}.`);
  }
  return port;
}

/** `dapper listen …`: everything after the address belongs to the program, so parse only the front. */
function parseListen(rest: readonly string[]): CliCommand {
  let python: string | null = null;
  let i = 0;
  if (rest[i] === '--python' || rest[i]?.startsWith('--python=')) {
    python = rest[i].includes('=') ? rest[i].slice(rest[i].indexOf('=') + 1) : (rest[++i] ?? '');
    if (!python) throw new CliUsageError('--python needs the path of a Python interpreter.');
    i += 1;
  }
  const agentArgs = rest.slice(i);
  if (agentArgs[0] === '--help' || agentArgs[0] === '-h') return { kind: 'help' };
  if (agentArgs.length === 0 || agentArgs[0].startsWith('-') && !agentArgs[0].startsWith('--listen')) {
    throw new CliUsageError('dapper listen needs [HOST:]PORT first, e.g. dapper listen 5678 app.py.');
  }
  return { kind: 'listen', python, agentArgs: agentArgs[0].startsWith('--listen') ? agentArgs : ['--listen', ...agentArgs] };
}

export function parseCliArgs(argv: readonly string[], cwd: string = process.cwd()): CliCommand {
  if (argv[0] === 'listen') return parseListen(argv.slice(1));
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  if (argv.includes('--version')) return { kind: 'version' };
  const serve = argv[0] === 'serve';
  const rest = serve ? argv.slice(1) : argv;
  let host = '127.0.0.1';
  let port = 0;
  let open = false;
  let script: string | null = null;
  let folder: string | null = null;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (serve && (arg === '--host' || arg.startsWith('--host='))) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
      if (!value) throw new CliUsageError('--host needs an address, e.g. --host 127.0.0.1.');
      host = value;
    } else if (serve && (arg === '--port' || arg.startsWith('--port='))) {
      port = parsePort(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i]);
    } else if (serve && arg === '--open') {
      open = true;
    } else if (arg.startsWith('-')) {
      throw new CliUsageError(`Unknown option ${arg}.`);
    } else if (script !== null || folder !== null) {
      throw new CliUsageError(`Give one script or folder at a time (got ${script ?? folder} and ${arg}).`);
    } else {
      const target = checkTarget(arg, cwd);
      if (target.kind === 'folder') folder = target.path;
      else script = target.path;
    }
  }
  return serve ? { kind: 'serve', host, port, script, folder, open } : { kind: 'app', script, folder };
}

/**
 * The script given to the Electron app: its argv also holds the executable, Electron's own
 * switches and (in development) the app folder, so take the last argument that is a file.
 */
export function scriptFromAppArgv(argv: readonly string[], cwd: string = process.cwd()): string | null {
  for (const arg of [...argv.slice(1)].reverse()) {
    if (arg.startsWith('-')) continue;
    const candidate = path.resolve(cwd, arg);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not a file: Electron's app folder or a switch value.
    }
  }
  return null;
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The folder given to the Electron app: after `--folder` (what `dapper folder` passes), or the
 * last bare argument that is a folder other than the app's own (Electron's argv holds it in
 * development; a packaged app opened on a folder by the OS gets just the folder).
 */
export function folderFromAppArgv(argv: readonly string[], cwd: string = process.cwd(), appPath?: string): string | null {
  const index = argv.lastIndexOf('--folder');
  if (index >= 0) {
    const value = argv[index + 1];
    const candidate = value ? path.resolve(cwd, value) : null;
    return candidate && isDirectory(candidate) ? candidate : null;
  }
  const app = appPath ? path.resolve(appPath) : null;
  for (const arg of [...argv.slice(1)].reverse()) {
    if (arg.startsWith('-')) continue;
    const candidate = path.resolve(cwd, arg);
    if (candidate !== app && isDirectory(candidate)) return candidate;
  }
  return null;
}
