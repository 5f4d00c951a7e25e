/**
 * A file dropped on a browser window has no path (nor, in Electron, one dragged from another
 * app rather than from disk), so the host keeps its content in a per-session folder under
 * the system temp folder and debugs that copy. The file keeps its
 * name (Python cares about module names); a second drop of a different file with the same
 * name goes into a numbered subfolder instead of overwriting the first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { atomicWriteFile } from './atomicFile';
import { BridgeInputError } from '../bridge/bridgeErrors';

const MAX_DROPPED_BYTES = 20 * 1024 * 1024;

export function checkDroppedName(name: string): string {
  const trimmed = name.trim();
  const base = path.basename(trimmed.replace(/\\/g, '/'));
  if (!trimmed || base !== trimmed || base === '.' || base === '..' || /[\0/\\:]/.test(base)) {
    throw new BridgeInputError(`"${name}" is not a valid file name for a dropped file; rename it and drop it again.`);
  }
  return base;
}

export class DroppedFilesFolder {
  private created = false;

  constructor(readonly folder: string) {}

  /** A folder unique to this session, created only when something is dropped. */
  static createForSession(): DroppedFilesFolder {
    return new DroppedFilesFolder(path.join(os.tmpdir(), `dapper-dropped-${randomUUID()}`));
  }

  /** Saves the content and returns the path to debug. */
  save(name: string, content: string): string {
    const base = checkDroppedName(name);
    if (Buffer.byteLength(content, 'utf8') > MAX_DROPPED_BYTES) {
      throw new BridgeInputError(`"${name}" is larger than 20 MB; open it from disk instead of dropping it.`);
    }
    this.ensureFolder();
    for (let attempt = 1; ; attempt += 1) {
      const folder = attempt === 1 ? this.folder : path.join(this.folder, String(attempt));
      const target = path.join(folder, base);
      let existing: string | null;
      try {
        existing = fs.readFileSync(target, 'utf8');
      } catch {
        existing = null;
      }
      if (existing === null || existing === content) {
        fs.mkdirSync(folder, { recursive: true });
        if (existing === null) atomicWriteFile(target, content);
        return target;
      }
    }
  }

  private ensureFolder(): void {
    if (!this.created) {
      fs.mkdirSync(this.folder, { recursive: true });
      this.created = true;
    }
  }
}
