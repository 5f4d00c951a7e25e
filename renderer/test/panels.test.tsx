import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { FakeAdapterBridge, HELPER, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';

// Monaco needs a real browser; the editor view is exercised end to end (e2e/), not here.
vi.mock('../src/editor/MonacoView', () => ({ MonacoView: () => <div data-testid="code-editor" /> }));

import { App } from '../src/components/App';
import { setBridge } from '../src/bridge/bridgeAccess';
import { openFile } from '../src/session/fileActions';
import { startDebugging } from '../src/session/sessionController';
import { useBreakpointStore } from '../src/stores/breakpointStore';
import { useEditorStore } from '../src/stores/editorStore';
import { useSessionStore } from '../src/stores/sessionStore';
import type { InMemoryDocumentHost } from '../src/editor/documentHost';

let bridge: FakeAdapterBridge;
let documents: InMemoryDocumentHost;

beforeEach(() => {
  documents = resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
});

async function startStopped(): Promise<void> {
  await act(async () => {
    await openFile(PROGRAM);
    await startDebugging(PROGRAM);
    await settle();
  });
}

describe('debugger window', () => {
  it('has the toolbar buttons and titled panels screen readers and tests rely on', () => {
    render(<App />);
    for (const name of ['Continue', 'Step Over', 'Step Into', 'Step Out', 'Restart', 'Stop', 'Apply Changes']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
    for (const title of ['Variables', 'Watch', 'Call Stack', 'Breakpoints', 'Debug Console']) {
      const region = screen.getByRole('region', { name: title });
      expect(within(region).getByRole('heading', { name: title })).toBeTruthy();
    }
  });

  it('swaps Continue for Pause while running and enables stepping only when stopped', async () => {
    render(<App />);
    await startStopped();
    expect((screen.getByRole('button', { name: 'Step Over' }) as HTMLButtonElement).disabled).toBe(false);
    act(() => useSessionStore.getState().setRunning());
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Step Over' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
      await settle();
    });
    expect(bridge.requests('pause')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Continue' })).toBeTruthy();
  });

  it('shows variables and the call stack of a stop; clicking a frame selects it', async () => {
    render(<App />);
    await startStopped();
    const variables = screen.getByRole('region', { name: 'Variables' });
    expect(within(variables).getByRole('treeitem', { name: 'x = 1' })).toBeTruthy();
    const stack = screen.getByRole('region', { name: 'Call Stack' });
    await act(async () => {
      fireEvent.click(within(stack).getByRole('button', { name: /^main, app\.py:4/ }));
      await settle();
    });
    expect(useSessionStore.getState().selectedFrameId).toBe(10);
    expect(bridge.requests('scopes').at(-1)?.arguments).toEqual({ frameId: 10 });
  });

  it("adds a variable to Watch and copies its value from the variable's row", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<App />);
    await startStopped();
    const variables = screen.getByRole('region', { name: 'Variables' });
    await act(async () => {
      fireEvent.click(within(variables).getByRole('button', { name: 'Add x to Watch' }));
      await settle();
    });
    const watch = screen.getByRole('region', { name: 'Watch' });
    expect(within(watch).getByRole('treeitem', { name: 'x = <x>' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(variables).getByRole('button', { name: 'Copy value of x' }));
      await settle();
    });
    expect(writeText).toHaveBeenCalledWith('1');
  });

  it('shows an object with hundreds of named members 200 at a time, with a Show more row', async () => {
    bridge.wideCount = 450;
    render(<App />);
    await startStopped();
    const variables = screen.getByRole('region', { name: 'Variables' });
    await act(async () => {
      fireEvent.click(within(variables).getByText('wide'));
      await settle();
    });
    const members = () => within(variables).queryAllByRole('treeitem', { name: /^attr\d+ = / });
    expect(members()).toHaveLength(200);
    expect(bridge.requests('variables').filter((r) => r.arguments?.variablesReference === 400)).toHaveLength(1);
    fireEvent.click(within(variables).getByRole('button', { name: 'Show 200 more (250 not shown)' }));
    expect(members()).toHaveLength(400);
    fireEvent.click(within(variables).getByRole('button', { name: 'Show 50 more (50 not shown)' }));
    expect(members()).toHaveLength(450);
    expect(within(variables).getByRole('treeitem', { name: 'attr449 = 449' })).toBeTruthy();
    expect(within(variables).queryByRole('button', { name: /^Show \d+ more/ })).toBeNull();
  });

  it('marks frames left running old code after an apply, with an explanation', async () => {
    render(<App />);
    await startStopped();
    const version = documents.edit(HELPER, 'def work(x):\n    return x + 5\n');
    act(() => useEditorStore.getState().setCurrentVersion(HELPER, version));
    expect((screen.getByRole('button', { name: 'Apply Changes' }) as HTMLButtonElement).disabled).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Apply Changes' }));
      await settle();
    });
    const stack = screen.getByRole('region', { name: 'Call Stack' });
    const badge = within(stack).getByText('old code');
    expect(badge.getAttribute('title')).toContain('keeps running the old code');
    expect(badge.getAttribute('title')).toContain('Restart Frame runs this call again');
    expect(within(stack).getByRole('button', { name: /^work \(old code\)/ })).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Status' }).textContent).toContain('Applied helper.py: 1 function patched');
    expect((screen.getByRole('button', { name: 'Apply Changes' }) as HTMLButtonElement).disabled).toBe(true);

    // The apply summary offers to run the stale frame again with the new code, in one click.
    const status = screen.getByRole('status', { name: 'Status' });
    await act(async () => {
      fireEvent.click(within(status).getByRole('button', { name: 'Restart frame' }));
      await settle();
    });
    expect(bridge.requests('restartFrame')[0]?.arguments).toEqual({ frameId: 11 });
    expect(useSessionStore.getState().stopReason).toBe('restart');
    expect(within(stack).queryByText('old code')).toBeNull();
    expect(within(status).queryByRole('button', { name: 'Restart frame' })).toBeNull();
  });

  it('restarts a frame from its row button and from its context menu', async () => {
    render(<App />);
    await startStopped();
    const stack = screen.getByRole('region', { name: 'Call Stack' });
    const row = (name: RegExp) => within(stack).getByRole('button', { name }).closest('li') as HTMLElement;
    const button = within(row(/^work, /)).getByRole('button', { name: 'Restart Frame' });
    expect(button.getAttribute('aria-disabled')).toBeNull();
    expect(button.getAttribute('title')).toMatch(/not undone/);
    await act(async () => {
      fireEvent.click(button);
      await settle();
    });
    expect(bridge.requests('restartFrame').map((r) => r.arguments)).toEqual([{ frameId: 11 }]);
    await act(async () => {
      fireEvent.contextMenu(within(row(/^main, /)).getByRole('button', { name: /^main, / }));
      await settle();
    });
    const menu = within(stack).getByRole('menu');
    await act(async () => {
      fireEvent.click(within(menu).getByRole('menuitem', { name: 'Restart Frame' }));
      await settle();
    });
    expect(bridge.requests('restartFrame').map((r) => r.arguments)).toEqual([{ frameId: 11 }, { frameId: 10 }]);
    expect(within(stack).queryByRole('menu')).toBeNull();
  });

  it('shows Restart Frame disabled with the adapter\'s reason where canRestart is false, and sends nothing', async () => {
    const reason = 'work() is library code: only your own files are prepared for Restart Frame.';
    bridge.overrides.set('stackTrace', () => ({
      body: {
        stackFrames: [
          { id: 11, name: 'work', line: 2, column: 1, source: { path: HELPER, name: 'helper.py' }, canRestart: false, restartRefusal: reason },
          { id: 10, name: 'main', line: 4, column: 1, source: { path: PROGRAM, name: 'app.py' }, canRestart: false },
        ],
        totalFrames: 2,
      },
    }));
    render(<App />);
    await startStopped();
    const version = documents.edit(HELPER, 'def work(x):\n    return x + 5\n');
    act(() => useEditorStore.getState().setCurrentVersion(HELPER, version));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Apply Changes' }));
      await settle();
    });
    const stack = screen.getByRole('region', { name: 'Call Stack' });
    const badge = within(stack).getByText('old code');
    expect(badge.getAttribute('title')).toContain('keeps running the old code');
    expect(badge.getAttribute('title')).not.toContain('Restart Frame');
    const row = within(stack).getByRole('button', { name: /^work \(old code\)/ }).closest('li') as HTMLElement;
    const button = within(row).getByRole('button', { name: 'Restart Frame' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('title')).toBe(reason);
    fireEvent.click(button);
    await act(async () => {
      fireEvent.contextMenu(row);
      await settle();
    });
    const item = within(within(stack).getByRole('menu')).getByRole('menuitem', { name: 'Restart Frame' });
    expect(item.getAttribute('aria-disabled')).toBe('true');
    expect(within(stack).getByRole('menu').textContent).toContain(reason);
    fireEvent.click(item);
    fireEvent.keyDown(item, { key: 'Escape' });
    expect(within(stack).queryByRole('menu')).toBeNull();
    expect(within(screen.getByRole('status', { name: 'Status' })).queryByRole('button', { name: 'Restart frame' })).toBeNull();
    await settle();
    expect(bridge.requests('restartFrame')).toHaveLength(0);
  });

  it('adds and removes watch expressions, evaluated in the selected frame', async () => {
    render(<App />);
    await startStopped();
    const watch = screen.getByRole('region', { name: 'Watch' });
    const input = within(watch).getByRole('textbox', { name: 'Add watch expression' });
    await act(async () => {
      fireEvent.change(input, { target: { value: 'x * 2' } });
      fireEvent.submit(input);
      await settle();
    });
    expect(within(watch).getByRole('treeitem', { name: 'x * 2 = <x * 2>' })).toBeTruthy();
    expect(bridge.requests('evaluate').at(-1)?.arguments).toEqual({ expression: 'x * 2', frameId: 11, context: 'watch' });
    fireEvent.click(within(watch).getByRole('button', { name: 'Edit watch expression x * 2' }));
    const editor = within(watch).getByRole('textbox', { name: 'Edit watch expression x * 2' });
    await act(async () => {
      fireEvent.change(editor, { target: { value: 'x * 3' } });
      fireEvent.blur(editor);
      await settle();
    });
    expect(within(watch).getByRole('treeitem', { name: 'x * 3 = <x * 3>' })).toBeTruthy();
    fireEvent.click(within(watch).getByRole('button', { name: 'Remove watch expression x * 3' }));
    expect(within(watch).queryByRole('treeitem')).toBeNull();
  });

  it('lists breakpoints with enable checkboxes and remove buttons, synced to the adapter', async () => {
    useBreakpointStore.getState().add(PROGRAM, 4);
    render(<App />);
    await startStopped();
    const panel = screen.getByRole('region', { name: 'Breakpoints' });
    await act(async () => {
      fireEvent.click(within(panel).getByRole('checkbox', { name: 'Enable breakpoint app.py:4' }));
      await settle();
    });
    const last = bridge.requests('setBreakpoints').at(-1)?.arguments as { breakpoints: unknown[] };
    expect(last.breakpoints).toEqual([]);
    await act(async () => {
      fireEvent.click(within(panel).getByRole('checkbox', { name: 'Raised Exceptions' }));
      await settle();
    });
    expect(bridge.requests('setExceptionBreakpoints').at(-1)?.arguments).toEqual({ filters: ['raised', 'uncaught'] });
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Remove breakpoint app.py:4' }));
      await settle();
    });
    expect(useBreakpointStore.getState().breakpoints).toEqual([]);
  });

  it('evaluates console input in the selected frame and walks history with Up', async () => {
    render(<App />);
    await startStopped();
    const input = screen.getByRole('combobox', { name: 'Evaluate expression' });
    await act(async () => {
      fireEvent.change(input, { target: { value: 'boom' } });
      fireEvent.keyDown(input, { key: 'Enter' });
      await settle();
    });
    expect(bridge.requests('evaluate').at(-1)?.arguments).toEqual({ expression: 'boom', context: 'repl', frameId: 11 });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect((input as HTMLInputElement).value).toBe('boom');
  });

  it('sends a line to the program in Program input mode', async () => {
    render(<App />);
    await startStopped();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Program input' }));
    const input = screen.getByRole('combobox', { name: 'Program input' });
    await act(async () => {
      fireEvent.change(input, { target: { value: '42' } });
      fireEvent.keyDown(input, { key: 'Enter' });
      await settle();
    });
    expect(bridge.requests('dapper/sendInput')[0]?.arguments).toEqual({ text: '42' });
  });

  it('asks before closing a tab with unsaved edits', async () => {
    render(<App />);
    await act(async () => {
      await openFile(PROGRAM);
    });
    const version = documents.edit(PROGRAM, 'changed');
    act(() => useEditorStore.getState().setCurrentVersion(PROGRAM, version));
    expect(screen.getByRole('tab', { name: /app\.py.*unsaved changes/ })).toBeTruthy();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    fireEvent.click(screen.getByRole('button', { name: 'Close app.py' }));
    expect(confirm).toHaveBeenCalledWith('app.py has unsaved changes. Close it and discard them?');
    expect(useEditorStore.getState().order).toEqual([PROGRAM]);
    expect(bridge.invokes.filter((item) => item.channel === 'window.setDirty').at(-1)?.args).toEqual([true]);
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(true);
    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByRole('button', { name: 'Close app.py' }));
    expect(useEditorStore.getState().order).toEqual([]);
    confirm.mockRestore();
  });

  it('refuses a dropped non-Python file and debugs a dropped .py file from the browser', async () => {
    render(<App />);
    await act(async () => {
      fireEvent.drop(window, { dataTransfer: { files: [new File(['x'], 'notes.txt')], types: ['Files'] } });
      await settle();
    });
    expect(document.body.textContent).toContain('notes.txt is not a Python file. Drop a .py file to debug it.');
    await act(async () => {
      fireEvent.drop(window, { dataTransfer: { files: [new File(['print(1)\n'], 'drop.py')], types: ['Files'] } });
      await settle();
    });
    expect(document.body.textContent).not.toContain('Could not use');
    expect(bridge.files.get('/tmp/dropped/drop.py')).toBe('print(1)\n');
    expect(document.body.textContent).toContain('drop.py was saved as /tmp/dropped/drop.py');
    expect(useSessionStore.getState().program).toBe('/tmp/dropped/drop.py');
  });
});
