/** Transient UI state shared by distant components (the breakpoint editor, the open-path box). */
import { create } from 'zustand';

export interface BreakpointEditorTarget {
  readonly path: string;
  readonly line: number;
}

interface UiState {
  readonly breakpointEditor: BreakpointEditorTarget | null;
  readonly openPathVisible: boolean;
  openBreakpointEditor(target: BreakpointEditorTarget): void;
  closeBreakpointEditor(): void;
  setOpenPathVisible(visible: boolean): void;
}

export const useUiStore = create<UiState>()((set) => ({
  breakpointEditor: null,
  openPathVisible: false,
  openBreakpointEditor: (breakpointEditor) => set({ breakpointEditor }),
  closeBreakpointEditor: () => set({ breakpointEditor: null }),
  setOpenPathVisible: (openPathVisible) => set({ openPathVisible }),
}));
