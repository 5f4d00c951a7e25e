/**
 * Keyboard shortcuts, as in VS Code's debugger. Apply Changes is Ctrl+Alt+Enter (Cmd+Alt+Enter
 * on macOS): Monaco uses Ctrl+Enter and Ctrl+Shift+Enter for inserting lines, not this one.
 */
import type { MenuCommand } from '../../../common/bridge';

export type ShortcutCommand = MenuCommand | 'breakpoint.toggle';

export interface KeyChord {
  readonly key: string;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly alt?: boolean;
}

export const SHORTCUTS: ReadonlyArray<{ readonly chord: KeyChord; readonly command: ShortcutCommand; readonly label: string }> = [
  { chord: { key: 'F5', ctrl: true, shift: true }, command: 'debug.restart', label: 'Ctrl+Shift+F5' },
  { chord: { key: 'F5', shift: true }, command: 'debug.stop', label: 'Shift+F5' },
  { chord: { key: 'F5' }, command: 'debug.start', label: 'F5' },
  { chord: { key: 'F6' }, command: 'debug.pause', label: 'F6' },
  { chord: { key: 'F9' }, command: 'breakpoint.toggle', label: 'F9' },
  { chord: { key: 'F10' }, command: 'debug.stepOver', label: 'F10' },
  { chord: { key: 'F11', shift: true }, command: 'debug.stepOut', label: 'Shift+F11' },
  { chord: { key: 'F11' }, command: 'debug.stepInto', label: 'F11' },
  { chord: { key: 'Enter', ctrl: true, alt: true }, command: 'debug.applyChanges', label: 'Ctrl+Alt+Enter' },
  { chord: { key: 's', ctrl: true }, command: 'file.save', label: 'Ctrl+S' },
  { chord: { key: 'o', ctrl: true }, command: 'file.open', label: 'Ctrl+O' },
  { chord: { key: 'p', ctrl: true }, command: 'file.quickOpen', label: 'Ctrl+P' },
];

export interface KeyEventLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** The command bound to a key event; Cmd counts as Ctrl so macOS users get their usual chords. */
export function commandForKey(event: KeyEventLike): ShortcutCommand | null {
  const ctrl = event.ctrlKey || event.metaKey;
  for (const { chord, command } of SHORTCUTS) {
    if (chord.key.toLowerCase() !== event.key.toLowerCase()) continue;
    if (Boolean(chord.ctrl) !== ctrl || Boolean(chord.shift) !== event.shiftKey || Boolean(chord.alt) !== event.altKey) continue;
    return command;
  }
  return null;
}

export function shortcutLabel(command: ShortcutCommand): string {
  return SHORTCUTS.find((item) => item.command === command)?.label ?? '';
}
