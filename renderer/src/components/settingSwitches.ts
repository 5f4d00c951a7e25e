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
    key: 'prepareApplyWhileEditing',
    label: 'Faster Apply Changes while running',
    help: 'While you edit a file of a running program, the debugger gets ready to apply it, so the apply does not wait '
      + 'behind busy threads. Meanwhile a program whose threads all compute in Python runs slower (they switch more often).',
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
