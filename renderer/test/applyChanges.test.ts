import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAdapterBridge, HELPER, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import { setBridge } from '../src/bridge/bridgeAccess';
import type { InMemoryDocumentHost } from '../src/editor/documentHost';
import { applyCandidates, applyChanges, summarizeApply } from '../src/session/applyChanges';
import { HINT_RENEW_MS, watchApplyHints } from '../src/session/applyHint';
import { saveActiveFile } from '../src/session/commands';
import { openFile } from '../src/session/fileActions';
import { startDebugging } from '../src/session/sessionController';
import { useBreakpointStore } from '../src/stores/breakpointStore';
import { selectUnappliedPaths, useEditorStore } from '../src/stores/editorStore';
import { isStaleFrame, useSessionStore } from '../src/stores/sessionStore';
import { useSettingsStore } from '../src/stores/settingsStore';

let bridge: FakeAdapterBridge;
let documents: InMemoryDocumentHost;

beforeEach(async () => {
  documents = resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
  useBreakpointStore.getState().add(HELPER, 2);
  await openFile(PROGRAM);
  await startDebugging(PROGRAM);
  await settle();
});

function typeInto(path: string, text: string): void {
  const version = documents.edit(path, text);
  useEditorStore.getState().setCurrentVersion(path, version);
}

describe('the apply hint (dapper/prepareApply) while the program runs', () => {
  let now = 1_000;
  const hints = () => bridge.requests('dapper/prepareApply').map((request) => request.arguments as { source: { path: string }; active: boolean });
  const hint = (active: boolean) => ({ source: { path: HELPER }, active });
  beforeEach(() => {
    now = 1_000;
    watchApplyHints(() => now);
    useSessionStore.getState().setRunning();
    useEditorStore.getState().setActive(HELPER);
  });

  it('is sent once as a loaded file gets edits, renewed only while typing goes on, withdrawn after save-and-apply', async () => {
    typeInto(HELPER, 'def work(x):\n    return x + 2\n');
    now += 1_000;
    typeInto(HELPER, 'def work(x):\n    return x + 3\n');
    typeInto(HELPER, 'def work(x):\n    return x + 4\n');
    await settle();
    expect(hints()).toEqual([hint(true)]);
    now += HINT_RENEW_MS;
    typeInto(HELPER, 'def work(x):\n    return x + 5\n');
    await settle();
    expect(hints()).toEqual([hint(true), hint(true)]);
    now += HINT_RENEW_MS; // no typing since: no renewal
    useSessionStore.getState().setRunning();
    await settle();
    expect(hints()).toHaveLength(2);
    await saveActiveFile();
    await settle();
    expect(bridge.requests('dapper/hotReload')).toHaveLength(1);
    expect(hints()).toEqual([hint(true), hint(true), hint(false)]);
  });

  it('is withdrawn when the edits are undone, and neither sent nor kept while the program is stopped', async () => {
    const applied = useEditorStore.getState().files[HELPER].appliedVersion as number;
    typeInto(HELPER, 'def work(x):\n    return x + 2\n');
    await settle();
    useEditorStore.getState().setCurrentVersion(HELPER, applied); // undone back to what runs
    await settle();
    expect(hints()).toEqual([hint(true), hint(false)]);
    useSessionStore.getState().setStopped(1, 'breakpoint', null);
    typeInto(HELPER, 'def work(x):\n    return x + 6\n');
    await settle();
    expect(hints()).toHaveLength(2);
    useSessionStore.getState().setRunning();
    await settle();
    expect(hints()).toEqual([hint(true), hint(false), hint(true)]);
    useSessionStore.getState().setStopped(1, 'pause', null);
    await settle();
    expect(hints()).toEqual([hint(true), hint(false), hint(true), hint(false)]);
    expect(bridge.requests('dapper/hotReload')).toHaveLength(0);
  });

  it('is not sent with the setting off, and turning the setting off withdraws the hints sent', async () => {
    const setHints = (prepareApplyWhileEditing: boolean) =>
      useSettingsStore.getState().setSettings({ ...useSettingsStore.getState().settings, prepareApplyWhileEditing });
    typeInto(HELPER, 'def work(x):\n    return x + 2\n');
    await settle();
    expect(hints()).toEqual([hint(true)]);
    setHints(false);
    await settle();
    expect(hints()).toEqual([hint(true), hint(false)]);
    now += HINT_RENEW_MS;
    typeInto(HELPER, 'def work(x):\n    return x + 3\n');
    await settle();
    expect(hints()).toHaveLength(2);
    await saveActiveFile(); // Apply Changes itself is unchanged
    await settle();
    expect(bridge.requests('dapper/hotReload')).toHaveLength(1);
    expect(hints()).toHaveLength(2);
    setHints(true);
    typeInto(HELPER, 'def work(x):\n    return x + 4\n');
    await settle();
    expect(hints()).toEqual([hint(true), hint(false), hint(true)]);
  });

  it('goes to each running child process too, and is withdrawn from one that stops', async () => {
    bridge.startChildProcess(4242);
    await settle();
    const [child] = [...bridge.childSessionIds];
    const root = bridge.currentSession;
    const hintsIn = (sessionId: string) => bridge.requestsIn(sessionId, 'dapper/prepareApply').map((request) => request.arguments);
    typeInto(HELPER, 'def work(x):\n    return x + 2\n');
    await settle();
    expect(hintsIn(child!)).toEqual([hint(true)]);
    expect(hintsIn(root)).toEqual([hint(true)]);
    bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 }, child);
    await settle();
    expect(hintsIn(child!)).toEqual([hint(true), hint(false)]);
    expect(hintsIn(root)).toEqual([hint(true)]); // the program still runs: its hint stays
  });
});

