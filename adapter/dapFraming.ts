/**
 * Reads DAP's `Content-Length` framing from a byte stream (the standalone adapter's stdin)
 * and passes on only well-formed frames, so one framing error cannot leave the adapter
 * deaf. A header without a usable Content-Length (`abc`, missing, over the limit), a length
 * that is too long (the next header shows up inside the body) or too short (what follows
 * the body is not a header) is reported, and reading resynchronises on the next
 * `Content-Length:` header. Nothing is buffered without bound: a body over MAX_BODY_BYTES
 * is refused from its header, skipped bytes are dropped as they arrive, and every byte is
 * scanned a bounded number of times.
 *
 * A message body cannot contain a real header: JSON allows raw CR/LF only between tokens,
 * and `Content-Length` is not a JSON token. So `Content-Length: N` followed by CRLF inside a
 * body proves that the declared length was wrong.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { ByteQueue } from './byteQueue';

/** Far larger than any DAP message a client sends. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A header block longer than this without its blank line is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
/** An unfinished body that stops arriving for this long is dropped (its length was wrong). */
export const INCOMPLETE_BODY_IDLE_MS = 10_000;

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('Content-Length:');
/** A `Content-Length: <digits>` line with its CRLF: never inside a JSON body. */
const HEADER_LINE = /Content-Length: *\d+\r\n/;
/** How far back a new scan starts, so a header split across two chunks is still found. */
const SCAN_OVERLAP = 40;

export type FramingProblemReporter = (problem: string) => void;

/** A Transform from raw client bytes to clean frames; `report` gets one sentence per problem. */
export class DapFrameReader extends Transform {
  private readonly input = new ByteQueue();
  /** Declared length of the body being read, or -1 while reading a header. */
  private bodyLength = -1;
  /** Offset in the pending body where the next search for a header starts. */
  private bodyScanFrom = 0;
  /** Dropping bytes until the next header (reported once, when it starts). */
  private skipping = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly report: FramingProblemReporter) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.input.append(chunk);
    while (this.bodyLength >= 0 ? this.readBody() : this.readHeader());
    this.armIdleTimer();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.clearIdleTimer();
    if (this.bodyLength >= 0) {
      this.report(`The input ended inside a message (${this.input.length} of its ${this.bodyLength} bytes arrived); it was ignored.`);
    }
    done();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.clearIdleTimer();
    done(error);
  }

  /** Reads one header block; returns whether it made progress. */
  private readHeader(): boolean {
    const bytes = this.input.view();
    if (bytes.length === 0) return false;
    if (!this.atHeaderStart(bytes)) return this.skipToNextHeader(0);
    const end = bytes.indexOf(HEADER_END);
    if (end === -1) {
      if (bytes.length <= MAX_HEADER_BYTES) return false;
      if (!this.skipping) this.report(`Ignored a header of over ${MAX_HEADER_BYTES} bytes without the blank line that ends it.`);
      this.skipping = true;
      return this.skipToNextHeader(1);
    }
    const length = contentLength(bytes.toString('latin1', 0, end));
    if (typeof length === 'string') {
      this.report(`Ignored a message with ${length}; reading resumes at the next Content-Length header.`);
      this.skipping = true;
      // From the next byte: junk run together with a real header ("xyzContent-Length: 5") keeps the header.
      this.skipToNextHeader(1);
      return true;
    }
    this.input.consume(end + HEADER_END.length);
    this.skipping = false;
    this.bodyLength = length;
    this.bodyScanFrom = 0;
    return true;
  }

  /** Passes on the body once complete; returns whether it made progress. */
  private readBody(): boolean {
    const bytes = this.input.view();
    // A header inside the body means the declared length was too long.
    const scanEnd = Math.min(bytes.length, this.bodyLength + SCAN_OVERLAP);
    const inside = HEADER_LINE.exec(bytes.toString('latin1', this.bodyScanFrom, scanEnd));
    if (inside && this.bodyScanFrom + inside.index < this.bodyLength) {
      const at = this.bodyScanFrom + inside.index;
      this.report(`Ignored a message that declared ${this.bodyLength} bytes: the next header began after ${at}.`);
      this.input.consume(at);
      this.bodyLength = -1;
      return true;
    }
    if (bytes.length < this.bodyLength) {
      this.bodyScanFrom = Math.max(0, bytes.length - SCAN_OVERLAP);
      return false;
    }
    const frame = Buffer.concat([Buffer.from(`Content-Length: ${this.bodyLength}\r\n\r\n`, 'ascii'), bytes.subarray(0, this.bodyLength)]);
    this.input.consume(this.bodyLength);
    this.bodyLength = -1;
    this.push(frame);
    return true;
  }

  /**
   * Whether `bytes` begin a header (or may, once more bytes arrive). While skipping, only
   * `Content-Length:` itself counts, so junk run together with it is not taken for a header.
   */
  private atHeaderStart(bytes: Buffer): boolean {
    const head = bytes.toString('latin1', 0, Math.min(bytes.length, 64));
    if (this.skipping) {
      const expected = CONTENT_LENGTH.toString('latin1');
      return head.startsWith(expected) || expected.startsWith(head);
    }
    return /^[A-Za-z-]+:/.test(head) || (bytes.length < 64 && /^[A-Za-z-]*$/.test(head));
  }

  /**
   * Drops bytes up to the next `Content-Length:` at or after `from` (keeping a tail that may
   * be the start of one split across chunks); returns whether one was found.
   */
  private skipToNextHeader(from: number): boolean {
    const bytes = this.input.view();
    const next = bytes.indexOf(CONTENT_LENGTH, from);
    if (next !== -1) {
      this.skip(next);
      return true;
    }
    this.skip(Math.max(from, bytes.length - (CONTENT_LENGTH.length - 1)));
    return false;
  }

  private skip(count: number): void {
    if (count === 0) return;
    if (!this.skipping) {
      const preview = this.input.view().toString('utf8', 0, Math.min(this.input.length, 40));
      this.report(`Ignored bytes that are not a DAP message (${JSON.stringify(preview)}…); reading resumes at the next Content-Length header.`);
      this.skipping = true;
    }
    this.input.consume(count);
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    if (this.bodyLength < 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.bodyLength < 0) return;
      this.report(
        `Ignored a message that declared ${this.bodyLength} bytes: only ${this.input.length} arrived, then nothing for ` +
          `${INCOMPLETE_BODY_IDLE_MS / 1000} s.`,
      );
      this.input.consume(this.input.length);
      this.bodyLength = -1;
    }, INCOMPLETE_BODY_IDLE_MS);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/** The declared body length of a header block, or a phrase saying why it has none. */
function contentLength(header: string): number | string {
  let value: string | undefined;
  for (const line of header.split('\r\n')) {
    const match = /^([A-Za-z-]+): *(.*)$/.exec(line);
    if (!match) return `a header line that is not "Name: value" (${JSON.stringify(line.slice(0, 60))})`;
    if (match[1].toLowerCase() === 'content-length') value = match[2].trim();
  }
  if (value === undefined) return 'a header without Content-Length';
  if (!/^\d+$/.test(value)) return `Content-Length ${JSON.stringify(value.slice(0, 40))}, which is not a number of bytes`;
  const length = Number(value);
  if (length > MAX_BODY_BYTES) return `Content-Length ${value}, over the limit of ${MAX_BODY_BYTES} bytes`;
  return length;
}
