/**
 * F5 pressed while a session is still starting does what the user meant (run on past the
 * entry stop; never a second session), and Ctrl+Alt+Enter is left to Monaco's find widget
 * (Replace All) when it is open.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { FakeAdapterBridge, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import { setBridge } from '../src/bridge/bridgeAccess';
import { rootSession } from '../src/session/sessions';
import { runCommand } from '../src/session/commands';
import { openFile } from '../src/session/fileActions';
import { startDebugging } from '../src/session/sessionController';
import { isFindWidgetActive } from '../src/keyboard/findWidgetKeys';
import { useGlobalShortcuts } from '../src/keyboard/useGlobalShortcuts';
import { useConsoleStore } from '../src/stores/consoleStore';
import { useEditorStore } from '../src/stores/editorStore';
import { useSessionStore } from '../src/stores/sessionStore';

let bridge: FakeAdapterBridge;

beforeEach(() => {
  resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
});

describe('F5 while the session is starting', () => {
  it('runs on past the entry stop instead of being lost, with one session', async () => {
    await openFile(PROGRAM);
    const started = runCommand('debug.start');
    expect(useSessionStore.getState().status).toBe('starting');
    await runCommand('debug.start');
    await started;
    await settle();
    expect(bridge.invokes.filter((item) => item.channel === 'dap.start')).toHaveLength(1);
    expect(bridge.requests('continue')).toEqual([expect.objectContaining({ arguments: { threadId: 1 } })]);
    expect(useSessionStore.getState().status).toBe('running');
    useConsoleStore.getState().flush();
    expect(useConsoleStore.getState().lines.some((line) => line.text.includes('past its entry stop'))).toBe(true);
  });

  it('pressed twice while starting still continues only once', async () => {
    await openFile(PROGRAM);
    const started = runCommand('debug.start');
    await runCommand('debug.start');
    await runCommand('debug.start');
    await started;
    await settle();
    expect(bridge.requests('continue')).toHaveLength(1);
  });

  it('is fulfilled by a breakpoint stop: the program stays stopped there', async () => {
    bridge.overrides.set('configurationDone', () => {
      queueMicrotask(() => bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 }));
      return { body: {} };
    });
    await openFile(PROGRAM);
    const started = runCommand('debug.start');
    await runCommand('debug.start');
    await started;
    await settle();
    expect(bridge.requests('continue')).toHaveLength(0);
    expect(useSessionStore.getState().status).toBe('stopped');
    expect(useSessionStore.getState().stopReason).toBe('breakpoint');
    expect(useSessionStore.getState().continuePastEntry).toBe(false);
  });

  it('a start overtaken by another start leaves exactly one session (the later one)', async () => {
    const first = startDebugging(PROGRAM);
    const second = startDebugging(PROGRAM);
    await Promise.all([first, second]);
    await settle();
    const starts = bridge.invokes.filter((item) => item.channel === 'dap.start');
    expect(starts).toHaveLength(2);
    expect(bridge.invokes.filter((item) => item.channel === 'dap.dispose').map((item) => item.args[0])).toEqual(['s1']);
    expect(rootSession()?.id).toBe('s2');
    expect(bridge.requests('launch')).toHaveLength(1);
    expect(useSessionStore.getState().status).toBe('stopped');
  });
});

function ShortcutHost(): null {
  useGlobalShortcuts();
  return null;
}

/** A Monaco-like editor in the DOM, with or without its find widget open. */
function editorDom(findWidgetOpen: boolean): { editorText: HTMLTextAreaElement; replaceInput: HTMLTextAreaElement } {
  document.body.innerHTML = '';
  const editor = document.createElement('div');
  editor.className = 'monaco-editor';
  const editorText = document.createElement('textarea');
  editorText.className = 'inputarea';
  const widget = document.createElement('div');
  widget.className = `editor-widget find-widget${findWidgetOpen ? ' visible' : ''}`;
  const replaceInput = document.createElement('textarea');
  widget.append(replaceInput);
  editor.append(editorText, widget);
  document.body.append(editor);
  return { editorText, replaceInput };
}

function pressCtrlAltEnter(target: HTMLElement): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, altKey: true, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

describe('Ctrl+Alt+Enter and the find widget', () => {
  it('is left to the find widget (Replace All) in the replace input and in the editor while the widget is open', () => {
    const { editorText, replaceInput } = editorDom(true);
    expect(isFindWidgetActive(replaceInput)).toBe(true);
    expect(isFindWidgetActive(editorText)).toBe(true);
    render(<ShortcutHost />);
    expect(pressCtrlAltEnter(replaceInput).defaultPrevented).toBe(false);
    expect(pressCtrlAltEnter(editorText).defaultPrevented).toBe(false);
  });

  it('is Apply Changes when the find widget is closed', async () => {
    const { editorText } = editorDom(false);
    expect(isFindWidgetActive(editorText)).toBe(false);
    render(<ShortcutHost />);
    expect(pressCtrlAltEnter(editorText).defaultPrevented).toBe(true);
  });

  it('other shortcuts (F5) keep working while the find widget is open', async () => {
    const { replaceInput } = editorDom(true);
    useEditorStore.setState({ activePath: null });
    render(<ShortcutHost />);
    const event = new KeyboardEvent('keydown', { key: 'F5', bubbles: true, cancelable: true });
    replaceInput.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });
});
