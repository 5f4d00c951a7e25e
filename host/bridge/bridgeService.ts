/**
 * The one implementation of the bridge channels (common/bridge.ts), shared by both hosts:
 * `dapper serve` adapts it to a WebSocket, the Electron main process to ipcMain. One
 * instance serves one renderer window; settings and the file policy are shared.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type {
  AppInfo,
  BridgeEventMap,
  EventChannel,
  FileContent,
  HostKind,
  InvokeArgs,
  InvokeChannel,
  InvokeResult,
  Settings,
} from '../../common/bridge';
import { atomicWriteFile } from '../workspace/atomicFile';
import { listPythonProcesses } from '../python/pythonProcesses';
import { BridgeInputError } from './bridgeErrors';
import { dapTracerFromEnv } from './dapTrace';
import { DroppedFilesFolder } from '../workspace/droppedFiles';
import { FileAccessPolicy } from '../workspace/fileAccessPolicy';
import { FolderService } from '../workspace/folderService';
import { probeInterpreter } from '../python/interpreterProbe';
import { validateInvoke } from './invokeValidation';
import { OutputWindow, outputCharsOf } from './outputWindow';
import type { SettingsStore } from '../settings/settingsStore';

/** What the adapter offers an in-process host (adapter/index.ts createInProcessSession). */
export interface InProcessDebugSession {
  handleMessage(message: DebugProtocol.ProtocolMessage): void;
  dispose(): void;
}

export type DebugSessionFactory = (options: {
  onMessage: (message: DebugProtocol.ProtocolMessage) => void;
  /** Holds program output while the renderer has not handled enough of it (outputWindow.ts). */
  backpressure: OutputWindow;
}) => InProcessDebugSession;

/** Shared by every window of one host process. */
export interface HostContext {
  readonly host: HostKind;
  readonly version: string;
  readonly demoScript: string;
  readonly initialScript: string | null;
  readonly initialFolder: string | null;
  readonly settings: SettingsStore;
  readonly policy: FileAccessPolicy;
  readonly createDebugSession: DebugSessionFactory;
  /** Where dropped files without a path on disk are kept (always in the browser host). */
  readonly droppedFiles: DroppedFilesFolder | null;
}

/** Per-window hooks that only the host's UI layer can provide. */
export interface WindowHooks {
  openDialog?(): Promise<string | null>;
  openFolderDialog?(): Promise<string | null>;
  setTitle?(title: string): void;
  setDirty?(dirty: boolean): void;
}

export type BridgeEmit = <K extends EventChannel>(event: K, ...args: Parameters<BridgeEventMap[K]>) => void;

/** Files larger than this are refused rather than loaded into the editor. */
export const MAX_EDITABLE_FILE_BYTES = 20 * 1024 * 1024;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns a file-system error into a sentence that says what happened and what to do. */
function fileError(action: string, filePath: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'it does not exist (was it moved or deleted?)',
    EACCES: 'permission denied; check the file and folder permissions',
    EPERM: 'the operating system refused; check the file and folder permissions',
    EISDIR: 'it is a folder, not a file',
    ENOSPC: 'the disk is full; free some space and save again (your edits are still in the editor)',
    EROFS: 'the file system is read-only',
  };
  const reason = (code && reasons[code]) || describe(error);
  return new Error(`Could not ${action} ${filePath}: ${reason}.`);
}

export class BridgeService {
  private readonly sessions = new Map<string, InProcessDebugSession>();
  private readonly outputWindows = new Map<string, OutputWindow>();
  private readonly trace = dapTracerFromEnv();
  private readonly folders: FolderService;
  private title = '';
  private dirty = false;

  constructor(
    private readonly context: HostContext,
    private readonly emit: BridgeEmit,
    private readonly hooks: WindowHooks = {},
  ) {
    context.policy.allow(context.demoScript, 'demo');
    if (context.initialScript) context.policy.allow(context.initialScript, 'opened');
    for (const recent of context.settings.get().recentFiles) context.policy.allow(recent, 'recent');
    this.folders = new FolderService(context.policy, context.settings, (changes) => this.emit('folder.changed', changes));
    if (context.initialFolder) this.folders.open(context.initialFolder);
  }

  get windowTitle(): string {
    return this.title;
  }

  get hasUnsavedEdits(): boolean {
    return this.dirty;
  }

  /** Validates and runs one invoke from the renderer. Rejects with a user-facing message. */
  async invoke(channel: unknown, args: unknown): Promise<unknown> {
    const valid = validateInvoke(channel, args);
    return this.dispatch(valid.channel, valid.args);
  }

  /** Marks a path as opened by the user (dialog, command line, menu) and records it in Recent. */
  userOpened(filePath: string): void {
    this.context.policy.allow(filePath, 'opened');
    this.context.settings.addRecentFile(filePath);
  }

