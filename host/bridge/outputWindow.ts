/**
 * Output flow control between a debug session and the renderer that shows its output, for
 * the hosts that carry DAP over the bridge (Electron IPC, `dapper serve`'s WebSocket). The
 * host counts the text of every `output` event it sends; the renderer reports what it has
 * handled (`dap.consumed`). While more than WINDOW characters wait, the adapter stops reading
 * program output (the program blocks on its next write), so a program printing without end
 * never grows the host's or the renderer's memory.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { OutputBackpressure } from '../../adapter/outputAndInput';

/** Characters of output that may wait for the renderer before the program is held. */
export const OUTPUT_WINDOW_CHARS = 4 * 1024 * 1024;

/** The characters an adapter message adds to the window: an `output` event's text. */
export function outputCharsOf(message: DebugProtocol.ProtocolMessage): number {
  if (message.type !== 'event' || (message as DebugProtocol.Event).event !== 'output') return 0;
  const output = (message as DebugProtocol.OutputEvent).body?.output;
  return typeof output === 'string' ? output.length : 0;
}

export class OutputWindow implements OutputBackpressure {
  private waiting = 0;
  private drained: Array<() => void> = [];

  constructor(private readonly limit = OUTPUT_WINDOW_CHARS) {}

  /** Characters sent to the renderer and not yet reported handled. */
  get pending(): number {
    return this.waiting;
  }

  sent(chars: number): void {
    this.waiting += chars;
  }

  /** The renderer handled `chars` more characters (never more than were sent). */
  consumed(chars: number): void {
    this.waiting = Math.max(0, this.waiting - chars);
    if (!this.isCongested()) this.release();
  }

  isCongested(): boolean {
    return this.waiting > this.limit;
  }

  onceDrained(callback: () => void): void {
    if (!this.isCongested()) callback();
    else this.drained.push(callback);
  }

  /** The renderer is gone: nothing will be consumed any more, let the program run. */
  release(): void {
    const callbacks = this.drained;
    this.drained = [];
    for (const callback of callbacks) callback();
  }
}
