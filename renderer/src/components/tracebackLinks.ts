/**
 * Python traceback lines (`  File "/path/app.py", line 12, in main`) become links that open
 * the file at that line, as in VS Code's Debug Console.
 */
export interface TracebackLocation {
  readonly before: string;
  readonly link: string;
  readonly after: string;
  readonly path: string;
  readonly lineNumber: number;
}

const TRACEBACK_LINE = /File "([^"]+)", line (\d+)/;

export function findTracebackLocation(text: string): TracebackLocation | null {
  const match = TRACEBACK_LINE.exec(text);
  if (!match || match.index === undefined) return null;
  const path = match[1] ?? '';
  // "<string>", "<frozen importlib._bootstrap>": no file to open.
  if (path.startsWith('<')) return null;
  return {
    before: text.slice(0, match.index),
    link: match[0],
    after: text.slice(match.index + match[0].length),
    path,
    lineNumber: Number(match[2]),
  };
}
