/** Window-level shortcuts, caught before Monaco or the browser (F11 fullscreen, Ctrl+S save page). */
import { useEffect } from 'react';
import { commandForKey } from './keymap';
import { yieldsToFindWidget } from './findWidgetKeys';
import { runCommand } from '../session/commands';
import { toggleBreakpointAtCursor } from '../editor/cursorBreakpoint';

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = commandForKey(event);
      if (!command || yieldsToFindWidget(command, event.target)) return;
      event.preventDefault();
      event.stopPropagation();
      if (command === 'breakpoint.toggle') toggleBreakpointAtCursor();
      else void runCommand(command);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
