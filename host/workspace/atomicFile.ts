/**
 * Atomic file writes: the new content goes to a temporary file in the same folder, is
 * flushed to disk, then renamed over the original, so a crash or a full disk never leaves
 * a half-written script behind. The original's permission bits are kept.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface WriteResult {
  readonly mtimeMs: number;
}

/** Resolves symlinks so that saving through a link updates its target, not the link. */
function resolveTarget(filePath: string): string {
  try {
    return fs.realpathSync.native(filePath);
  } catch {
    return path.resolve(filePath);
  }
}

function existingMode(filePath: string): number | undefined {
  try {
    return fs.statSync(filePath).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Flushes the folder entry so the rename itself survives a power cut (POSIX only). */
function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is already synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function atomicWriteFile(filePath: string, content: string | Uint8Array): WriteResult {
  const target = resolveTarget(filePath);
  const folder = path.dirname(target);
  const mode = existingMode(target) ?? 0o644;
  const temp = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.dapper-tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', mode);
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    // openSync's mode is filtered by the umask; set it explicitly to match the original.
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(folder);
  return { mtimeMs: fs.statSync(target).mtimeMs };
}
