/**
 * Launch request arguments. Names follow debugpy's launch.json where they overlap
 * so that a launch.json written for debugpy works here.
 * docs/protocol.md describes each field and the errors a bad value gets.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export type ConsoleKind = 'internalConsole' | 'integratedTerminal' | 'externalTerminal';

export interface DapperLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /**
   * Path of the Python script to debug; a relative path is taken from `cwd`. Exactly one of
   * `program` and `module` is given.
   */
  readonly program?: string;
  /** Module to run as `python -m module` (e.g. `pkg.tool`, `pytest`, `flask`). */
  readonly module?: string;
  /**
   * Arguments for the program (sys.argv[1:]): a list, or one string split as a POSIX shell
   * would split it (quotes and backslashes; no variables or globbing).
   */
  readonly args?: readonly string[] | string;
  /** Working directory of the debuggee; default: the program's folder (for `module`: the adapter's cwd). */
  readonly cwd?: string;
  /** Extra environment variables; a value of null removes the variable. Wins over `envFile`. */
  readonly env?: Readonly<Record<string, string | null>>;
  /** A dotenv file (relative to `cwd`) whose variables are added to the environment. */
  readonly envFile?: string;
  /**
   * Interpreter: a path (or a command on PATH), or a list: the path, then options for the
   * interpreter (`["/usr/bin/python3", "-X", "dev"]`). Default: a `.venv`/`venv`
   * interpreter in the program's folder or cwd, else `python3` (`python` on Windows) on PATH.
   */
  readonly python?: string | readonly string[];
  /** Options for the interpreter, placed before the program (`["-X", "utf8"]`). */
  readonly pythonArgs?: readonly string[];
  /** Stop on the first line of the program. Default false. */
  readonly stopOnEntry?: boolean;
  /** Step and stop only in user code (not the standard library or site-packages). Default true. */
  readonly justMyCode?: boolean;
  /** Compile the user's functions with restart points so Restart Frame works (default true). */
  readonly restartFrame?: boolean;
  /**
   * Debug the Python processes the program starts (subprocess, multiprocessing, os.fork…),
   * each in its own session announced with `startDebugging`. Default true.
   */
  readonly subProcess?: boolean;
  /** Where program output goes. Only `internalConsole` (output events) is implemented in-app. */
  readonly console?: ConsoleKind;
}

export const DEFAULT_JUST_MY_CODE = true;

/** One folder on the client mapped to one on the machine the program runs on. */
export interface PathMapping {
  /** Folder on this machine (the client's copy of the sources). */
  readonly localRoot: string;
  /** The same folder as the program sees it. */
  readonly remoteRoot: string;
}

/**
 * Attach request arguments (debugpy's names, so debugpy's launch.json attach configurations work): either `connect` to a
 * program started with `python -m dapper_agent --listen …`, or `processId` of a plain Python
 * process on this machine.
 */
export interface DapperAttachArguments extends DebugProtocol.AttachRequestArguments {
  /** Where the program's agent listens (`--listen`). Host defaults to 127.0.0.1. */
  readonly connect?: { readonly host?: string; readonly port: number };
  /** A local Python process to attach to (gdb on 3.9–3.13, sys.remote_exec on 3.14+). */
  readonly processId?: number | string;
  /** The token the program was started with (`--token` or DAPPER_TOKEN). */
  readonly token?: string;
  /** Client folders ↔ program folders; the client's files are the truth for Apply Changes. */
  readonly pathMappings?: readonly PathMapping[];
  readonly justMyCode?: boolean;
  /** Accepted for launch.json compatibility; child processes of an attached program are not followed. */
  readonly subProcess?: boolean;
}
export const DEFAULT_SUB_PROCESS = true;
