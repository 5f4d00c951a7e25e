import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { FakeAdapterBridge, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import type { InMemoryDocumentHost } from '../src/editor/documentHost';

vi.mock('../src/editor/MonacoView', () => ({ MonacoView: () => <div data-testid="code-editor" /> }));

import { App } from '../src/components/App';
import { setBridge } from '../src/bridge/bridgeAccess';
import { runCommand } from '../src/session/commands';
import { refreshLaunchConfigurations, showFolder } from '../src/session/workspaceActions';
import { debugTest } from '../src/session/testRuns';
import { useEditorStore } from '../src/stores/editorStore';
import { useSettingsStore } from '../src/stores/settingsStore';

const W = '/w';
let bridge: FakeAdapterBridge;
let documents: InMemoryDocumentHost;

beforeEach(() => {
  documents = resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
  bridge.folders.set(W, [
    { name: 'pkg', path: `${W}/pkg`, kind: 'folder' },
    { name: 'tests', path: `${W}/tests`, kind: 'folder' },
    { name: 'README.md', path: `${W}/README.md`, kind: 'file' },
  ]);
  bridge.folders.set(`${W}/pkg`, [{ name: 'main.py', path: `${W}/pkg/main.py`, kind: 'file' }]);
  bridge.folders.set(`${W}/tests`, [{ name: 'test_main.py', path: `${W}/tests/test_main.py`, kind: 'file' }]);
  bridge.files.set(`${W}/pkg/main.py`, 'print("main")\n');
  bridge.files.set(`${W}/README.md`, '# w\n');
});

async function openWorkspace(): Promise<HTMLElement> {
  render(<App />);
  await act(async () => {
    showFolder(W);
    await settle();
  });
  return screen.getByRole('tree', { name: 'Explorer' });
}

describe('Explorer', () => {
  it('loads a folder when it is opened and moves through the tree by keyboard', async () => {
    const tree = await openWorkspace();
    const item = (name: string) => within(tree).getByRole('treeitem', { name });
    expect(within(tree).getAllByRole('treeitem').map((row) => row.textContent)).toEqual(['pkg', 'tests', 'README.md']);
    expect(bridge.invokes.filter((call) => call.channel === 'folder.list').map((call) => call.args[0])).toEqual([W]);

    act(() => item('pkg').focus());
    await act(async () => {
      fireEvent.keyDown(tree, { key: 'ArrowRight' });
      await settle();
    });
    expect(item('pkg').getAttribute('aria-expanded')).toBe('true');
    expect(item('main.py').getAttribute('aria-level')).toBe('2');
    act(() => {
      fireEvent.keyDown(tree, { key: 'ArrowRight' });
    });
    expect(document.activeElement).toBe(item('main.py'));
    await act(async () => {
      fireEvent.keyDown(tree, { key: 'Enter' });
      await settle();
    });
    expect(useEditorStore.getState().activePath).toBe(`${W}/pkg/main.py`);
    expect(item('main.py').getAttribute('aria-selected')).toBe('true');
    act(() => {
      fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    });
    expect(document.activeElement).toBe(item('pkg'));
    act(() => {
      fireEvent.keyDown(tree, { key: 'End' });
    });
    expect(document.activeElement).toBe(item('README.md'));
    act(() => {
      fireEvent.keyDown(tree, { key: 't' });
    });
    expect(document.activeElement).toBe(item('tests'));
  });

  it('follows changes on disk: new entries appear, an unmodified tab reloads, a modified one asks', async () => {
    const tree = await openWorkspace();
    await act(async () => {
      fireEvent.click(within(tree).getByRole('treeitem', { name: 'README.md' }));
      await settle();
    });
    bridge.folders.set(W, [...bridge.folders.get(W)!, { name: 'setup.py', path: `${W}/setup.py`, kind: 'file' }]);
    bridge.files.set(`${W}/README.md`, '# changed elsewhere\n');
    bridge.mtimes.set(`${W}/README.md`, 50);
    await act(async () => {
      bridge.emit('folder.changed', [{ kind: 'created', path: `${W}/setup.py` }, { kind: 'changed', path: `${W}/README.md` }]);
      await settle();
    });
    expect(within(tree).getByRole('treeitem', { name: 'setup.py' })).toBeTruthy();
    expect(documents.getText(`${W}/README.md`)).toBe('# changed elsewhere\n');

    const version = documents.edit(`${W}/README.md`, '# my edit\n');
    act(() => useEditorStore.getState().setCurrentVersion(`${W}/README.md`, version));
    bridge.files.set(`${W}/README.md`, '# changed again\n');
    bridge.mtimes.set(`${W}/README.md`, 60);
    await act(async () => {
      bridge.emit('folder.changed', [{ kind: 'changed', path: `${W}/README.md` }]);
      await settle();
    });
    expect(documents.getText(`${W}/README.md`)).toBe('# my edit\n');
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toContain('README.md changed on disk while you were editing it.');
    await act(async () => {
      fireEvent.click(within(banner).getByRole('button', { name: 'Reload from Disk' }));
      await settle();
    });
    expect(documents.getText(`${W}/README.md`)).toBe('# changed again\n');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('Launch configuration picker', () => {
  it('lists Current File and launch.json by name, remembers the choice per folder, and F5 starts it', async () => {
    bridge.launchList = {
      file: `${W}/.vscode/launch.json`,
      exists: true,
      configurations: [{ name: 'Run pkg', type: 'debugpy', request: 'launch' }],
      errors: ['launch.json: configuration "Old" has "type": "node", which Dapper does not debug.'],
    };
    bridge.resolvedConfigurations.set('Run pkg', {
      request: 'launch',
      name: 'Run pkg',
      arguments: { module: 'pkg.main', args: ['--fast'], cwd: W, console: 'integratedTerminal' },
    });
    await openWorkspace();
    const picker = screen.getByRole('combobox', { name: 'Launch configuration' }) as HTMLSelectElement;
    expect([...picker.options].filter((option) => !option.disabled).map((option) => option.text)).toEqual([
      'Current File', 'Run pkg', 'Add Configuration…', 'Open launch.json',
    ]);
    expect(screen.getByRole('button', { name: 'launch.json has problems' }).getAttribute('title')).toContain('"Old"');

    await act(async () => {
      fireEvent.change(picker, { target: { value: 'Run pkg' } });
      await settle();
    });
    expect(useSettingsStore.getState().settings.launchChoices).toEqual({ [W]: 'Run pkg' });
    await act(async () => {
      await runCommand('debug.start');
      await settle();
    });
    const start = bridge.invokes.find((call) => call.channel === 'dap.start');
    // The app has no terminal: output comes to the Debug Console.
    expect(start?.args[0]).toEqual({ launch: { module: 'pkg.main', args: ['--fast'], cwd: W, console: 'internalConsole' } });
    expect(bridge.requests('launch')[0].arguments).toMatchObject({ module: 'pkg.main' });
  });

  it('starts on the first configuration in a folder where nothing was chosen, and keeps Current File once it is chosen', async () => {
    bridge.launchList = {
      file: `${W}/.vscode/launch.json`,
      exists: true,
      configurations: [{ name: 'Run pkg', type: 'debugpy', request: 'launch' }, { name: 'Tests', type: 'debugpy', request: 'launch' }],
      errors: [],
    };
    await openWorkspace();
    const picker = screen.getByRole('combobox', { name: 'Launch configuration' }) as HTMLSelectElement;
    expect(picker.value).toBe('Run pkg');
    await act(async () => {
      fireEvent.change(picker, { target: { value: 'Current File' } });
      await settle();
    });
    expect(useSettingsStore.getState().settings.launchChoices).toEqual({ [W]: 'Current File' });
    await act(async () => {
      await refreshLaunchConfigurations();
      await settle();
    });
    expect(picker.value).toBe('Current File');
  });

  it('restores the remembered choice when the folder opens again', async () => {
    bridge.settings = { ...bridge.settings, launchChoices: { [W]: 'Run pkg' } };
    useSettingsStore.getState().setSettings(bridge.settings);
    bridge.launchList = {
      file: `${W}/.vscode/launch.json`, exists: true, configurations: [{ name: 'Run pkg', type: 'debugpy', request: 'launch' }], errors: [],
    };
    await openWorkspace();
    expect((screen.getByRole('combobox', { name: 'Launch configuration' }) as HTMLSelectElement).value).toBe('Run pkg');
  });
  it('F5 pressed before the folder\'s launch.json is read starts the configuration the picker then shows, not Current File', async () => {
    bridge.settings = { ...bridge.settings, launchChoices: { [W]: 'Run pkg' } };
    useSettingsStore.getState().setSettings(bridge.settings);
    bridge.launchList = {
      file: `${W}/.vscode/launch.json`, exists: true, configurations: [{ name: 'Run pkg', type: 'debugpy', request: 'launch' }], errors: [],
    };
    bridge.resolvedConfigurations.set('Run pkg', { request: 'launch', name: 'Run pkg', arguments: { module: 'pkg.main', cwd: W } });
    useEditorStore.getState().addFile(`${W}/pkg/main.py`, documents.open(`${W}/pkg/main.py`, 'print("main")\n'), 1);
    let readLaunchJson = (): void => undefined;
    bridge.invokeGates.set('launch.configurations', new Promise<void>((resolve) => { readLaunchJson = resolve; }));
    render(<App />);
    let pressed: Promise<void> | undefined;
    await act(async () => {
      showFolder(W);
      pressed = runCommand('debug.start');
      void runCommand('debug.start'); // pressed twice: still one session
      await settle();
    });
    expect(bridge.invokes.some((call) => call.channel === 'dap.start')).toBe(false);
    await act(async () => {
      readLaunchJson();
      await pressed;
      await settle();
    });
    const starts = bridge.invokes.filter((call) => call.channel === 'dap.start');
    expect(starts.map((call) => call.args[0])).toEqual([{ launch: { module: 'pkg.main', cwd: W, console: 'internalConsole' } }]);
  });
});

describe('${command:pickProcess} in an attach configuration', () => {
  const PICK = 'Attach to a worker';

  async function pressF5WithPickConfiguration(): Promise<void> {
    bridge.settings = { ...bridge.settings, launchChoices: { [W]: PICK } };
    useSettingsStore.getState().setSettings(bridge.settings);
    bridge.launchList = { file: `${W}/.vscode/launch.json`, exists: true, configurations: [{ name: PICK, type: 'debugpy', request: 'attach' }], errors: [] };
    // As the host does: nothing substituted until the picker has answered.
    bridge.resolvedConfigurations.set(PICK, (context) =>
      context.commands?.pickProcess === undefined
        ? { request: 'attach', name: PICK, arguments: {}, commandsNeeded: ['pickProcess'] }
        : { request: 'attach', name: PICK, arguments: { processId: context.commands.pickProcess, subProcess: false } },
    );
    bridge.pythonProcesses = [
      { pid: 4242, commandLine: 'python worker.py --queue jobs', executable: '/usr/bin/python3' },
      { pid: 5151, commandLine: 'python other.py', executable: '/usr/bin/python3' },
    ];
    await openWorkspace();
    await act(async () => {
      void runCommand('debug.start');
      await settle();
    });
  }

  it('shows the process picker and attaches to the chosen process id', async () => {
    await pressF5WithPickConfiguration();
    const picker = screen.getByRole('dialog', { name: 'Pick the process to attach to' });
    expect(bridge.invokes.some((call) => call.channel === 'dap.start')).toBe(false);
    await act(async () => {
      fireEvent.change(within(picker).getByRole('combobox', { name: 'Filter processes' }), { target: { value: 'worker' } });
      await settle();
    });
    expect(within(picker).getAllByRole('option').map((option) => option.textContent)).toEqual(['4242 python worker.py --queue jobs']);
    await act(async () => {
      fireEvent.keyDown(within(picker).getByRole('combobox', { name: 'Filter processes' }), { key: 'Enter' });
      await settle();
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    const resolves = bridge.invokes.filter((call) => call.channel === 'launch.resolve');
    expect(resolves.at(-1)?.args[2]).toMatchObject({ commands: { pickProcess: '4242' } });
    expect(bridge.invokes.filter((call) => call.channel === 'dap.start').map((call) => call.args[0])).toEqual([
      { attach: { justMyCode: true, processId: '4242', subProcess: false } },
    ]);
  });

  it('cancelling the picker cancels the start, without an error', async () => {
    await pressF5WithPickConfiguration();
    const picker = screen.getByRole('dialog', { name: 'Pick the process to attach to' });
    await act(async () => {
      fireEvent.keyDown(within(picker).getByRole('combobox', { name: 'Filter processes' }), { key: 'Escape' });
      await settle();
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bridge.invokes.filter((call) => call.channel === 'launch.resolve')).toHaveLength(1);
    expect(bridge.invokes.some((call) => call.channel === 'dap.start')).toBe(false);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('Debug Test', () => {
  it('runs one test with python -m pytest file::name from the folder', async () => {
    await openWorkspace();
    await act(async () => {
      await debugTest(`${W}/tests/test_main.py`, { nodeName: 'TestMain::test_it', unittestName: null, line: 3 });
      await settle();
    });
    const start = bridge.invokes.find((call) => call.channel === 'dap.start');
    expect(start?.args[0]).toMatchObject({
      launch: { module: 'pytest', args: ['tests/test_main.py::TestMain::test_it'], cwd: W, python: '/usr/bin/python3' },
    });
  });

  it('uses unittest when pytest is missing, and says why a pytest-style function cannot run', async () => {
    bridge.testRunner = { runner: 'unittest', python: '/opt/py/bin/python' };
    await openWorkspace();
    await act(async () => {
      await debugTest(`${W}/tests/test_main.py`, { nodeName: 'Checks::test_eq', unittestName: 'Checks.test_eq', line: 3 });
      await settle();
    });
    expect(bridge.invokes.find((call) => call.channel === 'dap.start')?.args[0]).toMatchObject({
      launch: { module: 'unittest', args: ['-v', 'tests.test_main.Checks.test_eq'], cwd: W },
    });
    await act(async () => {
      await debugTest(`${W}/tests/test_main.py`, { nodeName: 'test_plain', unittestName: null, line: 9 });
      await settle();
    });
    expect(screen.getByRole('alert').textContent).toContain('pytest is not installed for /opt/py/bin/python');
  });
});