describe('Apply Changes', () => {
  it('is offered only for loaded files with edits the program has not got, while stopped or running', () => {
    expect(applyCandidates()).toEqual([]);
    typeInto(HELPER, 'def work(x):\n    return x + 2\n');
    expect(applyCandidates()).toEqual([HELPER]);
    useSessionStore.getState().setRunning();
    expect(applyCandidates()).toEqual([HELPER]);
    useSessionStore.getState().setTerminated(0);
    expect(applyCandidates()).toEqual([]);
  });

  it('Ctrl+S while the program runs applies at once; a failure says the program keeps its old code', async () => {
    useSessionStore.getState().setRunning();
    useEditorStore.getState().setActive(HELPER);
    typeInto(HELPER, 'def work(x):\n    return x * 2\n');
    await saveActiveFile();
    await settle();
    expect(bridge.requests('dapper/hotReload')).toHaveLength(1);
    expect(useSessionStore.getState().lastApply?.success).toBe(true);
    expect(useSessionStore.getState().status).toBe('running');
    expect(selectUnappliedPaths(useEditorStore.getState())).toEqual([]);

    typeInto(HELPER, 'def work(x):\n    return x +  # SYNTAX ERROR\n');
    await saveActiveFile();
    await settle();
    const summary = useSessionStore.getState().lastApply;
    expect(summary?.success).toBe(false);
    expect(summary?.message).toContain('The program keeps running its old code');
    expect(useEditorStore.getState().diagnostics[HELPER]).toEqual([
      expect.objectContaining({ severity: 'error', line: 2, code: 'syntax-error' }),
    ]);
  });

  it('saves unsaved edits first, applies, summarizes, marks stale frames and moved breakpoints, refreshes views', async () => {
    const newText = '# comment\ndef work(x):\n    return x + 2\n';
    typeInto(HELPER, newText);
    const stackRequestsBefore = bridge.requests('stackTrace').length;

    await applyChanges();
    await settle();

    expect(bridge.files.get(HELPER)).toBe(newText);
    const save = bridge.invokes.findIndex((item) => item.channel === 'file.save');
    const hotReload = bridge.sent.find((request) => request.command === 'dapper/hotReload');
    expect(save).toBeGreaterThanOrEqual(0);
    expect(hotReload?.arguments).toEqual({ source: { path: HELPER } });
    expect(selectUnappliedPaths(useEditorStore.getState())).toEqual([]);

    const summary = useSessionStore.getState().lastApply;
    expect(summary?.success).toBe(true);
    expect(summary?.message).toMatch(/^Applied helper\.py: 1 function patched in [\d.]+ ms\. 1 frame still runs the old code until it returns\. 1 warning\.$/);
    const frame = useSessionStore.getState().framesByThread[1]?.find((item) => item.id === 11);
    expect(frame && isStaleFrame(frame, useSessionStore.getState().staleFrameIds)).toBe(true);
    expect(useEditorStore.getState().diagnostics[HELPER]).toEqual([
      expect.objectContaining({ severity: 'warning', line: 1, code: 'module-statement-not-applied' }),
    ]);
    expect(useBreakpointStore.getState().breakpoints.map((bp) => [bp.path, bp.line])).toEqual([[HELPER, 3]]);
    expect(bridge.requests('stackTrace').length).toBeGreaterThan(stackRequestsBefore);
  });

  it('a failed apply keeps the edits, marks the error line and says the old code still runs', async () => {
    typeInto(HELPER, 'def work(x):\n    return x +  # SYNTAX ERROR\n');
    await applyChanges();
    await settle();

    const summary = useSessionStore.getState().lastApply;
    expect(summary?.success).toBe(false);
    expect(summary?.message).toContain('helper.py line 2');
    expect(summary?.message).toContain('still runs the old code');
    expect(useEditorStore.getState().diagnostics[HELPER]).toEqual([
      expect.objectContaining({ severity: 'error', line: 2, code: 'syntax-error' }),
    ]);
    expect(documents.getText(HELPER)).toContain('SYNTAX ERROR');
    expect(applyCandidates()).toEqual([HELPER]);

    // Fixing the line and applying again clears the marker.
    typeInto(HELPER, 'def work(x):\n    return x + 3\n');
    await applyChanges();
    await settle();
    expect(useSessionStore.getState().lastApply?.success).toBe(true);
    expect(useEditorStore.getState().diagnostics[HELPER]?.filter((item) => item.severity === 'error')).toEqual([]);
  });

  it('Ctrl+S on a loaded file applies when applyOnSave is on, and only saves when it is off', async () => {
    useEditorStore.getState().setActive(HELPER);
    typeInto(HELPER, 'def work(x):\n    return x * 2\n');
    await saveActiveFile();
    await settle();
    expect(bridge.requests('dapper/hotReload')).toHaveLength(1);

    useSettingsStore.getState().setSettings({ ...useSettingsStore.getState().settings, applyOnSave: false });
    typeInto(HELPER, 'def work(x):\n    return x * 3\n');
    await saveActiveFile();
    await settle();
    expect(bridge.requests('dapper/hotReload')).toHaveLength(1);
    expect(bridge.files.get(HELPER)).toContain('x * 3');
    expect(applyCandidates()).toEqual([HELPER]);
  });

  it('summarizes what was patched in words', () => {
    const text = summarizeApply(
      {
        module: 'm', path: '/a/m.py', patchedFunctions: 2, patchedClasses: 1, addedDefinitions: 1, pendingDefinitions: 0,
        removedDefinitions: 0, reboundFrameLocals: 0, staleFrames: [], warnings: [], diagnostics: [],
      },
      12.4,
    );
    expect(text).toBe('Applied m.py: 2 functions patched, 1 class patched, 1 definition added in 12 ms.');
  });

  it('says when definitions wait for the module body to reach them', () => {
    const text = summarizeApply(
      {
        module: '__main__', path: '/a/main.py', patchedFunctions: 0, patchedClasses: 0, addedDefinitions: 0,
        pendingDefinitions: 2, removedDefinitions: 0, reboundFrameLocals: 0, staleFrames: [], warnings: [], diagnostics: [],
      },
      30,
    );
    expect(text).toBe('Applied main.py: 2 definitions updated when the module body reaches them in 30 ms.');
  });
});
