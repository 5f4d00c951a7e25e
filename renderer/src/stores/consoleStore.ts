/**
 * Debug Console contents. Output arrives in bursts (a flood can be megabytes), so appends
 * are buffered and flushed at most once per frame as one state update, lines are stored
 * split, and the oldest lines are dropped past a cap so memory and rendering stay bounded.
 */
import { create } from 'zustand';

export type ConsoleCategory = 'stdout' | 'stderr' | 'console' | 'important' | 'input' | 'result' | 'error';

export interface ConsoleLine {
  readonly id: number;
  readonly category: ConsoleCategory;
  readonly text: string;
  /** False while the program has written part of a line without its newline. */
  readonly complete: boolean;
}

export type ConsoleInputMode = 'evaluate' | 'programInput';

export const MAX_CONSOLE_LINES = 100_000;
const FLUSH_DELAY_MS = 16;

interface PendingChunk {
  readonly category: ConsoleCategory;
  readonly text: string;
}

interface ConsoleState {
  readonly lines: readonly ConsoleLine[];
  readonly trimmedLines: number;
  readonly history: readonly string[];
  readonly inputMode: ConsoleInputMode;
  append(category: ConsoleCategory, text: string): void;
  /** Applies buffered output now (called by the timer; tests call it directly). */
  flush(): void;
  clear(): void;
  pushHistory(entry: string): void;
  setInputMode(mode: ConsoleInputMode): void;
}

let pending: PendingChunk[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;
let nextLineId = 1;

export const useConsoleStore = create<ConsoleState>()((set, get) => ({
  lines: [],
  trimmedLines: 0,
  history: [],
  inputMode: 'evaluate',
  append(category, text) {
    if (text === '') return;
    pending.push({ category, text });
    if (flushTimer === null) {
      flushTimer = setTimeout(() => get().flush(), FLUSH_DELAY_MS);
    }
  },
  flush() {
    if (flushTimer !== null) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    if (pending.length === 0) return;
    const chunks = pending;
    pending = [];
    const lines = get().lines.slice();
    for (const chunk of chunks) appendChunk(lines, chunk);
    const excess = lines.length - MAX_CONSOLE_LINES;
    if (excess > 0) {
      lines.splice(0, excess);
      set({ lines, trimmedLines: get().trimmedLines + excess });
    } else {
      set({ lines });
    }
  },
  clear() {
    pending = [];
    set({ lines: [], trimmedLines: 0 });
  },
  pushHistory(entry) {
    const history = get().history.filter((item) => item !== entry);
    history.push(entry);
    set({ history: history.slice(-200) });
  },
  setInputMode: (inputMode) => set({ inputMode }),
}));

function appendChunk(lines: ConsoleLine[], chunk: PendingChunk): void {
  const parts = chunk.text.replace(/\r\n/g, '\n').split('\n');
  const endsWithNewline = parts[parts.length - 1] === '';
  if (endsWithNewline) parts.pop();
  parts.forEach((part, index) => {
    const complete = index < parts.length - 1 || endsWithNewline;
    const last = lines[lines.length - 1];
    if (index === 0 && last && !last.complete && last.category === chunk.category) {
      lines[lines.length - 1] = { ...last, text: last.text + part, complete };
    } else {
      lines.push({ id: nextLineId++, category: chunk.category, text: part, complete });
    }
  });
}
