/**
 * Select Interpreter and the Settings view as a user drives them: the status-bar button opens
 * the picker; interpreters show version and origin; an unusable one says why and cannot be
 * chosen; the choice is stored per folder and used by the next launch; a typed path is
 * checked; settings.json's default applies until a choice is made; Settings switches save.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { InterpreterInfo } from '../../common/bridge';
import { FakeAdapterBridge, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';

vi.mock('../src/editor/MonacoView', () => ({ MonacoView: () => <div data-testid="code-editor" /> }));

import { App } from '../src/components/App';
import { setBridge } from '../src/bridge/bridgeAccess';
import { startDebugging } from '../src/session/sessionController';
import { useInterpreterStore } from '../src/stores/interpreterStore';
import { useNoticeStore } from '../src/stores/noticeStore';
import { useSettingsStore } from '../src/stores/settingsStore';
import { useUiStore } from '../src/stores/uiStore';
import { useWorkspaceStore } from '../src/stores/workspaceStore';

const FOLDER = '/project';
const VENV: InterpreterInfo = { path: '/project/.venv/bin/python', version: '3.12.1', source: 'workspace venv', problem: null };
const PYENV: InterpreterInfo = { path: '/home/me/.pyenv/versions/3.10.13/bin/python', version: '3.10.13', source: 'pyenv', problem: null };
const OLD: InterpreterInfo = {
  path: '/home/me/.pyenv/versions/3.8.18/bin/python',
  version: '3.8.18',
  source: 'pyenv',
  problem: 'The interpreter /home/me/.pyenv/versions/3.8.18/bin/python is Python 3.8.18; Dapper needs Python 3.9 or newer. Choose another one.',
};

let bridge: FakeAdapterBridge;

beforeEach(() => {
  resetStores();
  useInterpreterStore.setState({ discoveredFor: undefined, discovery: null, loading: false, error: null, pickerVisible: false });
  useUiStore.setState({ settingsVisible: false });
  useWorkspaceStore.setState({ folder: FOLDER });
  bridge = new FakeAdapterBridge();
  bridge.interpreters = { interpreters: [VENV, PYENV, OLD], defaultInterpreterPath: null, settingsProblem: null };
  setBridge(bridge);
});

async function openPicker(): Promise<HTMLElement> {
  render(<App />);
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Select Interpreter' }));
    await settle();
  });
  return screen.getByRole('dialog', { name: 'Select Interpreter' });
}

function launchedPython(): unknown {
  const launch = bridge.requests('launch').at(-1)?.arguments as { python?: unknown } | undefined;
  return launch?.python;
}

describe('Select Interpreter', () => {
  it('lists the folder interpreters with version and origin; choosing one stores it for the folder and the next launch uses it', async () => {
    const picker = await openPicker();
    const options = within(picker).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      expect.stringContaining('Automatic'),
      expect.stringContaining('Python 3.12.1 — workspace venv/project/.venv/bin/python'),
      expect.stringContaining('Python 3.10.13 — pyenv'),
      expect.stringContaining('Python 3.8.18 — pyenv'),
    ]);
    expect(bridge.invokes.filter((item) => item.channel === 'interpreters.discover').every((item) => item.args[0] === FOLDER)).toBe(true);

    await act(async () => {
      fireEvent.click(options[2]);
      await settle();
    });
    expect(screen.queryByRole('dialog', { name: 'Select Interpreter' })).toBeNull();
    expect(bridge.settings.interpreterChoices).toEqual({ [FOLDER]: PYENV.path });
    expect(bridge.settings.python).toBe('');
    expect(screen.getByRole('button', { name: 'Select Interpreter' }).textContent).toBe(`Python 3.10.13: ${PYENV.path}`);

    await act(async () => {
      await startDebugging(PROGRAM);
      await settle();
    });
    expect(launchedPython()).toBe(PYENV.path);
  });

  it('an interpreter older than 3.9 says so by name and cannot be chosen (keyboard too)', async () => {
    const picker = await openPicker();
    const old = within(picker).getAllByRole('option')[3];
    expect(old.getAttribute('aria-disabled')).toBe('true');
    expect(old.textContent).toContain(OLD.problem!);
    const list = within(picker).getByRole('listbox', { name: 'Interpreters' });
    for (let i = 0; i < 3; i++) fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(list.getAttribute('aria-activedescendant')).toBe('interpreter-option-3');
    await act(async () => {
      fireEvent.keyDown(list, { key: 'Enter' });
      await settle();
    });
    expect(useNoticeStore.getState().notices.map((notice) => notice.message)).toContain(OLD.problem);
    expect(bridge.settings.interpreterChoices).toEqual({});
    expect(screen.getByRole('dialog', { name: 'Select Interpreter' })).toBeTruthy();
  });

  it('a typed path is checked: one that does not start is refused with a message naming it', async () => {
    const picker = await openPicker();
    const input = within(picker).getByRole('textbox', { name: 'Interpreter path' });
    await act(async () => {
      fireEvent.change(input, { target: { value: '/opt/missing/python' } });
      fireEvent.submit(input.closest('form')!);
      await settle();
    });
    expect(useNoticeStore.getState().notices.map((notice) => notice.message)).toContain(
      'The interpreter /opt/missing/python does not start: the file does not exist. Choose another one.',
    );
    expect(bridge.settings.interpreterChoices).toEqual({});

    bridge.checkInterpreter = (path) => ({ path, version: '3.13.0', source: 'chosen', problem: null });
    await act(async () => {
      fireEvent.change(input, { target: { value: '/opt/python3.13/bin/python' } });
      fireEvent.submit(input.closest('form')!);
      await settle();
    });
    expect(bridge.settings.interpreterChoices).toEqual({ [FOLDER]: '/opt/python3.13/bin/python' });
  });

  it("settings.json's python.defaultInterpreterPath is used until a choice is made; Automatic goes back to it", async () => {
    const fromFile: InterpreterInfo = { ...VENV, path: '/project/tools/python', source: 'settings.json' };
    bridge.interpreters = { interpreters: [fromFile, VENV], defaultInterpreterPath: '${workspaceFolder}/tools/python', settingsProblem: null };
    bridge.settings = { ...bridge.settings, interpreterChoices: { [FOLDER]: VENV.path } };
    useSettingsStore.getState().setSettings(bridge.settings);
    const picker = await openPicker();
    expect(within(picker).getByText(/Current: \/project\/.venv\/bin\/python \(chosen for this folder\)/)).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(picker).getAllByRole('option')[0]);
      await settle();
    });
    expect(bridge.settings.interpreterChoices).toEqual({});
    await act(async () => {
      await startDebugging(PROGRAM);
      await settle();
    });
    expect(launchedPython()).toBe('/project/tools/python');
  });

  it('without a folder the choice is the global python setting', async () => {
    useWorkspaceStore.setState({ folder: null });
    const picker = await openPicker();
    await act(async () => {
      fireEvent.click(within(picker).getAllByRole('option')[1]);
      await settle();
    });
    expect(bridge.settings.python).toBe(VENV.path);
    expect(bridge.settings.interpreterChoices).toEqual({});
  });
});

describe('Settings view', () => {
  it('shows applyOnSave, prepareApplyWhileEditing, stopOnEntry, justMyCode and the interpreter; a switch saves at once', async () => {
    render(<App />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
      await settle();
    });
    const view = screen.getByRole('dialog', { name: 'Settings' });
    const switches = within(view).getAllByRole('switch');
    expect(switches.map((item) => item.closest('label')?.textContent)).toEqual([
      expect.stringContaining('Apply Changes on save'),
      expect.stringContaining('Faster Apply Changes while running'),
      expect.stringContaining('Stop on entry'),
      expect.stringContaining('Just my code'),
    ]);
    expect(switches.map((item) => (item as HTMLInputElement).checked)).toEqual([true, true, true, true]);
    await act(async () => {
      fireEvent.click(within(view).getByRole('switch', { name: /Stop on entry/ }));
      await settle();
    });
    expect(bridge.settings.stopOnEntry).toBe(false);
    expect((within(view).getByRole('switch', { name: /Stop on entry/ }) as HTMLInputElement).checked).toBe(false);
    await act(async () => {
      await startDebugging(PROGRAM);
      await settle();
    });
    expect((bridge.requests('launch').at(-1)?.arguments as { stopOnEntry?: boolean }).stopOnEntry).toBe(false);

    const interpreter = within(view).getByRole('group', { name: 'Interpreter' });
    expect(interpreter.textContent).toContain('automatic');
    await act(async () => {
      fireEvent.click(within(interpreter).getByRole('button', { name: 'Select Interpreter…' }));
      await settle();
    });
    expect(screen.getByRole('dialog', { name: 'Select Interpreter' })).toBeTruthy();
  });

  it('a setting the host refuses to save is reported in the view', async () => {
    bridge.settings = { ...bridge.settings };
    const original = bridge.invoke.bind(bridge);
    bridge.invoke = ((channel: string, ...args: unknown[]) =>
      channel === 'settings.update' ? Promise.reject(new Error('disk full')) : (original as (...a: unknown[]) => Promise<unknown>)(channel, ...args)) as typeof bridge.invoke;
    render(<App />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
      await settle();
    });
    const view = screen.getByRole('dialog', { name: 'Settings' });
    await act(async () => {
      fireEvent.click(within(view).getByRole('switch', { name: /Just my code/ }));
      await settle();
    });
    expect(within(view).getByText(/Could not save the setting: .*disk full/)).toBeTruthy();
    expect(useSettingsStore.getState().settings.justMyCode).toBe(true);
  });
});
