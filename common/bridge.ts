/**
 * The one typed API between the renderer and its host (Electron main process or
 * `dapper serve`). Both hosts implement exactly these channels; the renderer reaches
 * them only through `window.dapper` (see DapperBridge). Like GitHub Desktop's IPC map:
 * one table of channel → signature shared by both sides.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperAttachArguments, DapperLaunchArguments } from './launchConfig';

export type HostKind = 'electron' | 'browser';

export interface AppInfo {
  readonly host: HostKind;
  readonly platform: string;
  readonly version: string;
  /** Script given on the command line (`dapper script.py`), if any. */
  readonly initialScript: string | null;
  /** Folder given on the command line (`dapper folder`), if any. */
  readonly initialFolder: string | null;
  /** Absolute path of the bundled demo script. */
  readonly demoScript: string;
  /** Browser host only: where dropped files are saved for this session. */
  readonly droppedFilesFolder: string | null;
}

export interface Settings {
  /** Ctrl+S on a file loaded by the stopped program applies the change. */
  readonly applyOnSave: boolean;
  /**
   * While a process runs and an open file it loaded has edits, the debugger is told an apply
   * may come (`dapper/prepareApply`): the apply then waits less behind the program's busy
   * threads, at the cost of more frequent thread switches in the program meanwhile.
   */
  readonly prepareApplyWhileEditing: boolean;
  /** A dropped or opened script starts stopped on its first line. */
  readonly stopOnEntry: boolean;
  readonly justMyCode: boolean;
  /** Interpreter path; empty = automatic (venv next to the program, else python3). */
  readonly python: string;
  readonly recentFiles: readonly string[];
  readonly recentFolders: readonly string[];
  /** Per workspace folder: the launch configuration chosen last ("Current File" or a name in launch.json). */
  readonly launchChoices: Readonly<Record<string, string>>;
  /** Per workspace folder: the interpreter chosen with Select Interpreter (wins over `python`). */
  readonly interpreterChoices: Readonly<Record<string, string>>;
}

export const DEFAULT_SETTINGS: Settings = {
  applyOnSave: true,
  prepareApplyWhileEditing: true,
  stopOnEntry: true,
  justMyCode: true,
  python: '',
  recentFiles: [],
  recentFolders: [],
  launchChoices: {},
  interpreterChoices: {},
};

/** Where an interpreter was found (Select Interpreter lists them in this order). */
export type InterpreterSource =
  | 'settings.json' | 'workspace venv' | 'VIRTUAL_ENV' | 'CONDA_PREFIX' | 'pyenv' | 'PATH' | 'py launcher' | 'chosen';

/** One Python interpreter, as Select Interpreter shows it. */
export interface InterpreterInfo {
  /** Absolute path of the executable. */
  readonly path: string;
  /** `3.12.1`, or null when it could not be asked. */
  readonly version: string | null;
  readonly source: InterpreterSource;
  /** Why Dapper cannot use it (too old, does not start); null when usable. */
  readonly problem: string | null;
}

/** What Select Interpreter offers for a folder (or for single files, folder null). */
export interface InterpreterDiscovery {
  readonly interpreters: readonly InterpreterInfo[];
  /** `python.defaultInterpreterPath` of the folder's .vscode/settings.json, as written. */
  readonly defaultInterpreterPath: string | null;
  /** A .vscode/settings.json that could not be read or parsed, said in one sentence. */
  readonly settingsProblem: string | null;
}

/** One entry of a folder listing in the Explorer. */
export interface FolderEntry {
  readonly name: string;
  readonly path: string;
  readonly kind: 'file' | 'folder';
}

/** A change the host saw in a watched folder (a rename is a delete plus a create). */
export interface FileChange {
  readonly kind: 'created' | 'deleted' | 'changed';
  readonly path: string;
}

