/**
 * Keys that belong to Monaco's find/replace widget (Ctrl+F, Ctrl+H) win over the app's
 * shortcuts, as in VS Code: Ctrl+Alt+Enter is Replace All there (editor focused and the find
 * widget open), and Enter/Ctrl+Enter/Alt+Enter drive its inputs.
 */
import type { ShortcutCommand } from './keymap';

/** Commands whose chords Monaco's find widget also uses. */
const FIND_WIDGET_CHORDS: ReadonlySet<ShortcutCommand> = new Set(['debug.applyChanges']);

function closestElement(target: EventTarget | null): Element | null {
  if (!target || typeof (target as Element).closest !== 'function') return null;
  return target as Element;
}

/** True when the key event happened in an editor whose find widget is open (or in the widget). */
export function isFindWidgetActive(target: EventTarget | null): boolean {
  const element = closestElement(target);
  if (!element) return false;
  if (element.closest('.find-widget')) return true;
  const editor = element.closest('.monaco-editor');
  return Boolean(editor?.querySelector('.find-widget.visible'));
}

/** The app leaves this command's key to Monaco's find widget. */
export function yieldsToFindWidget(command: ShortcutCommand, target: EventTarget | null): boolean {
  return FIND_WIDGET_CHORDS.has(command) && isFindWidgetActive(target);
}
