/** Open files that changed on disk while they had unsaved edits: the user decides which wins. */
import { create } from 'zustand';

export interface ExternalChange {
  readonly content: string;
  readonly mtimeMs: number;
}

interface ExternalChangeState {
  readonly conflicts: Readonly<Record<string, ExternalChange>>;
  report(path: string, content: string, mtimeMs: number): void;
  clear(path: string): void;
}

export const useExternalChangeStore = create<ExternalChangeState>()((set, get) => ({
  conflicts: {},
  report: (path, content, mtimeMs) => set({ conflicts: { ...get().conflicts, [path]: { content, mtimeMs } } }),
  clear(path) {
    if (!get().conflicts[path]) return;
    const { [path]: _gone, ...rest } = get().conflicts;
    set({ conflicts: rest });
  },
}));
