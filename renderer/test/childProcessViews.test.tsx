/**
 * A child process's frame in Call Stack: selecting it shows that process's locals in Variables,
 * evaluates Watch and the Debug Console there (in the child's own session, whose frame ids
 * repeat the launched program's), and the selection goes back to the launched program when
 * the child runs on or the program stops. The toolbar's Continue and steps act on the selected
 * child process.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { FakeAdapterBridge, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';

// Monaco needs a real browser; the editor view is exercised end to end (e2e/), not here.
vi.mock('../src/editor/MonacoView', () => ({ MonacoView: () => <div data-testid="code-editor" /> }));

import { App } from '../src/components/App';
import { setBridge } from '../src/bridge/bridgeAccess';
import { evaluateInConsole, fetchCompletions } from '../src/session/consoleActions';
import { openFile } from '../src/session/fileActions';
import { startDebugging, stopDebugging } from '../src/session/sessionController';
import { useProcessStore } from '../src/stores/processStore';
import { useConsoleStore } from '../src/stores/consoleStore';
import { useWatchStore } from '../src/stores/watchStore';

let bridge: FakeAdapterBridge;

beforeEach(() => {
  resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
});

/** The program runs on (as a Pool's parent does) while its worker 4242 stops at a breakpoint. */
async function workerStopped(): Promise<{ root: string; child: string }> {
  render(<App />);
  useWatchStore.getState().add('item * 2');
  await act(async () => {
    await openFile(PROGRAM);
    await startDebugging(PROGRAM);
    await settle();
  });
  const root = bridge.currentSession;
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    bridge.startChildProcess(4242);
    await settle();
  });
  const [child] = [...bridge.childSessionIds];
  await act(async () => {
    bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 }, child);
    await settle();
  });
  return { root, child: child! };
}

function workerFrame(): HTMLElement {
  const process = within(screen.getByRole('region', { name: 'Call Stack' })).getByRole('listitem', { name: 'Process 4242' });
  return within(process).getByRole('button', { name: 'work, helper.py:2' });
}

async function click(element: HTMLElement): Promise<void> {
  await act(async () => {
    fireEvent.click(element);
    await settle();
  });
}

