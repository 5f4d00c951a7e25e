import { describe, expect, it } from 'vitest';
import { commandForKey, shortcutLabel } from '../src/keyboard/keymap';
import { expressionAt } from '../src/editor/hoverExpression';
import { planLineMarks } from '../src/editor/decorationPlan';
import { applyCompletion } from '../src/session/consoleActions';
import type { SourceBreakpoint } from '../src/stores/breakpointStore';
import { findTracebackLocation } from '../src/components/tracebackLinks';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe('keyboard shortcuts (VS Code debugger keys)', () => {
  it('maps F-keys with modifiers to the right command', () => {
    expect(commandForKey(key('F5'))).toBe('debug.start');
    expect(commandForKey(key('F5', { shiftKey: true }))).toBe('debug.stop');
    expect(commandForKey(key('F5', { ctrlKey: true, shiftKey: true }))).toBe('debug.restart');
    expect(commandForKey(key('F6'))).toBe('debug.pause');
    expect(commandForKey(key('F9'))).toBe('breakpoint.toggle');
    expect(commandForKey(key('F10'))).toBe('debug.stepOver');
    expect(commandForKey(key('F11'))).toBe('debug.stepInto');
    expect(commandForKey(key('F11', { shiftKey: true }))).toBe('debug.stepOut');
    expect(commandForKey(key('Enter', { ctrlKey: true, altKey: true }))).toBe('debug.applyChanges');
    expect(commandForKey(key('Enter', { metaKey: true, altKey: true }))).toBe('debug.applyChanges');
    expect(commandForKey(key('s', { ctrlKey: true }))).toBe('file.save');
  });

  it('leaves the editor its own chords', () => {
    expect(commandForKey(key('Enter', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('s'))).toBeNull();
    expect(commandForKey(key('F12'))).toBeNull();
    expect(shortcutLabel('debug.applyChanges')).toBe('Ctrl+Alt+Enter');
  });
});

describe('hover expression', () => {
  const line = '    total = basket.items[0] + price_with_tax(price)';
  it('takes the dotted name up to the hovered identifier', () => {
    expect(expressionAt(line, line.indexOf('items') + 2)?.expression).toBe('basket.items');
    expect(expressionAt(line, line.indexOf('basket') + 1)?.expression).toBe('basket');
    expect(expressionAt(line, line.lastIndexOf('price') + 1)?.expression).toBe('price');
  });
  it('ignores keywords and blanks', () => {
    expect(expressionAt('    return x', 6)).toBeNull();
    expect(expressionAt('    return x', 2)).toBeNull();
  });
});

describe('editor line marks', () => {
  const bp = (line: number, extra: Partial<SourceBreakpoint> = {}): SourceBreakpoint => ({
    id: `b${line}`, path: '/a.py', line, enabled: true, verified: true, ...extra,
  });
  it('marks breakpoints by kind, the current line and a different selected frame', () => {
    const marks = planLineMarks({
      path: '/a.py',
      breakpoints: [bp(1), bp(2, { enabled: false }), bp(3, { condition: 'x' }), bp(4, { logMessage: 'hi' }), bp(5, { verified: false }), { ...bp(6), path: '/b.py' }],
      sessionActive: true,
      topFrame: { id: 1, name: 'f', line: 9, column: 1, source: { path: '/a.py' } },
      selectedFrame: { id: 2, name: 'g', line: 12, column: 1, source: { path: '/a.py' } },
    });
    expect(marks.map((mark) => [mark.line, mark.kind])).toEqual([
      [1, 'breakpoint'],
      [2, 'breakpoint-disabled'],
      [3, 'breakpoint-conditional'],
      [4, 'breakpoint-log'],
      [5, 'breakpoint-unverified'],
      [9, 'current-line'],
      [12, 'selected-frame-line'],
    ]);
  });
});

describe('console completion', () => {
  it('replaces the last segment of the dotted word at the caret', () => {
    expect(applyCompletion('basket.it', 9, { label: 'items' })).toEqual({ text: 'basket.items', caret: 12 });
  });
  it('uses the adapter start/length, 1-based as DAP says or 0-based as debugpy sends', () => {
    expect(applyCompletion('len(bas', 7, { label: 'basket', start: 5, length: 3 })).toEqual({ text: 'len(basket', caret: 10 });
    expect(applyCompletion('len(bas', 7, { label: 'basket', start: 4, length: 3 })).toEqual({ text: 'len(basket', caret: 10 });
    expect(applyCompletion('small.ke', 8, { label: 'keys', start: 6, length: 2 })).toEqual({ text: 'small.keys', caret: 10 });
  });
});

describe('traceback links in the Debug Console', () => {
  it('finds the file and line of a traceback entry', () => {
    expect(findTracebackLocation('  File "/p/app.py", line 12, in main')).toEqual({
      before: '  ',
      link: 'File "/p/app.py", line 12',
      after: ', in main',
      path: '/p/app.py',
      lineNumber: 12,
    });
  });
  it('ignores pseudo-files and ordinary output', () => {
    expect(findTracebackLocation('  File "<frozen importlib._bootstrap>", line 1, in x')).toBeNull();
    expect(findTracebackLocation('value 12')).toBeNull();
  });
});
