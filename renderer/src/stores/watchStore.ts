/** Watch expressions, kept across sessions like VS Code's; results come from each stop. */
import { create } from 'zustand';

export interface WatchExpression {
  readonly id: string;
  readonly expression: string;
}

interface WatchState {
  readonly expressions: readonly WatchExpression[];
  add(expression: string): WatchExpression | null;
  remove(id: string): void;
  edit(id: string, expression: string): void;
}

let nextWatchId = 1;

export const useWatchStore = create<WatchState>()((set, get) => ({
  expressions: [],
  add(expression) {
    const trimmed = expression.trim();
    if (!trimmed) return null;
    const item = { id: `w${nextWatchId++}`, expression: trimmed };
    set({ expressions: [...get().expressions, item] });
    return item;
  },
  remove(id) {
    set({ expressions: get().expressions.filter((item) => item.id !== id) });
  },
  edit(id, expression) {
    const trimmed = expression.trim();
    if (!trimmed) return get().remove(id);
    set({ expressions: get().expressions.map((item) => (item.id === id ? { ...item, expression: trimmed } : item)) });
  },
}));

export function watchNodeKey(id: string): string {
  return `watch:${id}`;
}
