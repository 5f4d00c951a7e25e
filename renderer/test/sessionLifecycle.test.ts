import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAdapterBridge, HELPER, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import { setBridge } from '../src/bridge/bridgeAccess';
import { openFile } from '../src/session/fileActions';
import { startDebugging, stopDebugging } from '../src/session/sessionController';
import { continueExecution } from '../src/session/execution';
import { runCommand } from '../src/session/commands';
import { useBreakpointStore } from '../src/stores/breakpointStore';
import { useConsoleStore } from '../src/stores/consoleStore';
import { useEditorStore } from '../src/stores/editorStore';
import { useSessionStore } from '../src/stores/sessionStore';
import { useSettingsStore } from '../src/stores/settingsStore';
import { useVariablesStore } from '../src/stores/variablesStore';

let bridge: FakeAdapterBridge;

beforeEach(() => {
  resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
});

describe('debug session lifecycle', () => {
  it('initializes as dapper-desktop, launches with the settings, then configures every file', async () => {
    useSettingsStore.getState().setSettings({ ...useSettingsStore.getState().settings, python: '/usr/bin/python3.12', stopOnEntry: true });
    useBreakpointStore.getState().add(PROGRAM, 4);
    useBreakpointStore.getState().add(HELPER, 2, { condition: 'x > 0' });
    useBreakpointStore.getState().setExceptionFilterEnabled('raised', true);

    await startDebugging(PROGRAM);
    await settle();

    const start = bridge.invokes.find((item) => item.channel === 'dap.start');
    expect(start?.args[0]).toEqual({
      launch: { program: PROGRAM, stopOnEntry: true, justMyCode: true, console: 'internalConsole', python: '/usr/bin/python3.12' },
    });
    const order = bridge.sent.map((request) => request.command);
    expect(order.slice(0, 2)).toEqual(['initialize', 'launch']);
    expect(bridge.sent[0]?.arguments).toMatchObject({
      clientID: 'dapper-desktop',
      linesStartAt1: true,
      supportsInvalidatedEvent: true,
      supportsVariablePaging: true,
      supportsRunInTerminalRequest: false,
    });
    const configurationDone = order.indexOf('configurationDone');
    const setBreakpoints = bridge.requests('setBreakpoints');
    expect(setBreakpoints.map((request) => (request.arguments as { source: { path: string } }).source.path).sort()).toEqual([PROGRAM, HELPER]);
    expect(setBreakpoints.every((request) => bridge.sent.indexOf(request) < configurationDone)).toBe(true);
    expect(bridge.requests('setExceptionBreakpoints')[0]?.arguments).toEqual({ filters: ['raised', 'uncaught'] });
    const helperRequest = setBreakpoints.find((request) => (request.arguments as { source: { path: string } }).source.path === HELPER);
    expect((helperRequest?.arguments as { breakpoints: unknown[] }).breakpoints).toEqual([{ line: 2, condition: 'x > 0' }]);
    expect(useBreakpointStore.getState().breakpoints.every((bp) => bp.verified && bp.adapterId !== undefined)).toBe(true);
  });

  it('on a stop shows the stack, selects the top frame with source and loads its variables', async () => {
    await openFile(PROGRAM);
    await startDebugging(PROGRAM);
    await settle();

    const session = useSessionStore.getState();
    expect(session.status).toBe('stopped');
    expect(session.stopReason).toBe('entry');
    expect(session.framesByThread[1]?.map((frame) => frame.name)).toEqual(['work', 'main']);
    expect(session.selectedFrameId).toBe(11);
    expect(useEditorStore.getState().activePath).toBe(HELPER);
    expect(useEditorStore.getState().reveal).toMatchObject({ path: HELPER, line: 2 });
    expect(useEditorStore.getState().loadedPaths).toEqual({ [PROGRAM]: true, [HELPER]: true });
    const variables = useVariablesStore.getState();
    expect(variables.scopeKeys).toEqual(['Locals', 'Globals']);
    expect(variables.expanded['Locals']).toBe(true);
    expect(variables.children['Locals']?.map((key) => variables.nodes[key]?.name)).toEqual(['x', 'big']);
    expect(bridge.requests('scopes')[0]?.arguments).toEqual({ frameId: 11 });
  });

  it('continue runs, a breakpoint stop stops again, and Stop disconnects and ends the session', async () => {
    await startDebugging(PROGRAM);
    await settle();
    await continueExecution();
    expect(useSessionStore.getState().status).toBe('running');
    expect(bridge.requests('continue')[0]?.arguments).toEqual({ threadId: 1 });
    expect(useVariablesStore.getState().scopeKeys).toEqual([]);

    bridge.sendEvent('output', { category: 'stdout', output: 'hello\n' });
    bridge.sendEvent('output', { category: 'stderr', output: 'oops\n' });
    bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 });
    await settle();
    expect(useSessionStore.getState().status).toBe('stopped');
    expect(useSessionStore.getState().stopReason).toBe('breakpoint');

    await stopDebugging();
    await settle();
    expect(bridge.requests('disconnect')[0]?.arguments).toMatchObject({ terminateDebuggee: true });
    expect(useSessionStore.getState().status).toBe('terminated');
    expect(bridge.invokes.some((item) => item.channel === 'dap.dispose')).toBe(true);
    useConsoleStore.getState().flush();
    const lines = useConsoleStore.getState().lines;
    expect(lines.find((line) => line.text === 'hello')?.category).toBe('stdout');
    expect(lines.find((line) => line.text === 'oops')?.category).toBe('stderr');
    // The adapter ends a session the user stops without exited/terminated events: no exit code is claimed.
    expect(lines.some((line) => line.text.startsWith('Session ended'))).toBe(true);
  });

  it('a stop that arrives before the continue response wins (fast breakpoint hit)', async () => {
    await startDebugging(PROGRAM);
    await settle();
    bridge.overrides.set('continue', () => {
      bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 });
      return { body: { allThreadsContinued: true } };
    });
    await continueExecution();
    await settle();
    const session = useSessionStore.getState();
    expect(session.status).toBe('stopped');
    expect(session.stopReason).toBe('breakpoint');
    expect(session.framesByThread[1]).toHaveLength(2);
    expect(useVariablesStore.getState().scopeKeys).toEqual(['Locals', 'Globals']);
  });

  it('reports a launch the adapter refuses and ends the session', async () => {
    bridge.overrides.set('launch', () => ({ error: 'The program /project/app.py does not exist.' }));
    await startDebugging(PROGRAM);
    await settle();
    expect(useSessionStore.getState().status).toBe('terminated');
    expect(useSessionStore.getState().error).toContain('does not exist');
  });

  it('F5 semantics: debug.start starts the active file, then continues when stopped', async () => {
    await openFile(PROGRAM);
    await runCommand('debug.start');
    await settle();
    expect(useSessionStore.getState().program).toBe(PROGRAM);
    expect(useSessionStore.getState().status).toBe('stopped');
    await runCommand('debug.start');
    expect(bridge.requests('continue')).toHaveLength(1);
  });

  it('an adapter that closes unexpectedly ends the session with its reason', async () => {
    await startDebugging(PROGRAM);
    await settle();
    bridge.emit('dap.closed', bridge.currentSession, 'adapter crashed');
    await settle();
    expect(useSessionStore.getState().status).toBe('terminated');
    useConsoleStore.getState().flush();
    expect(useConsoleStore.getState().lines.some((line) => line.text.includes('adapter crashed'))).toBe(true);
  });
});
