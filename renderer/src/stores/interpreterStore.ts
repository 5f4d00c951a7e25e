/**
 * Select Interpreter: what the host found for the workspace folder (or for single files),
 * whether the picker is open. The choice itself is a setting (settingsStore:
 * `interpreterChoices` per folder, `python` without a folder).
 */
import { create } from 'zustand';
import type { InterpreterDiscovery } from '../../../common/bridge';

interface InterpreterState {
  /** The folder the discovery below belongs to (null: no folder). */
  readonly discoveredFor: string | null | undefined;
  readonly discovery: InterpreterDiscovery | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly pickerVisible: boolean;
  beginDiscovery(folder: string | null): void;
  setDiscovery(folder: string | null, discovery: InterpreterDiscovery): void;
  setError(folder: string | null, error: string): void;
  setPickerVisible(visible: boolean): void;
}

export const useInterpreterStore = create<InterpreterState>()((set, get) => ({
  discoveredFor: undefined,
  discovery: null,
  loading: false,
  error: null,
  pickerVisible: false,
  beginDiscovery: (folder) =>
    set({ discoveredFor: folder, loading: true, error: null, discovery: get().discoveredFor === folder ? get().discovery : null }),
  setDiscovery(folder, discovery) {
    if (get().discoveredFor === folder) set({ discovery, loading: false, error: null });
  },
  setError(folder, error) {
    if (get().discoveredFor === folder) set({ loading: false, error });
  },
  setPickerVisible: (pickerVisible) => set({ pickerVisible }),
}));