export interface FolderFiles {
  /** Absolute paths of the folder's files (hidden folders left out), at most `limit` of them. */
  readonly files: readonly string[];
  /** True when the folder holds more files than were listed. */
  readonly truncated: boolean;
}

/** The configurations of a folder's .vscode/launch.json, as the picker lists them. */
export interface LaunchConfigurationList {
  /** Path of .vscode/launch.json (whether or not it exists). */
  readonly file: string;
  readonly exists: boolean;
  readonly configurations: ReadonlyArray<{ readonly name: string; readonly type: string; readonly request: string }>;
  /** Problems that keep the file or a configuration from being used, each naming what is wrong. */
  readonly errors: readonly string[];
}

/** `${command:…}` variables a configuration may use; the app answers each (pickProcess: its process picker). */
export type LaunchCommand = 'pickProcess';

/** A launch.json configuration with its variables substituted: the arguments of DAP `launch` or `attach`. */
export interface ResolvedLaunchConfiguration {
  readonly request: 'launch' | 'attach';
  readonly name: string;
  /** Empty while `commandsNeeded` is set. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /**
   * The configuration uses these `${command:…}` variables and the context did not answer them:
   * nothing was substituted; resolve again with `commands` (the user's choice).
   */
  readonly commandsNeeded?: readonly LaunchCommand[];
}

/** How "Debug Test" runs tests with an interpreter. */
export interface TestRunnerInfo {
  readonly runner: 'pytest' | 'unittest';
  /** The interpreter asked (the one the launch will use). */
  readonly python: string;
}

/** What `${file}` and friends stand for when a configuration is resolved. */
export interface LaunchResolveContext {
  /** The file in the active editor tab, if any. */
  readonly activeFile: string | null;
  /** What each `${command:…}` variable stands for (pickProcess: the chosen process id). */
  readonly commands?: Readonly<Partial<Record<LaunchCommand, string>>>;
}

export interface FileContent {
  readonly path: string;
  readonly content: string;
  readonly mtimeMs: number;
}

/** A session launches a program, or attaches to one that runs already. */
export type SessionStartOptions =
  | { readonly launch: DapperLaunchArguments }
  | { readonly attach: DapperAttachArguments };

/** A local process running Python, for "Attach to Process…". */
export interface PythonProcess {
  readonly pid: number;
  readonly commandLine: string;
  /** The interpreter, e.g. /usr/bin/python3.11. */
  readonly executable: string;
}

