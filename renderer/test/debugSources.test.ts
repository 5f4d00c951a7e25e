/**
 * A stack frame whose source this machine lacks (an attached program's file outside the path
 * mappings or not here, or code with no file): its text comes from the session's `source`
 * request and shows read-only, in a tab named after the source, with its breakpoints.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FakeAdapterBridge, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import { setBridge } from '../src/bridge/bridgeAccess';
import { planLineMarks } from '../src/editor/decorationPlan';
import type { InMemoryDocumentHost } from '../src/editor/documentHost';
import { toggleBreakpoint } from '../src/session/breakpointSync';
import { saveFile } from '../src/session/fileActions';
import { selectFrame } from '../src/session/frameViews';
import { startDebugging } from '../src/session/sessionController';
import { useBreakpointStore } from '../src/stores/breakpointStore';
import { useEditorStore } from '../src/stores/editorStore';
import { useSessionStore } from '../src/stores/sessionStore';

const REMOTE = '/srv/remote/service.py';
const REMOTE_TEXT = 'import time\n\ndef handle(request):\n    return request * 2\n';
const GENERATED_TEXT = 'x = 1\ny = x + 1\n';

let bridge: FakeAdapterBridge;
let documents: InMemoryDocumentHost;

const frames: DebugProtocol.StackFrame[] = [
  { id: 21, name: 'handle', line: 4, column: 1, source: { path: REMOTE, name: 'service.py', sourceReference: 1_000_000 } },
  { id: 22, name: '<module>', line: 2, column: 1, source: { name: '<string>', sourceReference: 3 } },
];

beforeEach(() => {
  documents = resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
  bridge.overrides.set('stackTrace', () => ({ body: { stackFrames: frames, totalFrames: frames.length } }));
  bridge.overrides.set('source', (request) => {
    const reference = (request.arguments as DebugProtocol.SourceArguments).sourceReference;
    if (reference === 1_000_000) return { body: { content: REMOTE_TEXT } };
    if (reference === 3) return { body: { content: GENERATED_TEXT } };
    return { error: `Unknown source reference ${reference}` };
  });
});

describe('a frame whose source the client lacks', () => {
  it('fetches the text with the source request and shows it read-only, named after the source, with its breakpoints', async () => {
    await startDebugging(PROGRAM);
    await settle();

    expect(useSessionStore.getState().selectedFrameId).toBe(21);
    const sourceRequest = bridge.requests('source')[0];
    expect(sourceRequest?.arguments).toMatchObject({ sourceReference: 1_000_000, source: { path: REMOTE } });
    // Never read from this machine's disk.
    expect(bridge.invokes.some((call) => call.channel === 'file.read' && call.args[0] === REMOTE)).toBe(false);
    const tab = useEditorStore.getState().files[REMOTE];
    expect(tab).toMatchObject({ name: 'service.py', readOnly: true });
    expect(documents.getText(REMOTE)).toBe(REMOTE_TEXT);
    expect(useEditorStore.getState().activePath).toBe(REMOTE);
    expect(useEditorStore.getState().reveal).toMatchObject({ path: REMOTE, line: 4 });

    // A breakpoint in that tab goes to the program under the source's path, and shows there.
    await toggleBreakpoint(REMOTE, 3);
    await settle();
    const sent = bridge.requests('setBreakpoints').at(-1)?.arguments as DebugProtocol.SetBreakpointsArguments;
    expect(sent).toMatchObject({ source: { path: REMOTE }, breakpoints: [{ line: 3 }] });
    const marks = planLineMarks({
      path: REMOTE,
      breakpoints: useBreakpointStore.getState().breakpoints,
      sessionActive: true,
      topFrame: frames[0],
      selectedFrame: frames[0],
    });
    expect(marks.map((mark) => [mark.line, mark.kind])).toEqual([
      [3, 'breakpoint'],
      [4, 'current-line'],
    ]);

    // The program's copy is never written on this machine.
    expect(await saveFile(REMOTE)).toBe(false);
    expect(bridge.invokes.some((call) => call.channel === 'file.save')).toBe(false);
  });

  it('shows code with no file under its name, and asks only once per source', async () => {
    await startDebugging(PROGRAM);
    await settle();
    await selectFrame(1, frames[1]);
    await settle();
    const key = '<string> (source 3)';
    expect(useEditorStore.getState().files[key]).toMatchObject({ name: '<string>', readOnly: true });
    expect(documents.getText(key)).toBe(GENERATED_TEXT);
    expect(useEditorStore.getState().activePath).toBe(key);
    const marks = planLineMarks({ path: key, breakpoints: [], sessionActive: true, topFrame: frames[0], selectedFrame: frames[1] });
    expect(marks.map((mark) => [mark.line, mark.kind])).toEqual([[2, 'selected-frame-line']]);

    await selectFrame(1, frames[0]);
    await settle();
    expect(useEditorStore.getState().activePath).toBe(REMOTE);
    expect(bridge.requests('source').map((request) => (request.arguments as DebugProtocol.SourceArguments).sourceReference)).toEqual([1_000_000, 3]);
  });
});
