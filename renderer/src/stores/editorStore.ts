/**
 * Open files and their edit state. Text lives in the editor's models (see
 * editor/documentHost.ts); this store tracks version numbers, which is enough to know
 * "unsaved" (current ≠ saved) and "not yet applied to the running program"
 * (current ≠ applied) without copying large files on every keystroke.
 */
import { create } from 'zustand';
import type { HotReloadDiagnostic } from '../../../common/hotReload';

export interface OpenFile {
  readonly path: string;
  readonly name: string;
  readonly savedVersion: number;
  readonly currentVersion: number;
  /** Version the running program executes; null when no session runs this file's text. */
  readonly appliedVersion: number | null;
  readonly mtimeMs: number;
  /** The program's copy of a source this machine lacks (DAP `source` request): shown, never edited or saved. */
  readonly readOnly?: boolean;
}

export interface AddFileOptions {
  readonly readOnly?: boolean;
  /** The tab's name when it is not the path's last part. */
  readonly name?: string;
}

export interface RevealRequest {
  readonly path: string;
  readonly line: number;
  readonly nonce: number;
}

interface EditorState {
  readonly files: Readonly<Record<string, OpenFile>>;
  readonly order: readonly string[];
  readonly activePath: string | null;
  readonly reveal: RevealRequest | null;
  /** Files the debuggee has loaded (program, stack frames, loadedSource events). */
  readonly loadedPaths: Readonly<Record<string, true>>;
  /** Apply Changes diagnostics per file, shown as editor markers. */
  readonly diagnostics: Readonly<Record<string, readonly HotReloadDiagnostic[]>>;
  addFile(path: string, version: number, mtimeMs: number, options?: AddFileOptions): void;
  closeFile(path: string): void;
  setActive(path: string): void;
  setCurrentVersion(path: string, version: number): void;
  markSaved(path: string, version: number, mtimeMs: number): void;
  markApplied(path: string, version: number): void;
  /** A new session runs what is on disk: every file's applied version is its saved one. */
  markAllRunningFromDisk(): void;
  clearApplied(): void;
  markLoaded(paths: readonly string[]): void;
  clearLoaded(): void;
  setDiagnostics(path: string, diagnostics: readonly HotReloadDiagnostic[]): void;
  requestReveal(path: string, line: number): void;
}

let revealNonce = 0;

export const useEditorStore = create<EditorState>()((set, get) => ({
  files: {},
  order: [],
  activePath: null,
  reveal: null,
  loadedPaths: {},
  diagnostics: {},
  addFile(path, version, mtimeMs, options = {}) {
    const { files, order } = get();
    const existing = files[path];
    const file: OpenFile = {
      path,
      name: options.name ?? baseName(path),
      savedVersion: version,
      currentVersion: version,
      appliedVersion: existing?.appliedVersion ?? version,
      mtimeMs,
      ...(options.readOnly ? { readOnly: true } : {}),
    };
    set({
      files: { ...files, [path]: file },
      order: order.includes(path) ? order : [...order, path],
      activePath: path,
    });
  },
  closeFile(path) {
    const { files, order, activePath } = get();
    if (!files[path]) return;
    const { [path]: _closed, ...rest } = files;
    const index = order.indexOf(path);
    const nextOrder = order.filter((item) => item !== path);
    const nextActive =
      activePath === path ? (nextOrder[Math.min(index, nextOrder.length - 1)] ?? null) : activePath;
    set({ files: rest, order: nextOrder, activePath: nextActive });
  },
  setActive(path) {
    if (get().files[path]) set({ activePath: path });
  },
  setCurrentVersion(path, version) {
    updateFile(set, get, path, (file) => ({ ...file, currentVersion: version }));
  },
  markSaved(path, version, mtimeMs) {
    updateFile(set, get, path, (file) => ({ ...file, savedVersion: version, mtimeMs }));
  },
  markApplied(path, version) {
    updateFile(set, get, path, (file) => ({ ...file, appliedVersion: version }));
  },
  markAllRunningFromDisk() {
    const files = mapFiles(get().files, (file) => ({ ...file, appliedVersion: file.savedVersion }));
    set({ files });
  },
  clearApplied() {
    set({ files: mapFiles(get().files, (file) => ({ ...file, appliedVersion: null })) });
  },
  markLoaded(paths) {
    const loaded = get().loadedPaths;
    if (paths.every((path) => loaded[path])) return;
    const next: Record<string, true> = { ...loaded };
    for (const path of paths) next[path] = true;
    set({ loadedPaths: next });
  },
  clearLoaded: () => set({ loadedPaths: {} }),
  setDiagnostics(path, diagnostics) {
    set({ diagnostics: { ...get().diagnostics, [path]: diagnostics } });
  },
  requestReveal(path, line) {
    revealNonce += 1;
    set({ reveal: { path, line, nonce: revealNonce }, activePath: get().files[path] ? path : get().activePath });
  },
}));

type Setter = (partial: Partial<EditorState>) => void;

function updateFile(set: Setter, get: () => EditorState, path: string, change: (file: OpenFile) => OpenFile): void {
  const file = get().files[path];
  if (!file) return;
  set({ files: { ...get().files, [path]: change(file) } });
}

function mapFiles(
  files: Readonly<Record<string, OpenFile>>,
  change: (file: OpenFile) => OpenFile,
): Record<string, OpenFile> {
  const next: Record<string, OpenFile> = {};
  for (const [path, file] of Object.entries(files)) next[path] = change(file);
  return next;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function isDirty(file: OpenFile): boolean {
  return file.currentVersion !== file.savedVersion;
}

export function hasUnappliedChanges(file: OpenFile, loaded: boolean): boolean {
  return loaded && file.appliedVersion !== null && file.currentVersion !== file.appliedVersion;
}

/** Paths of loaded files whose text differs from what the program runs. */
export function selectUnappliedPaths(state: Pick<EditorState, 'files' | 'loadedPaths'>): string[] {
  return Object.values(state.files)
    .filter((file) => hasUnappliedChanges(file, Boolean(state.loadedPaths[file.path])))
    .map((file) => file.path);
}

export function selectAnyDirty(state: Pick<EditorState, 'files'>): boolean {
  return Object.values(state.files).some(isDirty);
}
