/**
 * Launch request arguments. Names follow debugpy's launch.json where they overlap
 * (ARCHITECTURE contract 4), so a launch.json written for debugpy works here.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export type ConsoleKind = 'internalConsole' | 'integratedTerminal' | 'externalTerminal';

export interface DapperLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Absolute path of the Python script to debug. */
  readonly program: string;
  /** Command-line arguments passed to the script (sys.argv[1:]). */
  readonly args?: readonly string[];
  /** Working directory of the debuggee; default: the program's folder. */
  readonly cwd?: string;
  /** Extra environment variables; a value of null removes the variable. */
  readonly env?: Readonly<Record<string, string | null>>;
  /**
   * Interpreter path. Default: a `.venv`/`venv` interpreter in the program's folder or
   * cwd, else `python3` (`python` on Windows) on PATH.
   */
  readonly python?: string;
  /** Stop on the first line of the program. Default false. */
  readonly stopOnEntry?: boolean;
  /** Step and stop only in user code (not the standard library or site-packages). Default true. */
  readonly justMyCode?: boolean;
  /** Where program output goes. Only `internalConsole` (output events) is implemented in-app. */
  readonly console?: ConsoleKind;
}

export const DEFAULT_JUST_MY_CODE = true;
