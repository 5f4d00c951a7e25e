/**
 * Splits a byte stream into newline-terminated lines (the agent wire protocol's framing),
 * decoding UTF-8 across chunk boundaries. Each byte is scanned once (a partial line is kept
 * as a list of chunks, not re-searched on every chunk), and a line longer than
 * `maxLineBytes` is never accumulated: `onOverflow` is called once and the reader drops
 * everything up to the next newline.
 */
export class LineReader {
  private partial: Buffer[] = [];
  private partialLength = 0;
  private overflowed = false;

  constructor(
    private readonly onLine: (line: string) => void,
    /** May be changed between chunks (e.g. raised once a peer has authenticated). */
    public maxLineBytes = Number.POSITIVE_INFINITY,
    private readonly onOverflow: (length: number) => void = () => undefined,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.append(chunk.subarray(start, newline));
      this.finishLine();
      start = newline + 1;
    }
    this.append(chunk.subarray(start));
  }

  private append(piece: Buffer): void {
    if (piece.length === 0 || this.overflowed) return;
    this.partialLength += piece.length;
    if (this.partialLength > this.maxLineBytes) {
      this.overflowed = true;
      this.partial = [];
      this.onOverflow(this.partialLength);
      return;
    }
    this.partial.push(piece);
  }

  private finishLine(): void {
    const line = this.overflowed ? '' : Buffer.concat(this.partial, this.partialLength).toString('utf8');
    this.partial = [];
    this.partialLength = 0;
    this.overflowed = false;
    if (line.trim()) this.onLine(line);
  }
}
