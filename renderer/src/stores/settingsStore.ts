/** Host settings and app facts, loaded once at start-up and updated through the bridge. */
import { create } from 'zustand';
import { DEFAULT_SETTINGS, type AppInfo, type Settings } from '../../../common/bridge';

interface SettingsState {
  readonly settings: Settings;
  readonly appInfo: AppInfo | null;
  readonly loaded: boolean;
  setSettings(settings: Settings): void;
  setAppInfo(info: AppInfo): void;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: DEFAULT_SETTINGS,
  appInfo: null,
  loaded: false,
  setSettings: (settings) => set({ settings, loaded: true }),
  setAppInfo: (appInfo) => set({ appInfo }),
}));
