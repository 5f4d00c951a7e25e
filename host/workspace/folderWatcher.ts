/**
 * Watches the folders the Explorer has listed and the folders of open files, one
 * non-recursive watch each (lazily, like the tree itself), and reports created, deleted and
 * changed entries in short batches. A rename arrives as a delete of the old name and a create
 * of the new one. Events name entries; the renderer re-reads what it shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileChange } from '../../common/bridge';

/** Editors and atomic saves produce bursts of events; one batch per burst. */
export const CHANGE_BATCH_MS = 60;

interface WatchedFolder {
  readonly watcher: fs.FSWatcher;
  /** Names present when last looked at, to tell a create from a change. */
  readonly known: Set<string>;
}

function namesIn(folder: string): Set<string> {
  try {
    return new Set(fs.readdirSync(folder));
  } catch {
    return new Set();
  }
}

export class FolderWatcher {
  private readonly folders = new Map<string, WatchedFolder>();
  private pending = new Map<string, FileChange>();
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(private readonly report: (changes: readonly FileChange[]) => void) {}

  /** Starts watching `folder` (once); a folder that cannot be watched is simply not watched. */
  watch(folder: string): void {
    if (this.disposed || this.folders.has(folder)) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(folder, { persistent: false }, (_event, name) => {
        if (name) this.onEvent(folder, name.toString());
        else this.rescan(folder);
      });
    } catch {
      return;
    }
    watcher.on('error', () => this.unwatch(folder));
    this.folders.set(folder, { watcher, known: namesIn(folder) });
  }

  isWatching(folder: string): boolean {
    return this.folders.has(folder);
  }

  dispose(): void {
    this.disposed = true;
    for (const folder of [...this.folders.keys()]) this.unwatch(folder);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private unwatch(folder: string): void {
    this.folders.get(folder)?.watcher.close();
    this.folders.delete(folder);
  }

  private onEvent(folder: string, name: string): void {
    const watched = this.folders.get(folder);
    if (!watched) return;
    const entry = path.join(folder, name);
    const exists = fs.existsSync(entry);
    if (exists) {
      this.queue({ kind: watched.known.has(name) ? 'changed' : 'created', path: entry });
      watched.known.add(name);
    } else {
      if (watched.known.delete(name)) this.queue({ kind: 'deleted', path: entry });
      if (this.folders.has(entry)) this.unwatch(entry);
    }
  }

  /** The platform did not say which entry changed: compare the names. */
  private rescan(folder: string): void {
    const watched = this.folders.get(folder);
    if (!watched) return;
    const now = namesIn(folder);
    for (const name of now) if (!watched.known.has(name)) this.onEvent(folder, name);
    for (const name of [...watched.known]) if (!now.has(name)) this.onEvent(folder, name);
  }

  private queue(change: FileChange): void {
    const earlier = this.pending.get(change.path);
    // Here and gone within one burst (an atomic save's temporary file): nothing to report.
    if (earlier?.kind === 'created' && change.kind === 'deleted') {
      this.pending.delete(change.path);
      return;
    }
    // A create followed by changes is still a create; a delete then a create is a change.
    const kind = earlier?.kind === 'created' && change.kind === 'changed'
      ? 'created'
      : earlier?.kind === 'deleted' && change.kind === 'created'
        ? 'changed'
        : change.kind;
    this.pending.set(change.path, { kind, path: change.path });
    this.timer ??= setTimeout(() => this.flush(), CHANGE_BATCH_MS);
  }

  private flush(): void {
    this.timer = null;
    if (this.disposed || this.pending.size === 0) return;
    const changes = [...this.pending.values()];
    this.pending = new Map();
    this.report(changes);
  }
}
