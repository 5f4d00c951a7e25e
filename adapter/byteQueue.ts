/**
 * A growable byte buffer for stream parsing: appending is amortised O(1) per byte (the
 * storage doubles instead of being copied on every chunk) and consuming from the front is
 * O(1), so reading a large message in many small chunks costs linear time.
 */
export class ByteQueue {
  private storage = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Buffer): void {
    if (this.end + chunk.length > this.storage.length) {
      const needed = this.length + chunk.length;
      const next = needed <= this.storage.length / 2 ? this.storage : Buffer.alloc(Math.max(4096, needed * 2));
      this.storage.copy(next, 0, this.start, this.end);
      this.storage = next;
      this.end = this.length;
      this.start = 0;
    }
    chunk.copy(this.storage, this.end);
    this.end += chunk.length;
  }

  /** The queued bytes; valid until the next append or consume. */
  view(): Buffer {
    return this.storage.subarray(this.start, this.end);
  }

  consume(count: number): void {
    this.start = Math.min(this.end, this.start + count);
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // Do not hold on to a large buffer once it is empty.
      if (this.storage.length > 1024 * 1024) this.storage = Buffer.alloc(0);
    }
  }
}
