/**
 * Locates the installed package (the folder with Dapper's package.json), whether this code
 * runs compiled from dist/host/cli/ or from sources under a test runner.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'dapper-desktop';

export function findPackageRoot(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json further down is not ours; keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find Dapper Desktop's package.json above ${startDir}; reinstall Dapper Desktop.`);
    dir = parent;
  }
}

export interface PackageLayout {
  readonly root: string;
  readonly version: string;
  readonly demoScript: string;
  readonly rendererDir: string;
}

export function packageLayout(root: string = findPackageRoot()): PackageLayout {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    root,
    version: manifest.version,
    demoScript: path.join(root, 'demo', 'demo.py'),
    rendererDir: path.join(root, 'dist', 'renderer'),
  };
}
