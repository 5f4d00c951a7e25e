/**
 * A child process's frame in Call Stack: selecting it shows that process's locals in Variables,
 * evaluates Watch and the Debug Console there (in the child's own session, whose frame ids
 * repeat the launched program's), and the selection goes back to the launched program when
 * the child runs on or the program stops. The toolbar's Continue and steps, Run to Cursor and
 * Jump to Cursor act on the selected child process; Restart Frame on a child's frame goes to
 * that child, and an apply marks the child's frames left on old code as the program's are.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { FakeAdapterBridge, HELPER, PROGRAM, notLoadedRefusal, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';

// Monaco needs a real browser; the editor view is exercised end to end (e2e/), not here.
vi.mock('../src/editor/MonacoView', () => ({ MonacoView: () => <div data-testid="code-editor" /> }));

import { App } from '../src/components/App';
import { setBridge } from '../src/bridge/bridgeAccess';
import type { InMemoryDocumentHost } from '../src/editor/documentHost';
import { evaluateInConsole, fetchCompletions } from '../src/session/consoleActions';
import { jumpToCursor, runToCursor } from '../src/session/cursorActions';
import { openFile } from '../src/session/fileActions';
import { startDebugging, stopDebugging } from '../src/session/sessionController';
import { useEditorStore } from '../src/stores/editorStore';
import { useProcessStore } from '../src/stores/processStore';
import { useSessionStore } from '../src/stores/sessionStore';
import { useConsoleStore } from '../src/stores/consoleStore';
import { useWatchStore } from '../src/stores/watchStore';

let bridge: FakeAdapterBridge;
let documents: InMemoryDocumentHost;

beforeEach(() => {
  documents = resetStores();
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

function workerProcess(): HTMLElement {
  return within(screen.getByRole('region', { name: 'Call Stack' })).getByRole('listitem', { name: 'Process 4242' });
}

function workerFrame(name = 'work, helper.py:2'): HTMLElement {
  return within(workerProcess()).getByRole('button', { name });
}

/** The Call Stack row (with its Restart Frame button) of the worker's frame named `name`. */
function workerRow(name: string): HTMLElement {
  return workerFrame(name).closest('li') as HTMLElement;
}

