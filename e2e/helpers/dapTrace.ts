/**
 * What the adapter sent the window, read back from the DAP trace (DAPPER_TRACE_DAP=1, one
 * line per message on the host's stderr, bodies cut to a preview; host/dapTrace.ts). The
 * Debug Console is virtualised and Playwright normalises whitespace, so a test that must see
 * every line a program printed, exactly, reads them here.
 */

const OUTPUT_EVENT = /^dap \S+ <- event output (.*)$/gm;

export interface TracedOutput {
  readonly category: string;
  /** The event's text; when the trace cut the body short, only its complete lines. */
  readonly output: string;
  readonly truncated: boolean;
}

/** Parses one output event's body preview; a cut body keeps the lines that ended before the cut. */
function parseBody(preview: string): TracedOutput {
  try {
    const body = JSON.parse(preview) as { category?: string; output?: string };
    return { category: body.category ?? 'console', output: body.output ?? '', truncated: false };
  } catch {
    const category = /^\{"category":"(\w+)"/.exec(preview)?.[1] ?? 'console';
    const start = preview.indexOf('"output":"');
    const lastNewline = preview.lastIndexOf('\\n');
    if (start === -1 || lastNewline < start) return { category, output: '', truncated: true };
    const output = JSON.parse(`${preview.slice(start + '"output":'.length, lastNewline + 2)}"`) as string;
    return { category, output, truncated: true };
  }
}

/** The output events in a host's log, in the order the adapter sent them. */
export function tracedOutput(log: string): TracedOutput[] {
  return [...log.matchAll(OUTPUT_EVENT)].map((match) => parseBody(match[1]!));
}

/**
 * The lines the program printed on stdout, exactly (no whitespace folding), as the adapter
 * sent them to the window. A line split over two events is joined; an event whose body the
 * trace cut short contributes its complete lines only, so a line may be missing but none is
 * ever altered.
 */
export function programStdoutLines(log: string): string[] {
  const lines: string[] = [];
  let partial = '';
  let cut = false; // the previous event lost its end: text up to the next newline belongs to a lost line
  for (const event of tracedOutput(log)) {
    if (event.category !== 'stdout') continue;
    let text = partial + event.output;
    partial = '';
    if (cut) {
      const newline = text.indexOf('\n');
      if (newline === -1) continue;
      text = text.slice(newline + 1);
      cut = false;
    }
    const pieces = text.split('\n');
    const rest = pieces.pop()!;
    lines.push(...pieces);
    if (event.truncated) cut = true;
    else partial = rest;
  }
  return lines;
}

/** How many `command` requests the window sent its adapters. */
export function tracedRequestCount(log: string, command: string): number {
  return [...log.matchAll(/^dap \S+ -> request #\d+ (\S+)/gm)].filter((match) => match[1] === command).length;
}
