/**
 * What the editor marks on each line (breakpoint glyphs, the current line, the selected
 * frame's line), computed from the stores without Monaco so it can be tested.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { SourceBreakpoint } from '../stores/breakpointStore';
import { sourceKey } from './debugSourceKey';

export type LineMarkKind =
  | 'breakpoint'
  | 'breakpoint-conditional'
  | 'breakpoint-log'
  | 'breakpoint-disabled'
  | 'breakpoint-unverified'
  | 'current-line'
  | 'selected-frame-line';

export interface LineMark {
  readonly line: number;
  readonly kind: LineMarkKind;
  readonly hover: string;
  /** For breakpoint marks: which breakpoint, so the editor can move it with the text. */
  readonly breakpointId?: string;
  /** For the current/selected line: a breakpoint sits on it too (drawn as one glyph). */
  readonly onBreakpoint?: boolean;
}

export function breakpointKind(bp: SourceBreakpoint, sessionActive: boolean): LineMarkKind {
  if (!bp.enabled) return 'breakpoint-disabled';
  if (sessionActive && !bp.verified) return 'breakpoint-unverified';
  if (bp.logMessage) return 'breakpoint-log';
  if (bp.condition || bp.hitCondition) return 'breakpoint-conditional';
  return 'breakpoint';
}

export function breakpointHover(bp: SourceBreakpoint, sessionActive: boolean): string {
  const parts = [bp.enabled ? 'Breakpoint' : 'Disabled breakpoint'];
  if (bp.condition) parts.push(`when ${bp.condition}`);
  if (bp.hitCondition) parts.push(`hit count ${bp.hitCondition}`);
  if (bp.logMessage) parts.push(`logs "${bp.logMessage}"`);
  if (sessionActive && bp.enabled && !bp.verified) parts.push(`— not bound yet${bp.message ? `: ${bp.message}` : ''}`);
  return `${parts.join(', ')}. Click to remove, right-click to edit.`;
}

export function planLineMarks(options: {
  readonly path: string;
  readonly breakpoints: readonly SourceBreakpoint[];
  readonly sessionActive: boolean;
  readonly topFrame: DebugProtocol.StackFrame | null;
  readonly selectedFrame: DebugProtocol.StackFrame | null;
}): LineMark[] {
  const marks: LineMark[] = options.breakpoints
    .filter((bp) => bp.path === options.path)
    .map((bp) => ({
      breakpointId: bp.id,
      line: bp.line,
      kind: breakpointKind(bp, options.sessionActive),
      hover: breakpointHover(bp, options.sessionActive),
    }));
  const { topFrame, selectedFrame } = options;
  if (topFrame && sourceKey(topFrame.source) === options.path) {
    const onBreakpoint = marks.some((mark) => mark.line === topFrame.line);
    marks.push({ line: topFrame.line, kind: 'current-line', hover: 'The program is stopped here.', onBreakpoint });
  }
  if (selectedFrame && selectedFrame.id !== topFrame?.id && sourceKey(selectedFrame.source) === options.path) {
    marks.push({ line: selectedFrame.line, kind: 'selected-frame-line', hover: `Selected frame: ${selectedFrame.name}` });
  }
  return marks;
}
