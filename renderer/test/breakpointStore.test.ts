import { beforeEach, describe, expect, it } from 'vitest';
import { resetStores } from './resetStores';
import { useBreakpointStore } from '../src/stores/breakpointStore';

const FILE = '/p/a.py';
const store = () => useBreakpointStore.getState();

beforeEach(() => {
  resetStores();
});

describe('breakpoint store', () => {
  it('toggles a breakpoint on and off at a line', () => {
    store().toggle(FILE, 3);
    expect(store().breakpoints.map((bp) => bp.line)).toEqual([3]);
    store().toggle(FILE, 3);
    expect(store().breakpoints).toEqual([]);
  });

  it('keeps condition, hit count and log message, dropping blank ones', () => {
    store().add(FILE, 5, { condition: ' x > 1 ', hitCondition: '', logMessage: 'x={x}' });
    expect(store().breakpoints[0]).toMatchObject({ condition: 'x > 1', logMessage: 'x={x}' });
    expect(store().breakpoints[0]?.hitCondition).toBeUndefined();
    store().setOptions(store().breakpoints[0]!.id, { hitCondition: '>= 3' });
    expect(store().breakpoints[0]).toMatchObject({ hitCondition: '>= 3' });
    expect(store().breakpoints[0]?.condition).toBeUndefined();
  });

  it('records the adapter answer in send order, including a line the adapter moved the breakpoint to', () => {
    store().add(FILE, 3);
    store().add(FILE, 7);
    const ids = store().breakpoints.map((bp) => bp.id);
    store().applyVerification(FILE, ids, [
      { id: 41, verified: true, line: 4 },
      { id: 42, verified: false, message: 'no code on this line' },
    ]);
    expect(store().breakpoints.map((bp) => [bp.line, bp.verified, bp.adapterId, bp.message])).toEqual([
      [4, true, 41, undefined],
      [7, false, 42, 'no code on this line'],
    ]);
  });

  it('follows breakpoint events by adapter id: changed moves, removed deletes', () => {
    store().add(FILE, 3);
    store().add(FILE, 9);
    store().applyVerification(FILE, store().breakpoints.map((bp) => bp.id), [{ id: 1, verified: true, line: 3 }, { id: 2, verified: true, line: 9 }]);
    store().applyBreakpointEvent('changed', { id: 1, verified: true, line: 5 });
    store().applyBreakpointEvent('removed', { id: 2, verified: false });
    expect(store().breakpoints.map((bp) => bp.line)).toEqual([5]);
  });

  it('moves a breakpoint with the edited text, merging into one already on the target line', () => {
    store().add(FILE, 5);
    store().add(FILE, 8);
    const [first, second] = store().breakpoints;
    store().moveTo(first!.id, 6);
    expect(store().breakpoints.map((bp) => bp.line)).toEqual([6, 8]);
    store().moveTo(second!.id, 6);
    expect(store().breakpoints.map((bp) => [bp.id, bp.line])).toEqual([[first!.id, 6]]);
  });

  it('returns the breakpoint a removed event deletes, so the user can be told', () => {
    store().add(FILE, 3);
    store().applyVerification(FILE, [store().breakpoints[0]!.id], [{ id: 7, verified: true, line: 3 }]);
    expect(store().applyBreakpointEvent('removed', { id: 7, verified: false })?.line).toBe(3);
    expect(store().breakpoints).toEqual([]);
    expect(store().applyBreakpointEvent('changed', { id: 99, verified: true, line: 1 })).toBeNull();
  });

  it('takes exception filters from the adapter, keeping the user choice for known ones', () => {
    store().setExceptionFilterEnabled('raised', true);
    store().setExceptionFilters([
      { filter: 'raised', label: 'Raised Exceptions', default: false },
      { filter: 'uncaught', label: 'Uncaught Exceptions', default: true },
      { filter: 'custom', label: 'Custom', default: true },
    ]);
    expect(store().exceptionFilters.map((item) => [item.filter, item.enabled])).toEqual([
      ['raised', true],
      ['uncaught', true],
      ['custom', true],
    ]);
  });
});
