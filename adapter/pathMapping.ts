/**
 * Attach with `pathMappings`: the client's folders ↔ the program's folders. Every `path` in a
 * message to the agent is mapped to the program's side, every `path` coming back to the
 * client's. Apply Changes sends the client's text along (`text`), because the client's file
 * is the truth and the program's copy is never written. A frame whose file the client does
 * not have gets a `sourceReference`, served by asking the agent for that file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, sep as localSep } from 'node:path';
import type { PathMapping } from '../common/launchConfig';
import type { AgentEvent, AgentMessageTranslator, AgentResponse } from './agentChannel';

/** sourceReferences minted here start high, away from the agent's own (1, 2, 3…). */
const FIRST_REMOTE_REFERENCE = 1_000_000;

function separatorOf(root: string): string {
  return /^[a-zA-Z]:\\/.test(root) || (root.includes('\\') && !root.includes('/')) ? '\\' : '/';
}

function trimmed(root: string, separator: string): string {
  let result = root;
  while (result.length > 1 && result.endsWith(separator)) result = result.slice(0, -1);
  return result;
}

function under(path: string, root: string, separator: string): string | undefined {
  if (path === root) return '';
  const prefix = root.endsWith(separator) ? root : root + separator;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

export class PathMapper {
  private readonly mappings: { local: string; remote: string; remoteSep: string }[];

  constructor(mappings: readonly PathMapping[]) {
    this.mappings = mappings
      .map((m) => {
        const remoteSep = separatorOf(m.remoteRoot);
        return { local: trimmed(m.localRoot, localSep), remote: trimmed(m.remoteRoot, remoteSep), remoteSep };
      })
      // The most specific folder wins when mappings nest.
      .sort((a, b) => b.local.length - a.local.length);
  }

  get isEmpty(): boolean {
    return this.mappings.length === 0;
  }

  toRemote(path: string): string {
    for (const m of this.mappings) {
      const rest = under(path, m.local, localSep);
      if (rest !== undefined) return rest ? m.remote + m.remoteSep + rest.split(localSep).join(m.remoteSep) : m.remote;
    }
    return path;
  }

  toLocal(path: string): string {
    for (const m of [...this.mappings].sort((a, b) => b.remote.length - a.remote.length)) {
      const rest = under(path, m.remote, m.remoteSep);
      if (rest !== undefined) return rest ? m.local + localSep + rest.split(m.remoteSep).join(localSep) : m.local;
    }
    return path;
  }
}

/** Returns a deep copy of `value` with every string property named `path` passed through `map`. */
export function mapPaths<T>(value: T, map: (path: string) => string): T {
  if (Array.isArray(value)) return value.map((item) => mapPaths(item, map)) as T;
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    result[key] = key === 'path' && typeof item === 'string' ? map(item) : mapPaths(item, map);
  }
  return result as T;
}

export class PathTranslator implements AgentMessageTranslator {
  private nextReference = FIRST_REMOTE_REFERENCE;
  private readonly remoteByReference = new Map<number, string>();
  private readonly referenceByRemote = new Map<string, number>();

  constructor(
    private readonly mapper: PathMapper,
    private readonly clientHasFile: (path: string) => boolean = existsSync,
  ) {}

  toAgent(command: string, args: unknown): unknown {
    if (command === 'source') {
      const reference = (args as { sourceReference?: number; source?: { sourceReference?: number } }) ?? {};
      const remote = this.remoteByReference.get(reference.sourceReference ?? reference.source?.sourceReference ?? 0);
      if (remote !== undefined) return { source: { path: remote } };
    }
    const mapped = mapPaths(args, (path) => this.mapper.toRemote(path)) as Record<string, unknown>;
    if (command === 'hotReload' && typeof (args as { path?: unknown })?.path === 'string') {
      const localPath = (args as { path: string }).path;
      if (mapped.path !== localPath) {
        // The program's copy of the file is not the truth; the client's is. Unreadable: the
        // agent reads its own copy and says what it found.
        try {
          return { ...mapped, text: readFileSync(localPath, 'utf8') };
        } catch {
          return mapped;
        }
      }
    }
    return mapped;
  }

  fromAgent<T extends AgentResponse | AgentEvent>(message: T): T {
    const mapped = mapPaths(message, (path) => this.mapper.toLocal(path));
    if (mapped.type === 'response' && mapped.command === 'stackTrace' && mapped.success) {
      for (const frame of ((mapped.body as { stackFrames?: unknown[] } | undefined)?.stackFrames ?? []) as { source?: { path?: string; name?: string; sourceReference?: number } }[]) {
        const source = frame.source;
        if (!source?.path || source.sourceReference || this.clientHasFile(source.path)) continue;
        const remote = this.mapper.toRemote(source.path);
        source.sourceReference = this.referenceFor(remote);
        source.name = source.name ?? basename(source.path);
      }
    }
    return mapped;
  }

  private referenceFor(remote: string): number {
    let reference = this.referenceByRemote.get(remote);
    if (reference === undefined) {
      reference = this.nextReference++;
      this.referenceByRemote.set(remote, reference);
      this.remoteByReference.set(reference, remote);
    }
    return reference;
  }
}
