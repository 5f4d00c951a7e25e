/**
 * Public entry points of the adapter: one session in-process (the desktop host and
 * `dapper serve` use this) or over stdio (bin/dapper-adapter.js).
 */
import { OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapFrameReader } from './dapFraming';
import type { OutputBackpressure } from './outputAndInput';
import { DapperSession } from './session';

export { DapperSession, type DapperSessionOptions } from './session';
export type { OutputBackpressure } from './outputAndInput';
export { findAgentDir } from './agentPaths';

export interface InProcessSessionOptions {
  /** Receives every message the adapter sends: responses, events, reverse requests. */
  onMessage(message: DebugProtocol.ProtocolMessage): void;
  /** Folder holding dapper_launcher.py; found next to the package when omitted. */
  agentDir?: string;
  /** When the host's client falls behind: program output is not read until it catches up. */
  backpressure?: OutputBackpressure;
}

export interface InProcessSession {
  /** Delivers one client message (a request, or the response to a reverse request). */
  handleMessage(message: DebugProtocol.ProtocolMessage): void;
  /** Kills the debuggee (if any) and ends the session. */
  dispose(): void;
}

export function createInProcessSession(options: InProcessSessionOptions): InProcessSession {
  const session = new DapperSession({ agentDir: options.agentDir, backpressure: options.backpressure });
  // A listener on onDidSendMessage also makes DebugSession treat the session as inline,
  // so it never calls process.exit() on disconnect.
  const subscription = session.onDidSendMessage((message) => options.onMessage(message as DebugProtocol.ProtocolMessage));
  let disposed = false;
  return {
    handleMessage(message) {
      if (disposed) return;
      session.handleMessage(message);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      session.dispose();
      subscription.dispose();
    },
  };
}

/** Runs one session over this process's stdin/stdout (the `dapper-adapter` command). */
export function runStdioAdapter(): void {
  // stdout carries DAP only: anything printed by mistake goes to stderr instead.
  console.log = console.error;
  console.info = console.error;
  const stdout = process.stdout;
  const session = new DapperSession({
    backpressure: {
      // Stop reading program output while more than 4 MB wait for the client.
      isCongested: () => stdout.writableLength > 4 * 1024 * 1024,
      onceDrained: (callback) => stdout.once('drain', callback),
    },
  });
  process.on('SIGTERM', () => session.shutdown());
  // The client's bytes go through a reader that survives framing errors (dapFraming.ts):
  // each is reported on stderr and as a console line, and the session carries on.
  const frames = new DapFrameReader((problem) => {
    process.stderr.write(`dapper-adapter: ${problem}\n`);
    session.sendEvent(new OutputEvent(`Dapper: ${problem}\n`, 'console'));
  });
  process.stdin.pipe(frames);
  session.start(frames, stdout);
}
