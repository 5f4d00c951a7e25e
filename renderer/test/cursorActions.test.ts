import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAdapterBridge, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import { setBridge } from '../src/bridge/bridgeAccess';
import { jumpToCursor, runToCursor } from '../src/session/cursorActions';
import { startDebugging } from '../src/session/sessionController';
import { useBreakpointStore } from '../src/stores/breakpointStore';
import { useNoticeStore } from '../src/stores/noticeStore';
import { useSessionStore } from '../src/stores/sessionStore';

let bridge: FakeAdapterBridge;
const sentLines = () =>
  (bridge.requests('setBreakpoints').at(-1)?.arguments as { breakpoints: { line: number }[] }).breakpoints.map((bp) => bp.line);

beforeEach(() => {
  resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
});

describe('Run to Cursor and Jump to Cursor', () => {
  it('runs to the line with a breakpoint the Breakpoints view never holds, taken away at the next stop', async () => {
    useBreakpointStore.getState().add(PROGRAM, 2);
    await startDebugging(PROGRAM);
    await settle();
    await runToCursor(PROGRAM, 7);
    await settle();
    expect(sentLines()).toEqual([2, 7]);
    expect(bridge.requests('continue')).toHaveLength(1);
    expect(useBreakpointStore.getState().breakpoints.map((bp) => bp.line)).toEqual([2]);

    bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 });
    await settle();
    expect(useSessionStore.getState().status).toBe('stopped');
    expect(sentLines()).toEqual([2]);
  });

  it('says why when the line cannot stop, and does not run', async () => {
    await startDebugging(PROGRAM);
    await settle();
    bridge.overrides.set('setBreakpoints', (request) => {
      const lines = (request.arguments as { breakpoints: { line: number }[] }).breakpoints;
      return { body: { breakpoints: lines.map((bp) => ({ verified: false, line: bp.line, message: 'No code on line 9 or after it.' })) } };
    });
    await runToCursor(PROGRAM, 9);
    await settle();
    expect(bridge.requests('continue')).toHaveLength(0);
    expect(useNoticeStore.getState().notices.at(-1)?.message).toBe('Run to Cursor: No code on line 9 or after it.');
    expect(sentLines()).toEqual([]);
  });

  it('jumps to the line in the top frame, or says why not', async () => {
    await startDebugging(PROGRAM);
    await settle();
    await jumpToCursor(PROGRAM, 3);
    await settle();
    expect(bridge.requests('gotoTargets').at(-1)?.arguments).toEqual({ source: { path: PROGRAM }, line: 3 });
    expect(bridge.requests('goto').at(-1)?.arguments).toEqual({ threadId: 1, targetId: 3 });
    expect(useSessionStore.getState().stopReason).toBe('goto');

    bridge.overrides.set('gotoTargets', () => ({ error: 'You can only jump within the current function (main).' }));
    await jumpToCursor(PROGRAM, 40);
    await settle();
    expect(bridge.requests('goto')).toHaveLength(1);
    expect(useNoticeStore.getState().notices.at(-1)?.message).toBe('Jump to Cursor: You can only jump within the current function (main).');
  });
});