/** The setBreakpoints lines last sent to `session` for `path`. */
function linesSentTo(session: string, path: string): number[] {
  const last = bridge
    .requestsIn(session, 'setBreakpoints')
    .map((request) => request.arguments as { source: { path: string }; breakpoints: { line: number }[] })
    .filter((args) => args.source.path === path)
    .at(-1);
  return last?.breakpoints.map((bp) => bp.line) ?? [];
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

describe('Restart Frame and Apply Changes on a child process frame', () => {
  it("marks the worker's frame an apply left on old code, and restarts it in the worker's session, selecting the restart stop", async () => {
    const { root, child } = await workerStopped();
    const version = documents.edit(HELPER, 'def work(x):\n    return x + 5\n');
    act(() => useEditorStore.getState().setCurrentVersion(HELPER, version));
    await click(screen.getByRole('button', { name: 'Apply Changes' }));
    expect(bridge.requestsIn(child, 'dapper/hotReload')).toHaveLength(1);

    const stale = workerFrame('work (old code), helper.py:2');
    const badge = within(stale).getByText('old code');
    expect(badge.getAttribute('title')).toContain('keeps running the old code');
    expect(badge.getAttribute('title')).toContain('Restart Frame runs this call again');
    const restart = within(workerRow('work (old code), helper.py:2')).getByRole('button', { name: 'Restart Frame' });
    expect(restart.getAttribute('aria-disabled')).toBeNull();
    expect(restart.getAttribute('title')).toMatch(/not undone/);

    await click(restart);

    // The worker's frame 11, not the program's frame with the same id.
    expect(bridge.requestsIn(child, 'restartFrame').map((request) => request.arguments)).toEqual([{ frameId: 11 }]);
    expect(bridge.requestsIn(root, 'restartFrame')).toEqual([]);
    expect(within(workerProcess()).getByText(/paused on restart/)).toBeTruthy();
    expect(within(workerProcess()).queryByText('old code')).toBeNull();
    // The restart's stop is selected: its line in the editor, the worker's locals in Variables.
    expect(workerFrame('work, helper.py:1').getAttribute('aria-current')).toBe('true');
    expect(within(screen.getByRole('region', { name: 'Variables' })).getByRole('treeitem', { name: 'item = 7' })).toBeTruthy();
  });

  it("offers Restart frame on the apply summary while the selected worker frame runs old code, restarting it in the worker", async () => {
    const { root, child } = await workerStopped();
    await click(workerFrame());
    const status = screen.getByRole('status', { name: 'Status' });
    const version = documents.edit(HELPER, 'def work(x):\n    return x + 5\n');
    act(() => useEditorStore.getState().setCurrentVersion(HELPER, version));
    await click(screen.getByRole('button', { name: 'Apply Changes' }));
    expect(workerFrame('work (old code), helper.py:2').getAttribute('aria-current')).toBe('true');

    await click(within(status).getByRole('button', { name: 'Restart frame' }));

    expect(bridge.requestsIn(child, 'restartFrame').map((request) => request.arguments)).toEqual([{ frameId: 11 }]);
    expect(bridge.requestsIn(root, 'restartFrame')).toEqual([]);
    expect(workerFrame('work, helper.py:1').getAttribute('aria-current')).toBe('true');
    expect(within(status).queryByRole('button', { name: 'Restart frame' })).toBeNull();
  });

  it("offers Apply Changes for a file only the worker's frames show, and applies it in the worker", async () => {
    // The program's own stack never shows helper.py: only the worker runs it.
    bridge.overrides.set('stackTrace', () => ({
      body: { stackFrames: [{ id: 10, name: 'main', line: 4, column: 1, source: { path: PROGRAM, name: 'app.py' } }], totalFrames: 1 },
    }));
    await act(async () => {
      await openFile(HELPER);
    });
    const { child } = await workerStopped();
    const version = documents.edit(HELPER, 'def work(x):\n    return x + 5\n');
    act(() => useEditorStore.getState().setCurrentVersion(HELPER, version));
    const apply = screen.getByRole('button', { name: 'Apply Changes' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(false);
    await click(apply);
    expect(bridge.requestsIn(child, 'dapper/hotReload').map((request) => request.arguments)).toEqual([{ source: { path: HELPER } }]);
    expect(workerFrame('work (old code), helper.py:2')).toBeTruthy();
  });

  it("offers Restart Frame in a worker frame's context menu, and disables it with the worker adapter's reason where canRestart is false", async () => {
    const { root, child } = await workerStopped();
    const moduleRow = workerRow('<module>, app.py:9');
    const disabled = within(moduleRow).getByRole('button', { name: 'Restart Frame' });
    expect(disabled.getAttribute('aria-disabled')).toBe('true');
    expect(disabled.getAttribute('title')).toBe('The module body cannot be restarted: that would be restarting the program.');
    await click(disabled);
    await act(async () => {
      fireEvent.contextMenu(moduleRow);
      await settle();
    });
    const refused = within(within(workerProcess()).getByRole('menu')).getByRole('menuitem', { name: 'Restart Frame' });
    expect(refused.getAttribute('aria-disabled')).toBe('true');
    expect(within(workerProcess()).getByRole('menu').textContent).toContain('The module body cannot be restarted');
    await click(refused);
    fireEvent.keyDown(refused, { key: 'Escape' });
    expect(bridge.requestsIn(child, 'restartFrame')).toEqual([]);

    await act(async () => {
      fireEvent.contextMenu(workerFrame());
      await settle();
    });
    await click(within(within(workerProcess()).getByRole('menu')).getByRole('menuitem', { name: 'Restart Frame' }));
    expect(bridge.requestsIn(child, 'restartFrame').map((request) => request.arguments)).toEqual([{ frameId: 11 }]);
    expect(bridge.requestsIn(root, 'restartFrame')).toEqual([]);
    expect(within(workerProcess()).queryByRole('menu')).toBeNull();
    expect(workerFrame('work, helper.py:1').getAttribute('aria-current')).toBe('true');
  });

  it("leaves a worker stopped where it was when its adapter refuses the restart, and says why", async () => {
    const { child } = await workerStopped();
    await click(workerFrame());
    bridge.childRestartError = 'work() has a `finally` that swallows the restart (line 2): it cannot be restarted.';
    await click(within(workerRow('work, helper.py:2')).getByRole('button', { name: 'Restart Frame' }));

    expect(bridge.requestsIn(child, 'restartFrame').map((request) => request.arguments)).toEqual([{ frameId: 11 }]);
    expect(screen.getByText(/Restart Frame failed in process 4242: work\(\) has a `finally` that swallows the restart/)).toBeTruthy();
    expect(within(workerProcess()).getByText(/paused on breakpoint/)).toBeTruthy();
    expect(workerFrame().getAttribute('aria-current')).toBe('true');
  });
});

describe('Apply Changes and the files each process has loaded', () => {
  async function applyHelperEdit(): Promise<void> {
    const version = documents.edit(HELPER, 'def work(x):\n    return x + 5\n');
    act(() => useEditorStore.getState().setCurrentVersion(HELPER, version));
    await click(screen.getByRole('button', { name: 'Apply Changes' }));
  }

  it('applies a file only the workers have loaded in the workers, though the program refuses it', async () => {
    bridge.overrides.set('dapper/hotReload', (request) => notLoadedRefusal((request.arguments as { source: { path: string } }).source.path));
    const { child } = await workerStopped();
    await applyHelperEdit();

    expect(bridge.requestsIn(child, 'dapper/hotReload')).toHaveLength(1);
    const summary = useSessionStore.getState().lastApply;
    expect(summary?.success).toBe(true);
    expect(summary?.message).toBe('helper.py is not loaded by the program itself, only by its child processes. Child processes: 1 of 1 applied.');
    expect(useEditorStore.getState().diagnostics[HELPER] ?? []).toEqual([]);
    expect(workerFrame('work (old code), helper.py:2')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Apply Changes' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('fails, with the refusal, when neither the program nor any worker has loaded the file', async () => {
    bridge.overrides.set('dapper/hotReload', (request) => notLoadedRefusal((request.arguments as { source: { path: string } }).source.path));
    bridge.childLacksAppliedFile = true;
    await workerStopped();
    await applyHelperEdit();

    const summary = useSessionStore.getState().lastApply;
    expect(summary?.success).toBe(false);
    expect(summary?.message).toContain('is not loaded by the program');
    expect((screen.getByRole('button', { name: 'Apply Changes' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('does not count a worker that has not loaded the file as a failure', async () => {
    bridge.childLacksAppliedFile = true;
    const { child } = await workerStopped();
    await applyHelperEdit();

    expect(bridge.requestsIn(child, 'dapper/hotReload')).toHaveLength(1);
    const summary = useSessionStore.getState().lastApply;
    expect(summary?.success).toBe(true);
    expect(summary?.message).toMatch(/^Applied helper\.py: 1 function patched/);
    expect(summary?.message).not.toContain('Child processes');
    useConsoleStore.getState().flush();
    const line = useConsoleStore.getState().lines.find((item) => item.text.startsWith('Process 4242:'));
    expect(line).toMatchObject({ category: 'console', text: 'Process 4242: has not loaded helper.py' });
  });
});

describe('Run to Cursor and Jump to Cursor in a selected child process frame', () => {
  it("runs the worker (only) to the line with a breakpoint only the worker gets, taken away at its next stop", async () => {
    const { root, child } = await workerStopped();
    await click(workerFrame());
    const rootContinues = bridge.requestsIn(root, 'continue').length;

    await act(async () => {
      await runToCursor(HELPER, 3);
      await settle();
    });

    expect(linesSentTo(child, HELPER)).toEqual([3]);
    expect(linesSentTo(root, HELPER)).toEqual([]);
    expect(bridge.requestsIn(child, 'continue').map((request) => request.arguments)).toEqual([{ threadId: 1 }]);
    expect(bridge.requestsIn(root, 'continue')).toHaveLength(rootContinues);

    await act(async () => {
      bridge.childStopLine = 3;
      bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 }, child);
      await settle();
    });
    expect(linesSentTo(child, HELPER)).toEqual([]);
    expect(workerFrame('work, helper.py:3').getAttribute('aria-current')).toBe('true');
  });

  it("keeps Run to Cursor in the program to the program: the workers do not get its breakpoint", async () => {
    const { root, child } = await workerStopped();
    await act(async () => {
      bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 }, root);
      await settle();
    });
    const childRequests = bridge.requestsIn(child, 'setBreakpoints').length;

    await act(async () => {
      await runToCursor(HELPER, 3);
      await settle();
    });

    expect(linesSentTo(root, HELPER)).toEqual([3]);
    expect(bridge.requestsIn(child, 'setBreakpoints')).toHaveLength(childRequests);
    expect(bridge.requestsIn(child, 'continue')).toEqual([]);
  });

  it("jumps in the worker: goto targets from the worker's session, the jump sent there, its stop selected", async () => {
    const { root, child } = await workerStopped();
    await click(workerFrame());

    await act(async () => {
      await jumpToCursor(HELPER, 1);
      await settle();
    });

    expect(bridge.requestsIn(child, 'gotoTargets').map((request) => request.arguments)).toEqual([{ source: { path: HELPER }, line: 1 }]);
    expect(bridge.requestsIn(child, 'goto').map((request) => request.arguments)).toEqual([{ threadId: 1, targetId: 101 }]);
    expect(bridge.requestsIn(root, 'gotoTargets')).toEqual([]);
    expect(bridge.requestsIn(root, 'goto')).toEqual([]);
    expect(within(workerProcess()).getByText(/paused on goto/)).toBeTruthy();
    expect(workerFrame('work, helper.py:1').getAttribute('aria-current')).toBe('true');

    // The worker's adapter says why it cannot jump there; nothing moves.
    await act(async () => {
      await jumpToCursor(PROGRAM, 3);
      await settle();
    });
    expect(bridge.requestsIn(child, 'goto')).toHaveLength(1);
    expect(screen.getByText('Jump to Cursor: You can only jump within the current function (work).')).toBeTruthy();
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
