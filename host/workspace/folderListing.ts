/**
 * What the Explorer and Quick Open see of a folder: its entries, folders first, without the
 * folders nobody edits (version control, caches, dependencies and virtual environments, as
 * VS Code's Python users expect them hidden).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FolderEntry, FolderFiles } from '../../common/bridge';

/** Folder names hidden wherever they appear. */
export const HIDDEN_FOLDER_NAMES: readonly string[] = ['.git', '__pycache__', 'node_modules'];

/** Quick Open indexes at most this many files; a bigger folder is reported as truncated. */
export const MAX_INDEXED_FILES = 20_000;

/** A virtual environment (venv/virtualenv write pyvenv.cfg; conda writes conda-meta/). */
export function isVirtualEnvironment(folder: string): boolean {
  return fs.existsSync(path.join(folder, 'pyvenv.cfg')) || fs.existsSync(path.join(folder, 'conda-meta'));
}

export function isHiddenFolder(folder: string): boolean {
  return HIDDEN_FOLDER_NAMES.includes(path.basename(folder)) || isVirtualEnvironment(folder);
}

function entryKind(folder: string, dirent: fs.Dirent): 'file' | 'folder' | null {
  if (dirent.isDirectory()) return 'folder';
  if (dirent.isFile()) return 'file';
  if (dirent.isSymbolicLink()) {
    try {
      const stat = fs.statSync(path.join(folder, dirent.name));
      return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : null;
    } catch {
      return null; // A dangling link has nothing to open.
    }
  }
  return null; // Sockets, devices, FIFOs.
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The visible entries of one folder: folders first, then files, each by name. */
export function listFolder(folder: string): FolderEntry[] {
  const entries: FolderEntry[] = [];
  for (const dirent of fs.readdirSync(folder, { withFileTypes: true })) {
    const kind = entryKind(folder, dirent);
    if (!kind) continue;
    const entryPath = path.join(folder, dirent.name);
    if (kind === 'folder' && isHiddenFolder(entryPath)) continue;
    entries.push({ name: dirent.name, path: entryPath, kind });
  }
  return entries.sort((a, b) => (a.kind === b.kind ? byName.compare(a.name, b.name) : a.kind === 'folder' ? -1 : 1));
}

/**
 * Every file under `folder`, breadth first (so a huge tree still yields its top files), without
 * hidden folders. Linked folders are not followed: they may lead outside or loop.
 */
export function listFilesRecursively(folder: string, limit = MAX_INDEXED_FILES): FolderFiles {
  const files: string[] = [];
  const queue = [folder];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue; // Unreadable folder: skip it, as the Explorer shows it empty.
    }
    dirents.sort((a, b) => byName.compare(a.name, b.name));
    for (const dirent of dirents) {
      const entryPath = path.join(current, dirent.name);
      if (dirent.isDirectory()) {
        if (!isHiddenFolder(entryPath)) queue.push(entryPath);
      } else if (dirent.isFile()) {
        if (files.length >= limit) return { files, truncated: true };
        files.push(entryPath);
      }
    }
  }
  return { files, truncated: false };
}
