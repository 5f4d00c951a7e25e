/**
 * Which files the renderer may read and save. A page that holds the token is the user, but
 * the host still refuses to become a general file server: only files the user opened
 * (dialog, command line, drop, recent files), the bundled demo, and sources that the debug
 * session itself reported (stack frames, loaded sources) are reachable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';

export type AccessReason = 'opened' | 'demo' | 'dropped' | 'debug-session' | 'recent';

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

/** Canonical form used for comparisons: absolute, symlinks resolved, case-folded on Windows. */
export function canonicalPath(filePath: string): string {
  let resolved = path.resolve(filePath);
  try {
    resolved = fs.realpathSync.native(resolved);
  } catch {
    // A file that does not exist yet keeps its resolved spelling.
  }
  return process.platform === 'win32' ? resolved.toLowerCase() : resolved;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export class FileAccessPolicy {
  private readonly allowed = new Map<string, AccessReason>();

  allow(filePath: string, reason: AccessReason): void {
    const key = canonicalPath(filePath);
    if (!this.allowed.has(key)) this.allowed.set(key, reason);
  }

  isAllowed(filePath: string): boolean {
    return this.allowed.has(canonicalPath(filePath));
  }

  /**
   * Opening by path (the browser host's path box, Electron's Recent): a Python source
   * that exists becomes opened; any other file stays out of reach unless already allowed.
   */
  admitOpenByPath(filePath: string): void {
    if (this.isAllowed(filePath)) return;
    // The real file's name counts: a link named .py pointing at a secret is not a script.
    const extension = path.extname(canonicalPath(filePath)).toLowerCase();
    if (!(OPENABLE_BY_PATH as readonly string[]).includes(extension)) throw new FileAccessDeniedError(filePath, 'read');
    let isFile = false;
    try {
      isFile = fs.statSync(canonicalPath(filePath)).isFile();
    } catch {
      isFile = false;
    }
    // A missing file is reported by the read itself ("does not exist"), not as a refusal.
    if (isFile) this.allow(filePath, 'opened');
  }

  assertAllowed(filePath: string, action: string): void {
    if (!this.isAllowed(filePath)) throw new FileAccessDeniedError(filePath, action);
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
