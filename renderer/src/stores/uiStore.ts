/** Transient UI state shared by distant components (the breakpoint editor, the open-path box). */
import { create } from 'zustand';

export interface BreakpointEditorTarget {
  readonly path: string;
  readonly line: number;
}

interface UiState {
  readonly breakpointEditor: BreakpointEditorTarget | null;
  readonly openPathVisible: boolean;
  /** What the path box opens: a file, or (browser host's Open Folder…) a folder. */
  readonly openPathKind: 'file' | 'folder';
  readonly quickOpenVisible: boolean;
  readonly settingsVisible: boolean;
  openBreakpointEditor(target: BreakpointEditorTarget): void;
  closeBreakpointEditor(): void;
  setOpenPathVisible(visible: boolean, kind?: 'file' | 'folder'): void;
  setQuickOpenVisible(visible: boolean): void;
  setSettingsVisible(visible: boolean): void;
}

export const useUiStore = create<UiState>()((set) => ({
  breakpointEditor: null,
  openPathVisible: false,
  openPathKind: 'file',
  quickOpenVisible: false,
  settingsVisible: false,
  openBreakpointEditor: (breakpointEditor) => set({ breakpointEditor }),
  closeBreakpointEditor: () => set({ breakpointEditor: null }),
  setOpenPathVisible: (openPathVisible, openPathKind = 'file') => set({ openPathVisible, openPathKind }),
  setQuickOpenVisible: (quickOpenVisible) => set({ quickOpenVisible }),
  setSettingsVisible: (settingsVisible) => set({ settingsVisible }),
}));
