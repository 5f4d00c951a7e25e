import { describe, expect, it } from 'vitest';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BridgeEventMap, DapperBridge, EventChannel } from '../../common/bridge';
import { DapClient, DapRequestError } from '../src/dap/dapClient';

/** A bridge that records sends and lets the test answer in any order. */
function manualBridge() {
  const sent: DebugProtocol.ProtocolMessage[] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const bridge: DapperBridge = {
    invoke: (async (channel: string, ...args: unknown[]) => {
      if (channel === 'dap.send') sent.push(args[1] as DebugProtocol.ProtocolMessage);
      return undefined;
    }) as DapperBridge['invoke'],
    on<K extends EventChannel>(event: K, listener: BridgeEventMap[K]) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (...args: unknown[]) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (...args: unknown[]) => void);
    },
  };
  const deliver = (sessionId: string, message: DebugProtocol.ProtocolMessage) => {
    for (const listener of listeners.get('dap.message') ?? []) listener(sessionId, message);
  };
  const close = (sessionId: string, reason: string) => {
    for (const listener of listeners.get('dap.closed') ?? []) listener(sessionId, reason);
  };
  return { bridge, sent, deliver, close };
}

function response(request: DebugProtocol.ProtocolMessage, body: unknown, success = true, message?: string): DebugProtocol.Response {
  const req = request as DebugProtocol.Request;
  return { seq: 0, type: 'response', request_seq: req.seq, command: req.command, success, body, message };
}

describe('DapClient', () => {
  it('matches responses to requests by seq, whatever order they arrive in', async () => {
    const { bridge, sent, deliver } = manualBridge();
    const client = new DapClient(bridge, 'a');
    const threads = client.request('threads');
    const scopes = client.request('scopes', { frameId: 3 });
    await Promise.resolve();
    expect(sent.map((m) => (m as DebugProtocol.Request).command)).toEqual(['threads', 'scopes']);
    expect((sent[0] as DebugProtocol.Request).seq).not.toBe((sent[1] as DebugProtocol.Request).seq);
    deliver('a', response(sent[1]!, { scopes: ['s'] }));
    deliver('a', response(sent[0]!, { threads: ['t'] }));
    await expect(scopes).resolves.toEqual({ scopes: ['s'] });
    await expect(threads).resolves.toEqual({ threads: ['t'] });
  });

  it('ignores messages of other sessions and rejects failed requests with the formatted message', async () => {
    const { bridge, sent, deliver } = manualBridge();
    const client = new DapClient(bridge, 'a');
    const evaluation = client.request('evaluate', { expression: 'x' });
    await Promise.resolve();
    deliver('b', response(sent[0]!, { result: 'wrong session' }));
    const failed = response(sent[0]!, { error: { id: 1, format: 'Cannot evaluate {expr}', variables: { expr: 'x' } } }, false, 'evaluate failed');
    deliver('a', failed);
    const error = await evaluation.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DapRequestError);
    expect((error as Error).message).toBe('Cannot evaluate x');
  });

  it('fans out events and refuses reverse requests it does not implement', async () => {
    const { bridge, sent, deliver } = manualBridge();
    const client = new DapClient(bridge, 'a');
    const events: string[] = [];
    client.onEvent((event) => events.push(event.event));
    deliver('a', { seq: 5, type: 'event', event: 'stopped' } as DebugProtocol.Event);
    deliver('a', { seq: 6, type: 'request', command: 'runInTerminal', arguments: {} } as DebugProtocol.Request);
    await Promise.resolve();
    expect(events).toEqual(['stopped']);
    expect(sent[0]).toMatchObject({ type: 'response', request_seq: 6, command: 'runInTerminal', success: false });
  });

  it('fails pending and later requests once the session closes', async () => {
    const { bridge, close } = manualBridge();
    const client = new DapClient(bridge, 'a');
    const pending = client.request('threads');
    close('a', 'adapter exited');
    await expect(pending).rejects.toThrow('The debug session has ended (adapter exited).');
    await expect(client.request('threads')).rejects.toThrow('has ended');
  });
});