/** Request/response channels: renderer → host. */
export interface BridgeInvokeMap {
  /** Create a debug adapter session; the renderer then speaks DAP over `dap.send`. */
  'dap.start': (options: SessionStartOptions) => { readonly sessionId: string };
  /** Send one DAP message (request or reverse-request response) to the session's adapter. */
  'dap.send': (sessionId: string, message: DebugProtocol.ProtocolMessage) => void;
  /** Dispose of the session (kills the debuggee if still running). */
  'dap.dispose': (sessionId: string) => void;
  /**
   * The renderer has handled `chars` more characters of the session's `output` events; the
   * host holds program output while too many wait (host/bridge/outputWindow.ts).
   */
  'dap.consumed': (sessionId: string, chars: number) => void;
  'file.read': (path: string) => FileContent;
  /** Atomic save (write to a temporary file, then rename over the original). */
  'file.save': (path: string, content: string) => { readonly mtimeMs: number };
  /** Native open dialog; null when cancelled. Browser host: not available (returns null). */
  'file.openDialog': () => string | null;
  /** Browser host: save a dropped file's content to the session folder; returns its path. */
  'file.saveDropped': (name: string, content: string) => { readonly path: string };
  /** Opens a folder by path (command line, Recent, the browser's path box); returns its canonical path. */
  'folder.open': (path: string) => { readonly path: string };
  /** Native folder dialog; null when cancelled or when the host has none (browser). */
  'folder.openDialog': () => string | null;
  /** The entries of a folder under an opened folder (hidden folders left out); watches it from now on. */
  'folder.list': (path: string) => readonly FolderEntry[];
  /** Every file under an opened folder, for Quick Open. */
  'folder.files': (folder: string) => FolderFiles;
  /** Interpreters for a folder (null: no folder): its venvs, settings.json, pyenv, PATH…, each asked for its version. */
  'interpreters.discover': (folder: string | null) => InterpreterDiscovery;
  /** Asks one interpreter (a path the user typed or chose) for its version; `problem` says why it cannot be used. */
  'interpreters.check': (path: string) => InterpreterInfo;
  /** The configurations in `folder`/.vscode/launch.json. */
  'launch.configurations': (folder: string) => LaunchConfigurationList;
  /** One configuration of `folder`'s launch.json with its variables substituted, ready to launch. */
  'launch.resolve': (folder: string, name: string, context: LaunchResolveContext) => ResolvedLaunchConfiguration;
  /** The local processes running Python that the user could attach to (not Dapper's own). */
  'processes.python': () => readonly PythonProcess[];
  /** pytest when `python` (empty: the default interpreter for `cwd`) can import it, else unittest. */
  'tests.runner': (python: string, cwd: string) => TestRunnerInfo;
  'app.info': () => AppInfo;
  'settings.get': () => Settings;
  'settings.update': (patch: Partial<Settings>) => Settings;
  /** Electron: set the window title (file and state). Browser: sets document title host-side no-op. */
  'window.setTitle': (title: string) => void;
  /** Tell the host whether there are unsaved edits (so closing the window asks). */
  'window.setDirty': (dirty: boolean) => void;
}

export type MenuCommand =
  | 'file.open' | 'file.openFolder' | 'file.quickOpen' | 'file.save'
  | 'debug.continue' | 'debug.pause' | 'debug.stepOver' | 'debug.stepInto' | 'debug.stepOut'
  | 'debug.restart' | 'debug.stop' | 'debug.applyChanges' | 'debug.start'
  | 'debug.attachProcess' | 'debug.attachHost';

/** Events: host → renderer. */
export interface BridgeEventMap {
  'dap.message': (sessionId: string, message: DebugProtocol.ProtocolMessage) => void;
  /** The adapter session ended (adapter closed or crashed). */
  'dap.closed': (sessionId: string, reason: string) => void;
  /** Open this file (menu, recent files, CLI, second instance). */
  'app.openFile': (path: string) => void;
  /** Open this folder (menu, recent folders, second instance). */
  'app.openFolder': (path: string) => void;
  /** Files or folders changed on disk in a watched folder or under an open file. */
  'folder.changed': (changes: readonly FileChange[]) => void;
  'app.menuCommand': (command: MenuCommand) => void;
}

export type InvokeChannel = keyof BridgeInvokeMap;
export type EventChannel = keyof BridgeEventMap;
export type InvokeArgs<K extends InvokeChannel> = Parameters<BridgeInvokeMap[K]>;
export type InvokeResult<K extends InvokeChannel> = ReturnType<BridgeInvokeMap[K]>;

/** What `window.dapper` offers the renderer. */
export interface DapperBridge {
  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>>;
  on<K extends EventChannel>(event: K, listener: BridgeEventMap[K]): () => void;
  /** Electron only: the real path of a dropped file (webUtils.getPathForFile). */
  getPathForFile?(file: File): string;
}

/** Every invoke channel, for hosts that validate incoming channel names. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'dap.start', 'dap.send', 'dap.dispose', 'dap.consumed', 'file.read', 'file.save', 'file.openDialog',
  'file.saveDropped', 'folder.open', 'folder.openDialog', 'folder.list', 'folder.files', 'launch.configurations',
  'launch.resolve', 'processes.python', 'tests.runner', 'interpreters.discover', 'interpreters.check', 'app.info', 'settings.get', 'settings.update', 'window.setTitle',
  'window.setDirty',
];
