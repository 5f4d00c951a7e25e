/**
 * The on/off settings the Settings view shows, in order. A feature that adds a boolean to
 * `Settings` (common/bridge.ts) and the host's settingsStore lists it here to get a switch.
 */
import type { Settings } from '../../../common/bridge';

export type BooleanSettingKey = { [K in keyof Settings]: Settings[K] extends boolean ? K : never }[keyof Settings];

export interface SettingSwitch {
  readonly key: BooleanSettingKey;
  readonly label: string;
  readonly help: string;
}

export const SETTING_SWITCHES: readonly SettingSwitch[] = [
  {
    key: 'applyOnSave',
    label: 'Apply Changes on save',
    help: 'Ctrl+S on a file the program has loaded also applies the change to the running program.',
  },
  {
    key: 'stopOnEntry',
    label: 'Stop on entry',
    help: 'A script started with F5 stops on its first line.',
  },
  {
    key: 'justMyCode',
    label: 'Just my code',
    help: 'Step and stop only in your code, not in the standard library or installed packages.',
  },
];