  /** Opens a folder the user chose (dialog, command line, menu): its files become reachable. */
  userOpenedFolder(folder: string): string {
    return this.folders.open(folder).path;
  }

  dispose(): void {
    for (const id of [...this.sessions.keys()]) this.disposeSession(id, 'The window was closed.');
    this.folders.dispose();
  }

  private async dispatch<K extends InvokeChannel>(channel: K, args: InvokeArgs<K>): Promise<InvokeResult<K>> {
    const a = args as unknown[];
    const handlers: { [C in InvokeChannel]: () => Promise<InvokeResult<C>> | InvokeResult<C> } = {
      'dap.start': () => this.startSession(a[0] as { launch?: Record<string, unknown>; attach?: Record<string, unknown> }),
      'processes.python': () => listPythonProcesses(),
      'dap.send': () => this.send(a[0] as string, a[1] as DebugProtocol.ProtocolMessage),
      'dap.dispose': () => this.disposeSession(a[0] as string, 'The session was stopped.'),
      'dap.consumed': () => this.outputWindows.get(a[0] as string)?.consumed(a[1] as number),
      'file.read': () => this.readFile(a[0] as string),
      'file.save': () => this.saveFile(a[0] as string, a[1] as string),
      'file.openDialog': () => this.openDialog(),
      'file.saveDropped': () => this.saveDropped(a[0] as string, a[1] as string),
      'folder.open': () => this.folders.open(a[0] as string),
      'folder.openDialog': () => this.openFolderDialog(),
      'folder.list': () => this.folders.list(a[0] as string),
      'folder.files': () => this.folders.files(a[0] as string),
      'launch.configurations': () => this.folders.configurations(a[0] as string),
      'launch.resolve': () => this.folders.resolve(a[0] as string, a[1] as string, a[2] as { activeFile: string | null }),
      'tests.runner': () => this.folders.testRunner(a[0] as string, a[1] as string),
      'interpreters.discover': () => this.folders.interpreters(a[0] as string | null),
      'interpreters.check': () => probeInterpreter(a[0] as string, 'chosen'),
      'app.info': () => this.appInfo(),
      'settings.get': () => this.context.settings.get(),
      'settings.update': () => this.updateSettings(a[0]),
      'window.setTitle': () => {
        this.title = a[0] as string;
        this.hooks.setTitle?.(this.title);
      },
      'window.setDirty': () => {
        this.dirty = a[0] as boolean;
        this.hooks.setDirty?.(this.dirty);
      },
    };
    return (await handlers[channel]()) as InvokeResult<K>;
  }

  private assertMayRun(program: string): void {
    if (!this.context.policy.isAllowed(program)) {
      throw new BridgeInputError(
        `Dapper will only debug a script you opened; ${program} was not opened in this window. Open it first.`,
      );
    }
  }

  /**
   * A launch runs a script the user opened, or a module (`python -m`) from a working folder
   * in a folder the user opened.
   */
  private assertMayLaunch(launch: Record<string, unknown>): void {
    if (typeof launch.program === 'string') return this.assertMayRun(launch.program);
    if (typeof launch.module === 'string') {
      const cwd = launch.cwd;
      if (typeof cwd !== 'string' || !path.isAbsolute(cwd) || !this.context.policy.mayRunIn(cwd)) {
        throw new BridgeInputError(
          `Dapper runs a module (python -m ${launch.module}) only from a folder you opened (or the folder of a file you opened); set "cwd" to such a folder.`,
        );
      }
      return;
    }
    throw new BridgeInputError('launch needs a "program" path or a "module" name.');
  }

  /** A launch runs what the user opened; an attach reaches a program the user picked or named. */
  private startSession(options: { launch?: Record<string, unknown>; attach?: Record<string, unknown> }): { sessionId: string } {
    if (options.launch) this.assertMayLaunch(options.launch);
    const sessionId = randomUUID();
    const outputWindow = new OutputWindow();
    const session = this.context.createDebugSession({
      onMessage: (message) => {
        this.trace?.('from adapter', sessionId, message);
        this.context.policy.observeAdapterMessage(message);
        outputWindow.sent(outputCharsOf(message));
        this.emit('dap.message', sessionId, message);
      },
      backpressure: outputWindow,
    });
    this.sessions.set(sessionId, session);
    this.outputWindows.set(sessionId, outputWindow);
    return { sessionId };
  }

