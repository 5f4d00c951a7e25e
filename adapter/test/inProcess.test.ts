/**
 * The in-process entry point the desktop host and `dapper serve` use: messages in and out
 * as objects, no stdio; dispose() ends the program.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { describe, expect, it } from 'vitest';
import { PYTHONS, REPO_ROOT, withTimeout, writeScript } from './support';

const require = createRequire(import.meta.url);
const adapter = require(join(REPO_ROOT, 'dist', 'adapter', 'index.js')) as typeof import('../index');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A minimal in-memory client for createInProcessSession. */
function client(agentDir?: string) {
  const messages: DebugProtocol.ProtocolMessage[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  const session = adapter.createInProcessSession({
    agentDir,
    onMessage(message) {
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.match(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    },
  });
  let seq = 1;
  const next = (match: (m: any) => boolean, what: string) =>
    withTimeout(new Promise<any>((resolve) => waiters.push({ match, resolve })), what);
  return {
    session,
    messages,
    event: (name: string) => next((m) => m.type === 'event' && m.event === name, `event ${name}`),
    request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
      const request = { type: 'request', seq: seq++, command, arguments: args } as DebugProtocol.Request;
      const answered = next((m) => m.type === 'response' && m.request_seq === request.seq, `response to ${command}`);
      session.handleMessage(request);
      return answered;
    },
  };
}

describe('createInProcessSession', () => {
  it.skipIf(PYTHONS.length === 0)('runs a session in-process and dispose() ends the program (needs a CPython 3.9+)', async () => {
    const c = client(join(REPO_ROOT, 'python-agent'));
    const init = await c.request('initialize', { adapterID: 'dapper', pathFormat: 'path' });
    expect(init.success).toBe(true);
    expect((init.body as any).supportsHotReload).toBe(true);
    const program = writeScript('import os\nprint("pid", os.getpid())\nx = 1\n');
    const initialized = c.event('initialized');
    const stopped = c.event('stopped');
    const launch = await c.request('launch', { program, python: PYTHONS[PYTHONS.length - 1].python, stopOnEntry: true });
    expect(launch.success).toBe(true);
    await initialized;
    expect((await c.request('configurationDone')).success).toBe(true);
    const stop = await stopped;
    const stack = await c.request('stackTrace', { threadId: stop.body.threadId });
    expect(stack.success).toBe(true);
    const frameId = (stack.body as any).stackFrames[0].id;
    const pidAnswer = await c.request('evaluate', { expression: "__import__('os').getpid()", context: 'watch', frameId });
    expect(pidAnswer.success).toBe(true);
    const pid = Number((pidAnswer.body as any).result);
    expect(isAlive(pid)).toBe(true);
    c.session.dispose();
    const deadline = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
  });

  it('finds python-agent/ by itself from dist/', () => {
    expect(adapter.findAgentDir()).toBe(join(REPO_ROOT, 'python-agent'));
  });
});
