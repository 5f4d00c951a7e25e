import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileChange, FolderEntry } from '../../common/bridge';
import { BridgeService } from '../bridge/bridgeService';
import { createTestContext, tempDir } from './helpers';

function bridgeWithFolder() {
  const test = createTestContext();
  const events: Array<{ event: string; args: unknown[] }> = [];
  const bridge = new BridgeService(test.context, (event, ...args) => events.push({ event, args }));
  const folder = path.join(test.dir, 'project');
  fs.mkdirSync(path.join(folder, 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'pkg', '__init__.py'), '');
  fs.writeFileSync(path.join(folder, 'pkg', 'main.py'), 'print("main")\n');
  fs.writeFileSync(path.join(folder, 'README.md'), '# project\n');
  const changes = (): FileChange[] =>
    events.filter((item) => item.event === 'folder.changed').flatMap((item) => item.args[0] as FileChange[]);
  return { ...test, bridge, events, folder, changes };
}

async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('opened folders and the file policy', () => {
  it('reads and saves any file under an opened folder, and nothing outside it', async () => {
    const { bridge, folder, dir } = bridgeWithFolder();
    const readme = path.join(folder, 'README.md');
    await expect(bridge.invoke('file.read', [readme])).rejects.toThrow(/refused to read/);
    expect(await bridge.invoke('folder.open', [folder])).toEqual({ path: folder });
    expect(await bridge.invoke('file.read', [readme])).toMatchObject({ content: '# project\n' });
    await bridge.invoke('file.save', [readme, '# changed\n']);
    expect(fs.readFileSync(readme, 'utf8')).toBe('# changed\n');

    const outside = path.join(dir, 'outside.txt');
    fs.writeFileSync(outside, 'secret\n');
    await expect(bridge.invoke('file.read', [outside])).rejects.toThrow(/refused to read/);
    await expect(bridge.invoke('file.read', [path.join(folder, '..', 'outside.txt')])).rejects.toThrow(/refused to read/);
    await expect(bridge.invoke('folder.list', [dir])).rejects.toThrow(/refused to list|not in a folder you opened/);
  });

  it('refuses a symbolic link inside the folder that leads outside it', async () => {
    const { bridge, folder, dir } = bridgeWithFolder();
    const secrets = path.join(dir, 'secrets');
    fs.mkdirSync(secrets);
    fs.writeFileSync(path.join(secrets, 'key.txt'), 'hunter2\n');
    fs.symlinkSync(path.join(secrets, 'key.txt'), path.join(folder, 'key-link.txt'));
    fs.symlinkSync(secrets, path.join(folder, 'secrets-link'));
    await bridge.invoke('folder.open', [folder]);

    await expect(bridge.invoke('file.read', [path.join(folder, 'key-link.txt')])).rejects.toThrow(
      /refused to read .*key-link\.txt: it is a symbolic link to .*secrets\/key\.txt, outside the opened folder/,
    );
    await expect(bridge.invoke('file.save', [path.join(folder, 'key-link.txt'), 'x'])).rejects.toThrow(/symbolic link/);
    await expect(bridge.invoke('folder.list', [path.join(folder, 'secrets-link')])).rejects.toThrow(/symbolic link/);
    // A new file through the linked folder would be written outside: refused too.
    await expect(bridge.invoke('file.save', [path.join(folder, 'secrets-link', 'new.txt'), 'x'])).rejects.toThrow(/symbolic link/);
    expect(fs.existsSync(path.join(secrets, 'new.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(secrets, 'key.txt'), 'utf8')).toBe('hunter2\n');

    // A link that stays inside the folder is fine.
    fs.symlinkSync(path.join(folder, 'pkg', 'main.py'), path.join(folder, 'main-link.py'));
    expect(await bridge.invoke('file.read', [path.join(folder, 'main-link.py')])).toMatchObject({ content: 'print("main")\n' });
  });

  it('creates a new file (and its folder) inside an opened folder', async () => {
    const { bridge, folder } = bridgeWithFolder();
    await bridge.invoke('folder.open', [folder]);
    const launchJson = path.join(folder, '.vscode', 'launch.json');
    await bridge.invoke('file.save', [launchJson, '{}\n']);
    expect(fs.readFileSync(launchJson, 'utf8')).toBe('{}\n');
  });

  it('explains why a folder cannot be opened', async () => {
    const { bridge, folder } = bridgeWithFolder();
    await expect(bridge.invoke('folder.open', ['project'])).rejects.toThrow('not an absolute path');
    await expect(bridge.invoke('folder.open', [path.join(folder, 'missing')])).rejects.toThrow('it does not exist');
    await expect(bridge.invoke('folder.open', [path.join(folder, 'README.md')])).rejects.toThrow('it is a file, not a folder');
    await expect(bridge.invoke('folder.open', [path.parse(folder).root])).rejects.toThrow('root of a file system');
    await expect(bridge.invoke('folder.open', [os.homedir()])).rejects.toThrow('whole home folder');
    if (path.dirname(os.homedir()) !== path.parse(os.homedir()).root) {
      await expect(bridge.invoke('folder.open', [path.dirname(os.homedir())])).rejects.toThrow('it holds your home folder');
    }
  });

  it('remembers opened folders as recent, and refuses recent folders nobody opened', async () => {
    const { bridge, folder, context } = bridgeWithFolder();
    await bridge.invoke('folder.open', [folder]);
    expect(context.settings.get().recentFolders).toEqual([folder]);
    await expect(bridge.invoke('settings.update', [{ recentFolders: ['/etc'] }])).rejects.toThrow(/only list folders you opened/);
    await bridge.invoke('settings.update', [{ launchChoices: { [folder]: 'Run app' } }]);
    expect(context.settings.get().launchChoices).toEqual({ [folder]: 'Run app' });
  });

  it('opens the folder given on the command line', async () => {
    const test = createTestContext();
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'n\n');
    const bridge = new BridgeService({ ...test.context, initialFolder: folder }, () => undefined);
    expect(await bridge.invoke('app.info', [])).toMatchObject({ initialFolder: folder });
    expect(await bridge.invoke('file.read', [path.join(folder, 'notes.txt')])).toMatchObject({ content: 'n\n' });
    bridge.dispose();
  });
});

describe('folder listing', () => {
  it('lists folders first, then files, hiding .git, __pycache__, node_modules and virtual environments', async () => {
    const { bridge, folder } = bridgeWithFolder();
    for (const hidden of ['.git', '__pycache__', 'node_modules', '.venv', 'env2']) fs.mkdirSync(path.join(folder, hidden));
    fs.writeFileSync(path.join(folder, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    fs.mkdirSync(path.join(folder, 'env2', 'conda-meta'));
    fs.mkdirSync(path.join(folder, 'venv-notes')); // a folder named like one, without pyvenv.cfg, stays
    fs.writeFileSync(path.join(folder, '.env'), 'A=1\n');
    await bridge.invoke('folder.open', [folder]);
    const entries = (await bridge.invoke('folder.list', [folder])) as FolderEntry[];
    expect(entries.map((entry) => `${entry.kind}:${entry.name}`)).toEqual([
      'folder:pkg', 'folder:venv-notes', 'file:.env', 'file:README.md',
    ]);
    expect(entries[0].path).toBe(path.join(folder, 'pkg'));
  });

  it('lists every file for Quick Open, without hidden folders', async () => {
    const { bridge, folder } = bridgeWithFolder();
    fs.mkdirSync(path.join(folder, '.git'));
    fs.writeFileSync(path.join(folder, '.git', 'HEAD'), 'ref\n');
    await bridge.invoke('folder.open', [folder]);
    const { files, truncated } = (await bridge.invoke('folder.files', [folder])) as { files: string[]; truncated: boolean };
    expect(truncated).toBe(false);
    expect(files.map((file) => path.relative(folder, file)).sort()).toEqual(['README.md', 'pkg/__init__.py', 'pkg/main.py']);
  });
});

describe('folder watching', () => {
  it('reports created, changed, deleted and renamed files in listed folders', async () => {
    const { bridge, folder, changes } = bridgeWithFolder();
    await bridge.invoke('folder.open', [folder]);
    await bridge.invoke('folder.list', [path.join(folder, 'pkg')]);
    const created = path.join(folder, 'pkg', 'extra.py');
    fs.writeFileSync(created, 'x = 1\n');
    await until(() => changes().find((c) => c.path === created && c.kind === 'created'), 'the create');

    fs.appendFileSync(path.join(folder, 'README.md'), 'more\n');
    await until(() => changes().find((c) => c.path === path.join(folder, 'README.md') && c.kind === 'changed'), 'the change');

    const renamed = path.join(folder, 'pkg', 'renamed.py');
    fs.renameSync(created, renamed);
    await until(() => changes().find((c) => c.path === renamed && c.kind === 'created'), 'the new name');
    await until(() => changes().find((c) => c.path === created && c.kind === 'deleted'), 'the old name gone');

    fs.rmSync(renamed);
    await until(() => changes().find((c) => c.path === renamed && c.kind === 'deleted'), 'the delete');
    bridge.dispose();
  });

  it('reports a change to launch.json once the launch configurations were read', async () => {
    const { bridge, folder, changes } = bridgeWithFolder();
    fs.mkdirSync(path.join(folder, '.vscode'));
    await bridge.invoke('folder.open', [folder]);
    await bridge.invoke('launch.configurations', [folder]);
    const launchJson = path.join(folder, '.vscode', 'launch.json');
    fs.writeFileSync(launchJson, '{ "configurations": [] }\n');
    await until(() => changes().find((c) => c.path === launchJson && c.kind === 'created'), 'launch.json created');
    bridge.dispose();
  });

  it('reports a change to an open file made by another program', async () => {
    const { bridge, dir, changes } = bridgeWithFolder();
    const script = path.join(dir, 'solo.py');
    fs.writeFileSync(script, 'a = 1\n');
    await bridge.invoke('file.read', [script]);
    fs.writeFileSync(script, 'a = 2\n');
    await until(() => changes().find((c) => c.path === script && c.kind === 'changed'), 'the change');
    bridge.dispose();
  });
});

describe('launches from a folder', () => {
  it('runs a module only from a working folder inside an opened folder', async () => {
    const { bridge, folder, sessions } = bridgeWithFolder();
    const elsewhere = tempDir();
    await expect(bridge.invoke('dap.start', [{ launch: { module: 'pkg.main', cwd: folder } }])).rejects.toThrow(
      /only from a folder you opened/,
    );
    await bridge.invoke('folder.open', [folder]);
    await expect(bridge.invoke('dap.start', [{ launch: { module: 'pkg.main', cwd: elsewhere } }])).rejects.toThrow(/only from a folder you opened/);
    await expect(bridge.invoke('dap.start', [{ launch: { module: 'pkg.main' } }])).rejects.toThrow(/set "cwd"/);
    const { sessionId } = (await bridge.invoke('dap.start', [{ launch: { module: 'pkg.main', cwd: folder } }])) as { sessionId: string };
    await bridge.invoke('dap.send', [sessionId, { seq: 1, type: 'request', command: 'launch', arguments: { module: 'pkg.main', cwd: folder } }]);
    expect(sessions.received).toHaveLength(1);
    // The folder of a test file the user opened (no folder open) may run its tests.
    const solo = tempDir();
    fs.writeFileSync(path.join(solo, 'test_solo.py'), 'def test_one():\n    pass\n');
    await expect(bridge.invoke('dap.start', [{ launch: { module: 'pytest', cwd: solo } }])).rejects.toThrow(/only from a folder you opened/);
    await bridge.invoke('file.read', [path.join(solo, 'test_solo.py')]);
    await bridge.invoke('dap.start', [{ launch: { module: 'pytest', args: ['test_solo.py'], cwd: solo } }]);
    expect(await bridge.invoke('tests.runner', ['/usr/bin/python3', solo])).toMatchObject({ runner: 'pytest' });
    // A script in the folder runs without having been opened one by one.
    await bridge.invoke('dap.start', [{ launch: { program: path.join(folder, 'pkg', 'main.py') } }]);
  });
});

describe('the test runner for Debug Test', () => {
  const pyenvVersions = path.join(os.homedir(), '.pyenv', 'versions');
  const pyenvPython = (fs.existsSync(pyenvVersions) ? fs.readdirSync(pyenvVersions) : [])
    .filter((name) => /^3\.(9|1\d)\./.test(name))
    .map((name) => path.join(pyenvVersions, name, 'bin', 'python'))
    .find((candidate) => fs.existsSync(candidate) && spawnSync(candidate, ['-c', 'import pytest']).status === 1);

  it('is pytest when the interpreter has it (Debian python3 with python3-pytest)', async () => {
    const { bridge, folder } = bridgeWithFolder();
    await bridge.invoke('folder.open', [folder]);
    expect(await bridge.invoke('tests.runner', ['/usr/bin/python3', folder])).toEqual({ runner: 'pytest', python: '/usr/bin/python3' });
  });

  it.skipIf(!pyenvPython)('is unittest when the interpreter has no pytest (a pyenv Python without pytest; skipped when none is installed)', async () => {
    const { bridge, folder } = bridgeWithFolder();
    await bridge.invoke('folder.open', [folder]);
    expect(await bridge.invoke('tests.runner', [pyenvPython, folder])).toEqual({ runner: 'unittest', python: pyenvPython });
  });

  it('names an interpreter that does not start, and runs only in opened folders', async () => {
    const { bridge, folder } = bridgeWithFolder();
    await expect(bridge.invoke('tests.runner', ['/usr/bin/python3', folder])).rejects.toThrow(/not a folder you opened/);
    await bridge.invoke('folder.open', [folder]);
    await expect(bridge.invoke('tests.runner', [path.join(folder, 'no-python'), folder])).rejects.toThrow(/no-python/);
    const broken = path.join(folder, 'broken-python');
    fs.writeFileSync(broken, '#!/bin/sh\necho broken interpreter >&2\nexit 1\n', { mode: 0o755 });
    await expect(bridge.invoke('tests.runner', [broken, folder])).rejects.toThrow(/broken-python did not start \(broken interpreter\)/);
  });
});
