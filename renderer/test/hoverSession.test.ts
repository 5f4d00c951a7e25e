/**
 * Editor hover while stopped: the name under the pointer is evaluated (context `hover`) in the
 * session that owns the selected frame — a child process's when one of its frames is selected.
 * Monaco's hover registry is replaced by a recorder; the provider is the app's own.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Monaco from '../src/editor/monacoApi';

type HoverProvider = Monaco.languages.HoverProvider;
const providers: HoverProvider[] = [];
vi.mock('../src/editor/monacoApi', () => ({
  languages: {
    registerHoverProvider: (_language: string, provider: HoverProvider) => {
      providers.push(provider);
      return { dispose: () => undefined };
    },
  },
  Range: class {
    constructor(
      readonly startLineNumber: number,
      readonly startColumn: number,
      readonly endLineNumber: number,
      readonly endColumn: number,
    ) {}
  },
}));

import { FakeAdapterBridge, HELPER, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import { setBridge } from '../src/bridge/bridgeAccess';
import { registerDebugHover } from '../src/editor/hoverProvider';
import { selectChildFrame } from '../src/session/frameViews';
import { startDebugging } from '../src/session/sessionController';
import { continueExecution } from '../src/session/execution';
import { useProcessStore } from '../src/stores/processStore';

let bridge: FakeAdapterBridge;

beforeEach(() => {
  resetStores();
  providers.length = 0;
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
});

async function hover(lineText: string, column: number): Promise<string[] | null> {
  const model = { getLineContent: () => lineText } as unknown as Monaco.editor.ITextModel;
  const position = { lineNumber: 2, column } as Monaco.Position;
  const result = await providers[0]!.provideHover(model, position, {} as Monaco.CancellationToken);
  return result ? result.contents.map((item) => item.value) : null;
}

describe('hover in the editor', () => {
  it("evaluates in the program's frame, then in a selected child process's frame", async () => {
    registerDebugHover();
    await startDebugging(PROGRAM);
    await settle();
    const root = bridge.currentSession;

    expect((await hover('    return x + 1', 12))?.[1]).toContain('<x>');
    expect(bridge.requestsIn(root, 'evaluate').at(-1)?.arguments).toEqual({ expression: 'x', frameId: 11, context: 'hover' });

    await continueExecution();
    bridge.startChildProcess(4242);
    await settle();
    const [child] = [...bridge.childSessionIds];
    bridge.sendEvent('stopped', { reason: 'breakpoint', threadId: 1 }, child);
    await settle();
    // Nothing to hover while the program runs and no child frame is selected.
    expect(await hover('    return item + 1', 13)).toBeNull();

    const frame = useProcessStore.getState().processes[0]!.frames[0]!;
    expect(frame.source?.path).toBe(HELPER);
    await selectChildFrame(child!, 1, frame);
    await settle();
    expect((await hover('    return item + 1', 13))?.[1]).toContain('worker:item');
    expect(bridge.requestsIn(child!, 'evaluate').at(-1)?.arguments).toEqual({ expression: 'item', frameId: 11, context: 'hover' });
  });
});
