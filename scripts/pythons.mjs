// Finds the CPython interpreters (3.9+) on this machine: pyenv's versions first, then the newer
// releases scripts/install-debian-pythons.sh installs from Debian unstable, then python3 on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

function versionOf(python) {
  try {
    return execFileSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** @returns {{ version: string, python: string }[]} one interpreter per minor version >= 3.9, sorted. */
export function findPythons() {
  const byVersion = new Map();
  const root = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  const versionsDir = join(root, 'versions');
  const candidates = [];
  if (existsSync(versionsDir)) {
    for (const name of readdirSync(versionsDir)) candidates.push(join(versionsDir, name, 'bin', 'python'));
  }
  const debianRoot = process.env.DEBIAN_PYTHONS_ROOT ?? '/opt/dapper-debian-pythons';
  const debianBin = join(debianRoot, 'usr', 'bin');
  if (existsSync(debianBin)) {
    for (const name of readdirSync(debianBin).sort()) {
      if (/^python3\.\d+-host$/.test(name)) candidates.push(join(debianBin, name));
    }
  }
  candidates.push('python3');
  for (const python of candidates) {
    const version = versionOf(python);
    if (!version) continue;
    const [major, minor] = version.split('.').map(Number);
    if (major !== 3 || minor < 9) continue;
    if (!byVersion.has(version)) byVersion.set(version, python);
  }
  return [...byVersion.entries()]
    .map(([version, python]) => ({ version, python }))
    .sort((a, b) => Number(a.version.split('.')[1]) - Number(b.version.split('.')[1]));
}