describe('a child process frame selected in Call Stack', () => {
  it("shows the worker's locals and evaluates Watch and the Debug Console in the worker", async () => {
    const { root, child } = await workerStopped();
    const rootScopes = bridge.requestsIn(root, 'scopes').length;
    const variables = screen.getByRole('region', { name: 'Variables' });
    expect(within(variables).getByText('Pause the program to see its variables.')).toBeTruthy();

    await click(workerFrame());

    expect(workerFrame().getAttribute('aria-current')).toBe('true');
    expect(within(variables).getByRole('treeitem', { name: 'item = 7' })).toBeTruthy();
    const watch = screen.getByRole('region', { name: 'Watch' });
    expect(within(watch).getByRole('treeitem', { name: 'item * 2 = worker:item * 2' })).toBeTruthy();
    expect(bridge.requestsIn(child, 'scopes').map((request) => request.arguments)).toEqual([{ frameId: 11 }]);
    expect(bridge.requestsIn(child, 'evaluate').map((request) => request.arguments)).toEqual([{ expression: 'item * 2', frameId: 11, context: 'watch' }]);
    expect(bridge.requestsIn(root, 'scopes')).toHaveLength(rootScopes);

    await act(async () => {
      await evaluateInConsole('item + 1');
      await settle();
    });
    const repl = bridge.requestsIn(child, 'evaluate').filter((request) => (request.arguments as { context?: string }).context === 'repl');
    expect(repl.map((request) => request.arguments)).toEqual([{ expression: 'item + 1', frameId: 11, context: 'repl' }]);
    expect(bridge.requestsIn(root, 'evaluate').filter((request) => (request.arguments as { context?: string }).context === 'repl')).toEqual([]);
    useConsoleStore.getState().flush();
    expect(useConsoleStore.getState().lines.some((line) => line.category === 'result' && line.text === 'worker:item + 1')).toBe(true);
    // Tab completion in the Debug Console offers the worker's names.
    expect((await fetchCompletions('it', 3)).map((item) => item.label)).toEqual(['item']);
    expect(bridge.requestsIn(child, 'completions').map((request) => request.arguments)).toEqual([{ text: 'it', column: 3, line: 1, frameId: 11 }]);

    // The worker runs on: its frame is gone, and so are its values.
    const process = within(screen.getByRole('region', { name: 'Call Stack' })).getByRole('listitem', { name: 'Process 4242' });
    await click(within(process).getByRole('button', { name: 'Continue process 4242' }));
    expect(within(variables).queryByRole('treeitem', { name: 'item = 7' })).toBeNull();
    expect(within(variables).getByText('Pause the program to see its variables.')).toBeTruthy();
  });

  it('gives the selection back to the program when the program stops', async () => {
    const { root } = await workerStopped();
    await click(workerFrame());
    const variables = screen.getByRole('region', { name: 'Variables' });
    expect(within(variables).getByRole('treeitem', { name: 'item = 7' })).toBeTruthy();

    await act(async () => {
      bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 }, root);
      await settle();
    });

    expect(workerFrame().getAttribute('aria-current')).toBeNull();
    expect(within(variables).getByRole('treeitem', { name: 'x = 1' })).toBeTruthy();
    expect(within(variables).queryByRole('treeitem', { name: 'item = 7' })).toBeNull();
    const stack = screen.getByRole('region', { name: 'Call Stack' });
    expect(within(stack).getAllByRole('button', { name: 'work, helper.py:2' }).find((button) => button.getAttribute('aria-current') === 'true')).toBeTruthy();
  });

  it("steps and continues the selected worker from the toolbar while the program runs on", async () => {
    const { root, child } = await workerStopped();
    await click(workerFrame());
    const stepOver = screen.getByRole('button', { name: 'Step Over' }) as HTMLButtonElement;
    expect(stepOver.disabled).toBe(false);
    const rootContinues = bridge.requestsIn(root, 'continue').length;

    await click(stepOver);

    expect(bridge.requestsIn(child, 'next').map((request) => request.arguments)).toEqual([{ threadId: 1 }]);
    expect(bridge.requestsIn(root, 'next')).toEqual([]);
    const process = within(screen.getByRole('region', { name: 'Call Stack' })).getByRole('listitem', { name: 'Process 4242' });
    const stepped = within(process).getByRole('button', { name: 'work, helper.py:3' });
    expect(stepped.getAttribute('aria-current')).toBe('true');
    expect(within(screen.getByRole('region', { name: 'Variables' })).getByRole('treeitem', { name: 'item = 7' })).toBeTruthy();

    await click(screen.getByRole('button', { name: 'Continue' }));
    expect(bridge.requestsIn(child, 'continue')).toHaveLength(1);
    expect(bridge.requestsIn(root, 'continue')).toHaveLength(rootContinues);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Step Over' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('a child process announced as the program ends', () => {
  it('is not debugged after the program: its session is disposed unseen', async () => {
    await startDebugging(PROGRAM);
    await settle();
    let openHost!: () => void;
    bridge.invokeGates.set('dap.start', new Promise<void>((resolve) => (openHost = resolve)));
    bridge.startChildProcess(4242);
    await settle();
    await stopDebugging();
    await settle();

    openHost();
    await settle();

    const [child] = [...bridge.childSessionIds];
    expect(child).toBeDefined();
    expect(bridge.invokes.filter((item) => item.channel === 'dap.dispose').map((item) => item.args[0])).toContain(child);
    expect(bridge.requestsIn(child!, 'attach')).toEqual([]);
    expect(useProcessStore.getState().processes).toEqual([]);
  });
});
