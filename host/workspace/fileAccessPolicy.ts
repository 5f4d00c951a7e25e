/**
 * Which files the renderer may read and save. A page that holds the token is the user, but
 * the host still refuses to become a general file server: only files under the folders the
 * user opened, files the user opened (dialog, command line, drop, recent files), the bundled
 * demo, and sources that the debug session itself reported (stack frames, loaded sources)
 * are reachable. Paths are compared after resolving symlinks, so a link inside an opened
 * folder that leads outside it is refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';

export type AccessReason = 'opened' | 'demo' | 'dropped' | 'debug-session' | 'recent' | 'folder';

/** What a user may open by typing its path: Python sources, nothing else. */
export const OPENABLE_BY_PATH = ['.py', '.pyw', '.pyi'] as const;

export class FileAccessDeniedError extends Error {
  constructor(filePath: string, action: string) {
    super(
      `Dapper refused to ${action} ${filePath}: only Python files you opened (by path, File > Open, the command ` +
        'line, a drop or Recent), the demo, and sources of the running program are accessible. ' +
        (action === 'save' ? 'Open the file first.' : `Open a Python script (${OPENABLE_BY_PATH.join(', ')}) instead.`),
    );
    this.name = 'FileAccessDeniedError';
  }
}

export class LinkOutsideFolderError extends Error {
  constructor(filePath: string, target: string, action: string) {
    super(
      `Dapper refused to ${action} ${filePath}: it is a symbolic link to ${target}, outside the opened folder. ` +
        'Open the folder that holds the target if you mean to work on it.',
    );
    this.name = 'LinkOutsideFolderError';
  }
}

/**
 * Absolute, symlinks resolved, case-folded on Windows. For a path that does not exist yet
 * (a file about to be created) the nearest existing ancestor is resolved, so a new file
 * under a link to elsewhere is seen where it would really be written.
 */
export function canonicalPath(filePath: string): string {
  const resolved = path.resolve(filePath);
  const missing: string[] = [];
  let existing = resolved;
  for (;;) {
    try {
      existing = fs.realpathSync.native(existing);
      break;
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) {
        existing = resolved;
        missing.length = 0;
        break;
      }
      missing.unshift(path.basename(existing));
      existing = parent;
    }
  }
  const full = missing.length ? path.join(existing, ...missing) : existing;
  return process.platform === 'win32' ? full.toLowerCase() : full;
}

/** True when `child` is `folder` or inside it (both canonical). */
export function isInside(child: string, folder: string): boolean {
  const relative = path.relative(folder, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class FileAccessPolicy {
  private readonly allowed = new Map<string, AccessReason>();
  /** Opened folders: as the user named them, and canonical. */
  private readonly folders: Array<{ readonly given: string; readonly canonical: string }> = [];

  allow(filePath: string, reason: AccessReason): void {
    const key = canonicalPath(filePath);
    if (!this.allowed.has(key)) this.allowed.set(key, reason);
  }

  /** Everything under `folder` becomes reachable (its links that lead outside do not). */
  allowFolder(folder: string): void {
    const canonical = canonicalPath(folder);
    if (!this.folders.some((item) => item.canonical === canonical)) this.folders.push({ given: path.resolve(folder), canonical });
  }

  /** The opened folder that holds `filePath`, if any (canonical). */
  folderOf(filePath: string): string | null {
    const key = canonicalPath(filePath);
    return this.folders.find((folder) => isInside(key, folder.canonical))?.canonical ?? null;
  }

  /**
   * True when `folder` is inside an opened folder, or directly holds a file the user opened
   * (not one the debug session reported): a program may run from there.
   */
  mayRunIn(folder: string): boolean {
    if (this.folderOf(folder) !== null) return true;
    const key = canonicalPath(folder);
    for (const [file, reason] of this.allowed) {
      if (reason !== 'debug-session' && path.dirname(file) === key) return true;
    }
    return false;
  }

  isAllowed(filePath: string): boolean {
    return this.allowed.has(canonicalPath(filePath)) || this.folderOf(filePath) !== null;
  }

  /**
   * Opening by path (the browser host's path box, Electron's Recent): a Python source
   * that exists becomes opened; any other file stays out of reach unless already allowed.
   */
  admitOpenByPath(filePath: string): void {
    if (this.isAllowed(filePath)) return;
    // Spelled inside an opened folder yet not allowed: a link that leads out, refused as such.
    if (this.isSpelledInsideFolder(filePath)) this.assertAllowed(filePath, 'read');
    // The real file's name counts: a link named .py pointing at a secret is not a script.
    const extension = path.extname(canonicalPath(filePath)).toLowerCase();
    if (!(OPENABLE_BY_PATH as readonly string[]).includes(extension)) throw new FileAccessDeniedError(filePath, 'read');
    let isFile: boolean;
    try {
      isFile = fs.statSync(canonicalPath(filePath)).isFile();
    } catch {
      isFile = false;
    }
    // A missing file is reported by the read itself ("does not exist"), not as a refusal.
    if (isFile) this.allow(filePath, 'opened');
  }

  assertAllowed(filePath: string, action: string): void {
    if (this.isAllowed(filePath)) return;
    // Named inside an opened folder but really elsewhere: a link that leads out.
    if (this.isSpelledInsideFolder(filePath)) throw new LinkOutsideFolderError(filePath, canonicalPath(filePath), action);
    throw new FileAccessDeniedError(filePath, action);
  }

  /** True when the path, as written, names something inside an opened folder. */
  isSpelledInsideFolder(filePath: string): boolean {
    const spelled = path.resolve(filePath);
    return this.folders.some((folder) => isInside(spelled, folder.given) || isInside(spelled, folder.canonical));
  }

  /**
   * Learns source paths from adapter → client traffic: stack frames, loaded sources and
   * breakpoint events are files the debug session itself is running.
   */
  observeAdapterMessage(message: DebugProtocol.ProtocolMessage): void {
    if (message.type === 'response') {
      const response = message as DebugProtocol.Response;
      if (!response.success || !isRecord(response.body)) return;
      if (response.command === 'stackTrace') {
        const frames = (response.body as DebugProtocol.StackTraceResponse['body']).stackFrames;
        if (Array.isArray(frames)) for (const frame of frames) this.allowSource(frame?.source);
      } else if (response.command === 'loadedSources') {
        const sources = (response.body as DebugProtocol.LoadedSourcesResponse['body']).sources;
        if (Array.isArray(sources)) for (const source of sources) this.allowSource(source);
      }
    } else if (message.type === 'event') {
      const event = message as DebugProtocol.Event;
      if (!isRecord(event.body)) return;
      if (event.event === 'loadedSource' || event.event === 'output') {
        this.allowSource((event.body as { source?: DebugProtocol.Source }).source);
      } else if (event.event === 'breakpoint') {
        this.allowSource((event.body as DebugProtocol.BreakpointEvent['body']).breakpoint?.source);
      }
    }
  }

  private allowSource(source: DebugProtocol.Source | undefined): void {
    if (isRecord(source) && typeof source.path === 'string' && path.isAbsolute(source.path)) {
      this.allow(source.path, 'debug-session');
    }
  }
}
