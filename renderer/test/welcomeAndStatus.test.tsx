import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { FakeAdapterBridge, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';

vi.mock('../src/editor/MonacoView', () => ({ MonacoView: () => <div data-testid="code-editor" /> }));

import { App } from '../src/components/App';
import { setBridge } from '../src/bridge/bridgeAccess';
import { loadHostState } from '../src/bootstrap';
import { startDebugging } from '../src/session/sessionController';
import { useBreakpointStore } from '../src/stores/breakpointStore';
import { useEditorStore } from '../src/stores/editorStore';
import { useSessionStore } from '../src/stores/sessionStore';
import { useUiStore } from '../src/stores/uiStore';

let bridge: FakeAdapterBridge;

beforeEach(() => {
  resetStores();
  bridge = new FakeAdapterBridge();
  bridge.files.set('/demo/demo.py', 'print("demo")\n');
  setBridge(bridge);
});

describe('welcome view', () => {
  it('debugs the bundled demo and lists recent files that open on click', async () => {
    bridge.settings = { ...bridge.settings, recentFiles: [PROGRAM] };
    render(<App />);
    await act(async () => {
      await loadHostState();
    });
    const welcome = screen.getByRole('region', { name: 'Welcome' });
    const recent = within(welcome).getByRole('navigation', { name: 'Recent files' });
    expect(within(recent).getByRole('button', { name: 'app.py' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(welcome).getByRole('button', { name: 'Debug the Demo' }));
      await settle();
    });
    expect(useSessionStore.getState().program).toBe('/demo/demo.py');
    expect(useEditorStore.getState().files['/demo/demo.py']).toBeTruthy();
    expect(bridge.settings.recentFiles).toEqual(['/demo/demo.py', PROGRAM]);
  });

  it('opens a typed path in the browser host and says clearly when it cannot', async () => {
    render(<App />);
    await act(async () => {
      await loadHostState();
    });
    const input = screen.getByRole('textbox', { name: 'File path' });
    await act(async () => {
      fireEvent.change(input, { target: { value: '/nope.py' } });
      fireEvent.submit(input);
      await settle();
    });
    expect(screen.getByRole('alert').textContent).toContain('Could not open /nope.py: No such file: /nope.py');
    await act(async () => {
      fireEvent.change(input, { target: { value: PROGRAM } });
      fireEvent.submit(input);
      await settle();
    });
    expect(useEditorStore.getState().activePath).toBe(PROGRAM);
    expect(screen.getByRole('tab', { name: /app\.py/ })).toBeTruthy();
  });
});

describe('status bar and breakpoint editor', () => {
  it('shows the interpreter version the adapter reports and the unapplied-changes count', async () => {
    render(<App />);
    await act(async () => {
      await startDebugging(PROGRAM);
      await settle();
      bridge.sendEvent('dapper/pythonInfo', { version: '3.12.1', implementation: 'cpython', executable: '/usr/bin/python3.12' });
      await settle();
    });
    const status = screen.getByRole('status', { name: 'Status' });
    expect(status.textContent).toContain('Paused (entry)');
    expect(status.textContent).toContain('Python 3.12.1');
    expect(status.textContent).toContain('No unapplied changes');
  });

  it('edits condition, hit count and log message of a breakpoint and sends them', async () => {
    useBreakpointStore.getState().add(PROGRAM, 4);
    render(<App />);
    await act(async () => {
      await startDebugging(PROGRAM);
      await settle();
    });
    act(() => useUiStore.getState().openBreakpointEditor({ path: PROGRAM, line: 4 }));
    const dialog = screen.getByRole('dialog', { name: 'Edit breakpoint at app.py:4' });
    fireEvent.change(within(dialog).getByLabelText('Condition'), { target: { value: 'x > 1' } });
    fireEvent.change(within(dialog).getByLabelText('Hit count'), { target: { value: '3' } });
    fireEvent.change(within(dialog).getByLabelText('Log message'), { target: { value: 'x is {x}' } });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
      await settle();
    });
    const sent = bridge.requests('setBreakpoints').at(-1)?.arguments as { breakpoints: unknown[] };
    expect(sent.breakpoints).toEqual([{ line: 4, condition: 'x > 1', hitCondition: '3', logMessage: 'x is {x}' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('region', { name: 'Breakpoints' }).textContent).toContain('if x > 1, hits 3, log "x is {x}"');
  });
});
