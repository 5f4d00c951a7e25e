import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteFile } from '../workspace/atomicFile';
import { tempDir } from './helpers';

const isPosix = process.platform !== 'win32';

describe('atomic save', () => {
  it('replaces the content and leaves no temporary file behind', () => {
    const dir = tempDir();
    const file = path.join(dir, 'script.py');
    fs.writeFileSync(file, 'old = 1\n');
    const { mtimeMs } = atomicWriteFile(file, 'new = 2\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new = 2\n');
    expect(mtimeMs).toBe(fs.statSync(file).mtimeMs);
    expect(fs.readdirSync(dir)).toEqual(['script.py']);
  });

  it.runIf(isPosix)('keeps the file mode (an executable script stays executable)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'tool.py');
    fs.writeFileSync(file, '#!/usr/bin/env python3\n');
    fs.chmodSync(file, 0o751);
    atomicWriteFile(file, '#!/usr/bin/env python3\nprint(1)\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o751);
  });

  it.runIf(isPosix)('writes through a symlink to its target and keeps the link', () => {
    const dir = tempDir();
    const target = path.join(dir, 'real.py');
    const link = path.join(dir, 'link.py');
    fs.writeFileSync(target, 'a = 1\n');
    fs.symlinkSync(target, link);
    atomicWriteFile(link, 'a = 2\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('a = 2\n');
  });

  it.runIf(isPosix && process.getuid?.() !== 0)('leaves the original intact when the folder is not writable', () => {
    const dir = tempDir();
    const file = path.join(dir, 'script.py');
    fs.writeFileSync(file, 'keep = True\n');
    fs.chmodSync(dir, 0o555);
    try {
      expect(() => atomicWriteFile(file, 'lost = True\n')).toThrow();
      expect(fs.readFileSync(file, 'utf8')).toBe('keep = True\n');
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    expect(fs.readdirSync(dir)).toEqual(['script.py']);
  });

  it('never leaves a half-written file when the write fails midway', () => {
    const dir = tempDir();
    const file = path.join(dir, 'script.py');
    fs.writeFileSync(file, 'keep = True\n');
    // A folder in the place of the target makes the final rename fail after the temp file was written.
    const blocked = path.join(dir, 'blocked.py');
    fs.mkdirSync(blocked);
    fs.writeFileSync(path.join(blocked, 'inside'), 'x');
    expect(() => atomicWriteFile(blocked, 'data')).toThrow();
    expect(fs.readdirSync(dir).sort()).toEqual(['blocked.py', 'script.py']);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep = True\n');
  });
});
