/**
 * Settings and recent files, persisted as JSON in the user's config folder. A file that
 * cannot be parsed is kept aside (never overwritten) and the defaults are used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../common/bridge';
import { atomicWriteFile } from '../workspace/atomicFile';
import { BridgeInputError } from '../bridge/bridgeErrors';

const SETTINGS_FILE = 'settings.json';
export const MAX_RECENT_FILES = 10;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const BOOLEAN_KEYS = ['applyOnSave', 'prepareApplyWhileEditing', 'stopOnEntry', 'justMyCode'] as const;

/** Checks a settings patch from the renderer; unknown keys and wrong types are refused. */
export function validateSettingsPatch(patch: unknown): Partial<Settings> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new BridgeInputError('settings.update expects an object of settings to change.');
  }
  const result: Partial<Mutable<Settings>> = {};
  for (const [key, value] of Object.entries(patch)) {
    if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw new BridgeInputError(`Setting "${key}" must be true or false.`);
      (result as Record<string, unknown>)[key] = value;
    } else if (key === 'python') {
      if (typeof value !== 'string') throw new BridgeInputError('Setting "python" must be a path (or empty for automatic).');
      result.python = value;
    } else if (key === 'recentFiles' || key === 'recentFolders') {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        throw new BridgeInputError(`Setting "${key}" must be a list of paths.`);
      }
      result[key] = value.slice(0, MAX_RECENT_FILES);
    } else if (key === 'launchChoices') {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((item) => typeof item === 'string')) {
        throw new BridgeInputError('Setting "launchChoices" must map folder paths to configuration names.');
      }
      result.launchChoices = { ...(value as Record<string, string>) };
    } else if (key === 'interpreterChoices') {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((item) => typeof item === 'string')) {
        throw new BridgeInputError('Setting "interpreterChoices" must map folder paths to interpreter paths.');
      }
      result.interpreterChoices = { ...(value as Record<string, string>) };
    } else {
      throw new BridgeInputError(`Unknown setting "${key}".`);
    }
  }
  return result;
}

export class SettingsStore {
  private current: Settings;
  /** Set when the settings file existed but was unreadable; the user is told once. */
  readonly loadWarning: string | null;

  constructor(private readonly configDir: string) {
    const { settings, warning } = this.load();
    this.current = settings;
    this.loadWarning = warning;
  }

  get file(): string {
    return path.join(this.configDir, SETTINGS_FILE);
  }

  get(): Settings {
    return this.current;
  }

  update(patch: unknown): Settings {
    const valid = validateSettingsPatch(patch);
    this.current = { ...this.current, ...valid };
    this.persist();
    return this.current;
  }

  /** Moves `filePath` to the top of Recent, keeping at most MAX_RECENT_FILES entries. */
  addRecentFile(filePath: string): Settings {
    const recent = [filePath, ...this.current.recentFiles.filter((item) => item !== filePath)];
    this.current = { ...this.current, recentFiles: recent.slice(0, MAX_RECENT_FILES) };
    this.persist();
    return this.current;
  }

  /** Moves `folder` to the top of the recent folders. */
  addRecentFolder(folder: string): Settings {
    const recent = [folder, ...this.current.recentFolders.filter((item) => item !== folder)];
    this.current = { ...this.current, recentFolders: recent.slice(0, MAX_RECENT_FILES) };
    this.persist();
    return this.current;
  }

  private persist(): void {
    fs.mkdirSync(this.configDir, { recursive: true });
    atomicWriteFile(this.file, `${JSON.stringify(this.current, null, 2)}\n`);
  }

  private load(): { settings: Settings; warning: string | null } {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { settings: DEFAULT_SETTINGS, warning: null };
    }
    try {
      const parsed: unknown = JSON.parse(text);
      const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
      if (typeof parsed === 'object' && parsed !== null) {
        for (const [key, value] of Object.entries(parsed)) {
          try {
            Object.assign(merged, validateSettingsPatch({ [key]: value }));
          } catch {
            // One bad entry does not throw away the others.
          }
        }
      }
      return { settings: merged as unknown as Settings, warning: null };
    } catch (error) {
      const aside = `${this.file}.unreadable-${Date.now()}`;
      try {
        fs.copyFileSync(this.file, aside);
      } catch {
        // Keeping the copy is best effort; the original is not touched until the next save.
      }
      return {
        settings: DEFAULT_SETTINGS,
        warning: `Settings file ${this.file} could not be read (${(error as Error).message}); ` +
          `defaults are in use and the old file was kept as ${aside}.`,
      };
    }
  }
}
