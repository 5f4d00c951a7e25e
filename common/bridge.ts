/**
 * The one typed API between the renderer and its host (Electron main process or
 * `dapper serve`). Both hosts implement exactly these channels; the renderer reaches
 * them only through `window.dapper` (see DapperBridge). Like GitHub Desktop's IPC map:
 * one table of channel → signature shared by both sides.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperLaunchArguments } from './launchConfig';

export type HostKind = 'electron' | 'browser';

export interface AppInfo {
  readonly host: HostKind;
  readonly platform: string;
  readonly version: string;
  /** Script given on the command line (`dapper script.py`), if any. */
  readonly initialScript: string | null;
  /** Absolute path of the bundled demo script. */
  readonly demoScript: string;
  /** Browser host only: where dropped files are saved for this session. */
  readonly droppedFilesFolder: string | null;
}

export interface Settings {
  /** Ctrl+S on a file loaded by the stopped program applies the change. */
  readonly applyOnSave: boolean;
  /** A dropped or opened script starts stopped on its first line. */
  readonly stopOnEntry: boolean;
  readonly justMyCode: boolean;
  /** Interpreter path; empty = automatic (venv next to the program, else python3). */
  readonly python: string;
  readonly recentFiles: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = {
  applyOnSave: true,
  stopOnEntry: true,
  justMyCode: true,
  python: '',
  recentFiles: [],
};

export interface FileContent {
  readonly path: string;
  readonly content: string;
  readonly mtimeMs: number;
}

export interface SessionStartOptions {
  readonly launch: DapperLaunchArguments;
}

/** Request/response channels: renderer → host. */
export interface BridgeInvokeMap {
  /** Create a debug adapter session; the renderer then speaks DAP over `dap.send`. */
  'dap.start': (options: SessionStartOptions) => { readonly sessionId: string };
  /** Send one DAP message (request or reverse-request response) to the session's adapter. */
  'dap.send': (sessionId: string, message: DebugProtocol.ProtocolMessage) => void;
  /** Dispose of the session (kills the debuggee if still running). */
  'dap.dispose': (sessionId: string) => void;
  'file.read': (path: string) => FileContent;
  /** Atomic save (write to a temporary file, then rename over the original). */
  'file.save': (path: string, content: string) => { readonly mtimeMs: number };
  /** Native open dialog; null when cancelled. Browser host: not available (returns null). */
  'file.openDialog': () => string | null;
  /** Browser host: save a dropped file's content to the session folder; returns its path. */
  'file.saveDropped': (name: string, content: string) => { readonly path: string };
  'app.info': () => AppInfo;
  'settings.get': () => Settings;
  'settings.update': (patch: Partial<Settings>) => Settings;
  /** Electron: set the window title (file and state). Browser: sets document title host-side no-op. */
  'window.setTitle': (title: string) => void;
  /** Tell the host whether there are unsaved edits (so closing the window asks). */
  'window.setDirty': (dirty: boolean) => void;
}

export type MenuCommand =
  | 'file.open' | 'file.save'
  | 'debug.continue' | 'debug.pause' | 'debug.stepOver' | 'debug.stepInto' | 'debug.stepOut'
  | 'debug.restart' | 'debug.stop' | 'debug.applyChanges' | 'debug.start';

/** Events: host → renderer. */
export interface BridgeEventMap {
  'dap.message': (sessionId: string, message: DebugProtocol.ProtocolMessage) => void;
  /** The adapter session ended (adapter closed or crashed). */
  'dap.closed': (sessionId: string, reason: string) => void;
  /** Open this file (menu, recent files, CLI, second instance). */
  'app.openFile': (path: string) => void;
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
  'dap.start', 'dap.send', 'dap.dispose', 'file.read', 'file.save', 'file.openDialog',
  'file.saveDropped', 'app.info', 'settings.get', 'settings.update', 'window.setTitle',
  'window.setDirty',
];
