/**
 * Select Interpreter's host side, with real interpreters: the folder's venvs, settings.json
 * (JSONC), VIRTUAL_ENV, pyenv (3.9–3.13 usable; 2.7, 3.6–3.8 too old), PATH, and one that
 * does not start — each with its version or a message that names it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InterpreterInfo } from '../../common/bridge';
import { BridgeService } from '../bridge/bridgeService';
import { discoverInterpreters } from '../python/interpreterDiscovery';
import { probeInterpreter } from '../python/interpreterProbe';
import { createTestContext } from './helpers';

const PYENV_ROOT = path.join(os.homedir(), '.pyenv');
const pyenvPython = (version: string) => path.join(PYENV_ROOT, 'versions', version, 'bin', 'python');
const installed = (version: string) => fs.existsSync(pyenvPython(version));
const NEW = ['3.12.1', '3.9.18'].find(installed);
const OLD = ['3.8.18', '3.7.16', '3.6.15', '2.7.18'].find(installed);

function folderWith(files: Record<string, string>, links: Record<string, string> = {}): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dapper-interpreters-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text, { mode: 0o755 });
  }
  for (const [name, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.symlinkSync(target, path.join(folder, name));
  }
  return folder;
}

function find(list: readonly InterpreterInfo[], p: string): InterpreterInfo | undefined {
  return list.find((item) => item.path === p);
}

// Each discovery starts every interpreter it finds (about 15 here): generous limits on a loaded machine.
describe.skipIf(!NEW || !OLD)('interpreter discovery (needs pyenv 3.9+ and one older Python)', { timeout: 90_000 }, () => {
  it('lists the folder venv, settings.json, VIRTUAL_ENV, pyenv and PATH with versions and problems', async () => {
    const folder = folderWith(
      {
        '.vscode/settings.json': '{\n  // chosen for this project\n  "python.defaultInterpreterPath": "${workspaceFolder}/tools/old-python",\n}\n',
        'broken-env/bin/python': '#!/bin/sh\necho "cannot start: missing libpython" >&2\nexit 3\n',
      },
      { '.venv/bin/python': pyenvPython(NEW!), 'tools/old-python': pyenvPython(OLD!) },
    );
    const env = { PATH: '/usr/bin:/bin', PYENV_ROOT, VIRTUAL_ENV: path.join(folder, 'broken-env'), HOME: os.homedir() };
    const found = await discoverInterpreters(folder, env);
    expect(found.defaultInterpreterPath).toBe('${workspaceFolder}/tools/old-python');
    expect(found.settingsProblem).toBeNull();
    const paths = found.interpreters.map((item) => item.path);
    expect(paths[0]).toBe(path.join(folder, 'tools', 'old-python'));
    expect(found.interpreters[0]).toMatchObject({ source: 'settings.json', version: expect.stringMatching(/^[23]\./) });
    expect(found.interpreters[0].problem).toMatch(new RegExp(`${path.join(folder, 'tools', 'old-python')} is Python [23]\\.\\d+\\.\\d+; Dapper needs Python 3\\.9 or newer`));

    expect(find(found.interpreters, path.join(folder, '.venv', 'bin', 'python'))).toMatchObject({
      source: 'workspace venv', version: NEW, problem: null,
    });
    const broken = find(found.interpreters, path.join(folder, 'broken-env', 'bin', 'python'));
    expect(broken).toMatchObject({ source: 'VIRTUAL_ENV', version: null });
    expect(broken?.problem).toContain(`${path.join(folder, 'broken-env', 'bin', 'python')} does not start: cannot start: missing libpython`);

    expect(find(found.interpreters, pyenvPython(NEW!))).toMatchObject({ source: 'pyenv', version: NEW, problem: null });
    expect(find(found.interpreters, pyenvPython(OLD!))?.problem).toMatch(/Dapper needs Python 3\.9 or newer/);
    const fromPath = found.interpreters.filter((item) => item.source === 'PATH');
    expect(fromPath.length).toBeGreaterThan(0);
    expect(fromPath.every((item) => /\/python3(\.\d+)?$/.test(item.path))).toBe(true);
    // /usr/bin/python3 and /usr/bin/python3.11 are one file: listed once.
    expect(new Set(fromPath.map((item) => fs.realpathSync(item.path))).size).toBe(fromPath.length);
  });

  it('says which settings.json line is broken and still lists the others', async () => {
    const folder = folderWith({ '.vscode/settings.json': '{\n  "python.defaultInterpreterPath": \n}\n' });
    const found = await discoverInterpreters(folder, { PATH: '/usr/bin', PYENV_ROOT });
    expect(found.settingsProblem).toMatch(/settings\.json line 3: ValueExpected/);
    expect(found.interpreters.some((item) => item.source === 'pyenv')).toBe(true);
  });

  it('through the bridge: only for an opened folder; a typed path is checked and named', async () => {
    const test = createTestContext();
    const bridge = new BridgeService(test.context, () => undefined);
    const folder = folderWith({ 'main.py': 'print(1)\n' });
    await expect(bridge.invoke('interpreters.discover', [folder])).rejects.toThrow(/not in a folder you opened/);
    await bridge.invoke('folder.open', [folder]);
    const found = (await bridge.invoke('interpreters.discover', [folder])) as { interpreters: InterpreterInfo[] };
    expect(found.interpreters.length).toBeGreaterThan(0);
    expect(await bridge.invoke('interpreters.check', [pyenvPython(NEW!)])).toMatchObject({ version: NEW, problem: null, source: 'chosen' });
    const missing = path.join(folder, 'no-python');
    expect(await bridge.invoke('interpreters.check', [missing])).toMatchObject({
      version: null,
      problem: `The interpreter ${missing} does not start: the file does not exist. Choose another one.`,
    });
    await expect(bridge.invoke('interpreters.check', [''])).rejects.toThrow(/non-empty string/);
  });

  it('an interpreter older than 3.9 gets a message that names it', async () => {
    const info = await probeInterpreter(pyenvPython(OLD!), 'chosen');
    expect(info.problem).toBe(`The interpreter ${pyenvPython(OLD!)} is Python ${info.version}; Dapper needs Python 3.9 or newer. Choose another one.`);
  });
});
