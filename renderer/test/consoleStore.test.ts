import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetStores } from './resetStores';
import { MAX_CONSOLE_LINES, useConsoleStore } from '../src/stores/consoleStore';

beforeEach(() => {
  resetStores();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('console store', () => {
  it('batches a burst of output into one state update per frame', () => {
    let updates = 0;
    const unsubscribe = useConsoleStore.subscribe(() => (updates += 1));
    for (let i = 0; i < 1000; i++) useConsoleStore.getState().append('stdout', `line ${i}\n`);
    expect(useConsoleStore.getState().lines).toHaveLength(0);
    vi.advanceTimersByTime(20);
    unsubscribe();
    expect(updates).toBe(1);
    expect(useConsoleStore.getState().lines).toHaveLength(1000);
    expect(useConsoleStore.getState().lines[999]?.text).toBe('line 999');
  });

  it('joins partial lines of the same stream and keeps stdout and stderr apart', () => {
    const { append, flush } = useConsoleStore.getState();
    append('stdout', 'Enter a number: ');
    append('stderr', 'warning\n');
    append('stdout', '42\r\nnext');
    append('stdout', ' line\n');
    flush();
    expect(useConsoleStore.getState().lines.map((line) => [line.category, line.text])).toEqual([
      ['stdout', 'Enter a number: '],
      ['stderr', 'warning'],
      ['stdout', '42'],
      ['stdout', 'next line'],
    ]);
  });

  it('drops the oldest lines past the cap and counts them', () => {
    const chunk = 'x\n'.repeat(MAX_CONSOLE_LINES + 5);
    useConsoleStore.getState().append('stdout', chunk);
    useConsoleStore.getState().flush();
    expect(useConsoleStore.getState().lines).toHaveLength(MAX_CONSOLE_LINES);
    expect(useConsoleStore.getState().trimmedLines).toBe(5);
  });

  it('keeps history without duplicates, most recent last', () => {
    const { pushHistory } = useConsoleStore.getState();
    pushHistory('a');
    pushHistory('b');
    pushHistory('a');
    expect(useConsoleStore.getState().history).toEqual(['b', 'a']);
  });
});