  private send(sessionId: string, message: DebugProtocol.ProtocolMessage): void {
    const session = this.sessions.get(sessionId);
    if (!session) {
      throw new BridgeInputError(`Debug session ${sessionId} is not running (it ended or was never started). Start debugging again.`);
    }
    const request = message as DebugProtocol.Request;
    if (request.type === 'request' && request.command === 'launch') {
      this.assertMayLaunch((request.arguments ?? {}) as Record<string, unknown>);
    }
    if (request.type === 'request' && request.command === 'restart') {
      // DAP lets restart carry a new launch configuration; it must name an opened script too.
      const program = (request.arguments as { arguments?: { program?: unknown } } | undefined)?.arguments?.program;
      if (program !== undefined) {
        if (typeof program !== 'string') throw new BridgeInputError('restart: "program" must be a path.');
        this.assertMayRun(program);
      }
    }
    this.trace?.('to adapter', sessionId, message);
    session.handleMessage(message);
  }

  private disposeSession(sessionId: string, reason: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    this.outputWindows.get(sessionId)?.release();
    this.outputWindows.delete(sessionId);
    try {
      session.dispose();
    } finally {
      this.emit('dap.closed', sessionId, reason);
    }
  }

  private readFile(filePath: string): FileContent {
    if (!path.isAbsolute(filePath)) {
      throw new BridgeInputError(`"${filePath}" is not an absolute path; give the full path of the script, e.g. /home/me/project/main.py.`);
    }
    this.context.policy.admitOpenByPath(filePath);
    try {
      this.context.policy.assertAllowed(filePath, 'read');
    } catch (error) {
      if (!fs.existsSync(filePath)) throw fileError('open', filePath, Object.assign(new Error(), { code: 'ENOENT' }));
      throw error;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(filePath);
    } catch (error) {
      throw fileError('open', filePath, error);
    }
    if (stat.isDirectory()) throw fileError('open', filePath, Object.assign(new Error(), { code: 'EISDIR' }));
    if (stat.size > MAX_EDITABLE_FILE_BYTES) {
      throw new Error(`Could not open ${filePath}: it is ${Math.round(stat.size / 1048576)} MB, larger than the editor's 20 MB limit.`);
    }
    try {
      const content = fs.readFileSync(filePath, 'utf8');
      this.folders.watchFileFolder(filePath);
      return { path: filePath, content, mtimeMs: stat.mtimeMs };
    } catch (error) {
      throw fileError('open', filePath, error);
    }
  }

  private saveFile(filePath: string, content: string): { mtimeMs: number } {
    this.context.policy.assertAllowed(filePath, 'save');
    try {
      // A new file in an opened folder (e.g. .vscode/launch.json) may need its folder made.
      if (this.context.policy.folderOf(filePath) !== null) fs.mkdirSync(path.dirname(filePath), { recursive: true });
      return atomicWriteFile(filePath, content);
    } catch (error) {
      throw fileError('save', filePath, error);
    }
  }

  private async openDialog(): Promise<string | null> {
    const chosen = this.hooks.openDialog ? await this.hooks.openDialog() : null;
    if (chosen) this.userOpened(chosen);
    return chosen;
  }

  private async openFolderDialog(): Promise<string | null> {
    const chosen = this.hooks.openFolderDialog ? await this.hooks.openFolderDialog() : null;
    return chosen ? this.userOpenedFolder(chosen) : null;
  }

  private saveDropped(name: string, content: string): { path: string } {
    if (!this.context.droppedFiles) throw new BridgeInputError('This host cannot keep dropped files; open the file from disk instead.');
    const saved = this.context.droppedFiles.save(name, content);
    this.context.policy.allow(saved, 'dropped');
    this.context.settings.addRecentFile(saved);
    return { path: saved };
  }

  private appInfo(): AppInfo {
    return {
      host: this.context.host,
      platform: process.platform,
      version: this.context.version,
      initialScript: this.context.initialScript,
      initialFolder: this.context.initialFolder,
      demoScript: this.context.demoScript,
      droppedFilesFolder: this.context.droppedFiles?.folder ?? null,
    };
  }

  private updateSettings(patch: unknown): Settings {
    // Recent entries are opened later without a dialog, so they must not become a way
    // around the file policy: only files already reachable may be listed.
    const recent = (patch as { recentFiles?: unknown }).recentFiles;
    if (Array.isArray(recent)) {
      const unknownFile = recent.find((item) => typeof item === 'string' && !this.context.policy.isAllowed(item));
      if (unknownFile !== undefined) {
        throw new BridgeInputError(`Recent files may only list files you opened; ${String(unknownFile)} was not opened.`);
      }
    }
    const folders = (patch as { recentFolders?: unknown }).recentFolders;
    if (Array.isArray(folders)) {
      const unknownFolder = folders.find((item) => typeof item === 'string' && this.context.policy.folderOf(item) === null);
      if (unknownFolder !== undefined) {
        throw new BridgeInputError(`Recent folders may only list folders you opened; ${String(unknownFolder)} was not opened.`);
      }
    }
    return this.context.settings.update(patch);
  }
}
