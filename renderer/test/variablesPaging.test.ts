import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAdapterBridge, PROGRAM, settle } from './fakeAdapterBridge';
import { resetStores } from './resetStores';
import { setBridge } from '../src/bridge/bridgeAccess';
import { startDebugging } from '../src/session/sessionController';
import { chunkRanges, loadChildren, setVariableValue } from '../src/session/variablesModel';
import { useVariablesStore } from '../src/stores/variablesStore';

let bridge: FakeAdapterBridge;
const names = (key: string) => {
  const state = useVariablesStore.getState();
  return (state.children[key] ?? []).map((child) => state.nodes[child]?.name);
};

beforeEach(async () => {
  resetStores();
  bridge = new FakeAdapterBridge();
  setBridge(bridge);
});

describe('variable paging', () => {
  it('splits into ranges of 100, and ranges of ranges past 10,000 items', () => {
    expect(chunkRanges(0, 100)).toBeNull();
    expect(chunkRanges(0, 250)).toEqual([
      { start: 0, count: 100 },
      { start: 100, count: 100 },
      { start: 200, count: 50 },
    ]);
    const big = chunkRanges(0, 25_000)!;
    expect(big.map((range) => [range.start, range.count])).toEqual([
      [0, 10_000],
      [10_000, 10_000],
      [20_000, 5_000],
    ]);
    expect(chunkRanges(10_000, 10_000)![1]).toEqual({ start: 10_100, count: 100 });
  });

  it('shows a 250-item list as [0..99] [100..199] [200..249], fetched per range', async () => {
    await startDebugging(PROGRAM);
    await settle();
    await loadChildren('Locals/big');
    expect(names('Locals/big')).toEqual(['[0..99]', '[100..199]', '[200..249]']);
    expect(bridge.requests('variables').filter((request) => (request.arguments as { variablesReference: number }).variablesReference === 300)).toEqual([]);

    await loadChildren('Locals/big/[100..199]');
    expect(bridge.requests('variables').at(-1)?.arguments).toEqual({ variablesReference: 300, filter: 'indexed', start: 100, count: 100 });
    const children = names('Locals/big/[100..199]');
    expect(children).toHaveLength(100);
    expect(children[0]).toBe('100');
    expect(children[99]).toBe('199');
  });

  it('nests ranges for 25,000 items without fetching any item until a leaf range opens', async () => {
    bridge.bigLength = 25_000;
    await startDebugging(PROGRAM);
    await settle();
    await loadChildren('Locals/big');
    expect(names('Locals/big')).toEqual(['[0..9999]', '[10000..19999]', '[20000..24999]']);
    const before = bridge.requests('variables').length;
    await loadChildren('Locals/big/[10000..19999]');
    expect(bridge.requests('variables').length).toBe(before);
    expect(names('Locals/big/[10000..19999]')).toHaveLength(100);
    expect(names('Locals/big/[10000..19999]')[1]).toBe('[10100..10199]');
  });

  it('keeps expanded nodes open across stops', async () => {
    await startDebugging(PROGRAM);
    await settle();
    useVariablesStore.getState().setExpanded('Locals/big', true);
    bridge.sendEvent('stopped', { reason: 'step', threadId: 1 });
    await settle();
    expect(names('Locals/big')).toEqual(['[0..99]', '[100..199]', '[200..249]']);
  });

  it('sets a value through setVariable on the containing reference', async () => {
    await startDebugging(PROGRAM);
    await settle();
    expect(await setVariableValue('Locals/x', '41 + 1')).toBeNull();
    expect(bridge.requests('setVariable')[0]?.arguments).toEqual({ variablesReference: 100, name: 'x', value: '41 + 1' });
    expect(useVariablesStore.getState().nodes['Locals/x']?.value).toBe('41 + 1');
  });
});
