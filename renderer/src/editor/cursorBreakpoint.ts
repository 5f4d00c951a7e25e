/** F9: toggle a breakpoint on the cursor's line of the focused editor. */
import { toggleBreakpoint } from '../session/breakpointSync';
import { useEditorStore } from '../stores/editorStore';

let cursorLine: () => number | null = () => null;

/** The editor view registers how to read its cursor line (kept out of Monaco-free modules). */
export function setCursorLineSource(source: () => number | null): void {
  cursorLine = source;
}

export function toggleBreakpointAtCursor(): void {
  const path = useEditorStore.getState().activePath;
  const line = cursorLine();
  if (path && line !== null) void toggleBreakpoint(path, line);
}
