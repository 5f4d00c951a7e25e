/** Finds the expression a hover should evaluate; pure, so it is tested without Monaco. */

/** The dotted name under the cursor: `basket.items` when hovering `items` in `basket.items`. */
export function expressionAt(lineText: string, column: number): { expression: string; start: number; end: number } | null {
  const index = column - 1;
  const identifier = /[A-Za-z_][A-Za-z0-9_]*/g;
  let match: RegExpExecArray | null;
  while ((match = identifier.exec(lineText)) !== null) {
    const start = match.index;
    const end = start + match[0].length;
    if (index < start || index > end) continue;
    let chainStart = start;
    while (chainStart > 0 && lineText[chainStart - 1] === '.') {
      const previous = /[A-Za-z_][A-Za-z0-9_]*$/.exec(lineText.slice(0, chainStart - 1));
      if (!previous) break;
      chainStart = chainStart - 1 - previous[0].length;
    }
    const expression = lineText.slice(chainStart, end);
    if (PYTHON_KEYWORDS.has(expression)) return null;
    return { expression, start: chainStart + 1, end: end + 1 };
  }
  return null;
}

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
