/**
 * Program output and input. Output that does not pass through the agent: bytes the debuggee writes to its
 * stdout/stderr file descriptors (C extensions, child processes, os.write). Decoded as
 * UTF-8 across chunk boundaries and forwarded as DAP `output` events. When the client
 * cannot keep up, reading pauses so that a program printing 50 MB neither hangs the
 * session nor grows the adapter's memory.
 */
import { StringDecoder } from 'node:string_decoder';
import type { SEND_INPUT_REQUEST } from '../common/hotReload';
import type { RequestHandler } from './sessionContext';

/** How the session tells the forwarder that its client is (no longer) congested. */
export interface OutputBackpressure {
  isCongested(): boolean;
  onceDrained(callback: () => void): void;
}

export type OutputSink = (category: 'stdout' | 'stderr', text: string) => void;

export function forwardPipe(
  stream: NodeJS.ReadableStream,
  category: 'stdout' | 'stderr',
  sink: OutputSink,
  backpressure: OutputBackpressure | undefined,
): void {
  const decoder = new StringDecoder('utf8');
  stream.on('data', (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) sink(category, text);
    if (backpressure?.isCongested()) {
      stream.pause();
      backpressure.onceDrained(() => stream.resume());
    }
  });
  stream.on('end', () => {
    const rest = decoder.end();
    if (rest) sink(category, rest);
  });
}

/**
 * `dapper/sendInput` `{ text }`: writes text + "\n" to the debuggee's stdin, for programs
 * that call input() or read sys.stdin.
 */
export const sendInputHandler: RequestHandler<typeof SEND_INPUT_REQUEST> = async (context, response, args) => {
  // The arguments' shape was checked before dispatch (requestArguments.ts).
  const { text } = args;
  const debuggee = context.debuggee;
  if (!debuggee) {
    context.sendError(
      response,
      context.agent
        ? 'The program runs in a terminal; type your input there.'
        : 'The program is not running, so there is no input to send it.',
    );
    return;
  }
  if (!debuggee.writeInput(text + '\n')) {
    context.sendError(response, 'The program has exited or closed its input; nothing was sent.');
    return;
  }
  context.sendResponse(response);
};
