/**
 * The agent channel's guard (docs/agent-protocol.md): loopback only, the one-time token,
 * one agent per session, newline-delimited JSON, per-request timeouts. Driven with raw
 * sockets playing the agent, against the built adapter module.
 */
import { createRequire } from 'node:module';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, withTimeout } from './support';

const require = createRequire(import.meta.url);
const channelModule = require(join(REPO_ROOT, 'dist', 'adapter', 'agentChannel.js')) as typeof import('../agentChannel');
const { AgentListener, AgentTimeoutError } = channelModule;

function hello(token: string, protocol: unknown = 1): string {
  return JSON.stringify({ type: 'hello', token, pid: 1, python: { version: '3.12.1', implementation: 'cpython', executable: 'python' }, protocol }) + '\n';
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Lines the fake agent receives. */
function lines(socket: Socket): string[] {
  const received: string[] = [];
  let pending = '';
  socket.on('data', (chunk) => {
    pending += chunk.toString('utf8');
    let index;
    while ((index = pending.indexOf('\n')) !== -1) {
      received.push(pending.slice(0, index));
      pending = pending.slice(index + 1);
    }
  });
  return received;
}

/** A fake agent that has said hello, the lines it receives, and the adapter's channel to it. */
async function connectedAgent() {
  const listener = await AgentListener.open();
  const agent = await open(listener.port);
  const received = lines(agent);
  agent.write(hello(listener.token));
  const channel = await withTimeout(listener.waitForAgent(), 'agent accepted', 5000);
  return { agent, received, channel };
}

describe('agent channel', () => {
  it('closes connections with a wrong token or no hello, then accepts the real agent', async () => {
    const listener = await AgentListener.open();
    const port = listener.port;
    expect(listener.token).toMatch(/^[0-9a-f]{32}$/);

    const impostor = await open(listener.port);
    const impostorClosed = closed(impostor);
    impostor.write(hello('0'.repeat(32)));
    await withTimeout(impostorClosed, 'impostor closed', 5000);

    const chatter = await open(listener.port);
    const chatterClosed = closed(chatter);
    chatter.write('{"type":"event","event":"output"}\n');
    await withTimeout(chatterClosed, 'non-hello closed', 5000);

    const agent = await open(listener.port);
    agent.write(hello(listener.token));
    const channel = await withTimeout(listener.waitForAgent(), 'agent accepted', 5000);
    expect(channel.hello.pid).toBe(1);

    // Exactly one agent per session: the listener no longer accepts connections.
    await expect(open(port)).rejects.toThrow();
    channel.close();
    agent.destroy();
  });

  it('refuses an agent that speaks another protocol version, saying which versions differ', async () => {
    const listener = await AgentListener.open();
    const agent = await open(listener.port);
    const agentClosed = closed(agent);
    agent.write(hello(listener.token, 2));
    const refusal = await withTimeout(
      listener.waitForAgent().then(
        () => new Error('the agent was accepted'),
        (error: Error) => error,
      ),
      'protocol refusal',
      5000,
    );
    expect(refusal.message).toMatch(/agent speaks protocol version 2 but this adapter speaks version 1/);
    expect(refusal.message).toMatch(/python-agent folder that ships with this adapter/);
    await withTimeout(agentClosed, 'agent connection closed', 5000);
  });

  it('sends one JSON line per request, matches responses, times out without killing the channel', async () => {
    const listener = await AgentListener.open();
    const agent = await open(listener.port);
    const received = lines(agent);
    agent.write(hello(listener.token));
    const channel = await listener.waitForAgent();

    const events: unknown[] = [];
    channel.on('event', (event) => events.push(event));
    const answered = channel.request('threads', {});
    await withTimeout(
      (async () => {
        while (received.length < 1) await new Promise((r) => setTimeout(r, 10));
      })(),
      'request line',
      5000,
    );
    const request = JSON.parse(received[0]);
    expect(request).toMatchObject({ type: 'request', command: 'threads', arguments: {} });
    // An event and the response arrive split across writes, and in one write with another line.
    agent.write('{"type":"event","event":"thread","body":{"reason":"started","threadId":1}}\n{"type":"resp');
    agent.write(`onse","request_seq":${request.seq},"command":"threads","success":true,"body":{"threads":[]}}\n`);
    const response = await withTimeout(answered, 'response', 5000);
    expect(response.body).toEqual({ threads: [] });
    expect(events).toHaveLength(1);

    await expect(channel.request('evaluate', {}, 200)).rejects.toBeInstanceOf(AgentTimeoutError);
    expect(channel.isClosed).toBe(false);

    const pending = channel.request('threads', {});
    agent.destroy();
    await expect(pending).rejects.toThrow(/exited before answering 'threads'/);
    expect(channel.isClosed).toBe(true);
  });

  it('drops a stranger that sends a long line without a newline, or nothing, and still accepts the agent', async () => {
    const listener = await AgentListener.open();
    const flooder = await open(listener.port);
    const flooderClosed = closed(flooder);
    flooder.on('error', () => undefined);
    const block = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let dropped = false;
    flooderClosed.then(() => (dropped = true));
    // Up to 32 MB, stopping as soon as the adapter closes the connection.
    while (!dropped && sent < 32 * 1024 * 1024) {
      if (!flooder.write(block)) await Promise.race([new Promise((r) => flooder.once('drain', r)), flooderClosed]);
      sent += block.length;
    }
    await withTimeout(flooderClosed, 'flooding connection dropped', 10_000);
    expect(sent).toBeLessThan(32 * 1024 * 1024);

    const silent = await open(listener.port);
    const silentClosed = closed(silent);
    const slowHello = await open(listener.port);
    const slowHelloClosed = closed(slowHello);
    slowHello.write(hello(listener.token).slice(0, 20));
    // The hello deadline is HELLO_TIMEOUT_MS; generous margin for a loaded machine.
    await withTimeout(silentClosed, 'silent connection dropped', channelModule.HELLO_TIMEOUT_MS + 15_000);
    await withTimeout(slowHelloClosed, 'half a hello dropped', 15_000);

    const agent = await open(listener.port);
    agent.write(hello(listener.token));
    const channel = await withTimeout(listener.waitForAgent(), 'agent accepted', 5000);
    expect(channel.hello.pid).toBe(1);
    channel.close();
    agent.destroy();
  }, 60_000);

  it('asks for the doorbell after its first request while the program runs, then rings it before each such request only', async () => {
    const { agent, received, channel } = await connectedAgent();
    // The agent's doorbell: what arrives on it, in order.
    const doorbellBytes: Buffer[] = [];
    const doorbell = createServer((socket) => {
      socket.write('r'.repeat(32) + '\n'); // the agent speaks first
      socket.on('data', (chunk) => doorbellBytes.push(chunk));
    });
    await new Promise<void>((resolve) => doorbell.listen(0, '127.0.0.1', resolve));
    const doorbellPort = (doorbell.address() as { port: number }).port;
    const answer = (request: { seq: number; command: string }, body: unknown) =>
      agent.write(JSON.stringify({ type: 'response', request_seq: request.seq, command: request.command, success: true, body }) + '\n');
    const nextRequest = async (index: number) => {
      await withTimeout(
        (async () => {
          while (received.length <= index) await new Promise((r) => setTimeout(r, 10));
        })(),
        `request line ${index}`,
        5000,
      );
      return JSON.parse(received[index]);
    };

    const first = channel.request('threads', {}, undefined, { whileRunning: true });
    const firstLine = await nextRequest(0);
    expect(firstLine.rang).toBeUndefined(); // no doorbell yet
    answer(firstLine, { threads: [] });
    await first;
    const ask = await nextRequest(1);
    expect(ask).toMatchObject({ command: 'openDoorbell', arguments: {} });
    expect(ask.rang).toBeUndefined();
    answer(ask, { port: doorbellPort, token: 'a'.repeat(32), reply: 'r'.repeat(32), ring: 'f3010000' });
    await withTimeout(
      (async () => {
        while (Buffer.concat(doorbellBytes).length < 33) await new Promise((r) => setTimeout(r, 10));
      })(),
      'doorbell token',
      5000,
    );
    expect(Buffer.concat(doorbellBytes).toString('ascii')).toBe('a'.repeat(32) + '\n');

    const rung = channel.request('threads', {}, undefined, { whileRunning: true });
    const rungLine = await nextRequest(2);
    expect(rungLine.rang).toBe(true);
    expect(Buffer.concat(doorbellBytes).subarray(33).toString('hex')).toBe('f3010000');
    answer(rungLine, { threads: [] });
    await rung;

    const stopped = channel.request('threads', {});
    const stoppedLine = await nextRequest(3);
    expect(stoppedLine.rang).toBeUndefined();
    answer(stoppedLine, { threads: [] });
    await stopped;
    expect(Buffer.concat(doorbellBytes).length).toBe(37); // no ring for it
    expect(received.filter((line) => line.includes('openDoorbell'))).toHaveLength(1);
    channel.close();
    agent.destroy();
    doorbell.close();
  });

  it('sends nothing to a doorbell port where something else answers (a tunnel, another network namespace), and does not ring', async () => {
    const { agent, received, channel } = await connectedAgent();
    const strangerBytes: Buffer[] = [];
    const stranger = createServer((socket) => {
      socket.write('SSH-2.0-OpenSSH_9.2\r\n');
      socket.on('data', (chunk) => strangerBytes.push(chunk));
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    const strangerPort = (stranger.address() as { port: number }).port;
    let asked = 0;
    agent.on('data', () => {
      for (const line of received.splice(0)) {
        const request = JSON.parse(line);
        expect(request.rang).toBeUndefined();
        if (request.command === 'openDoorbell') asked++;
        const body =
          request.command === 'openDoorbell' ? { port: strangerPort, token: 'a'.repeat(32), reply: 'r'.repeat(32), ring: 'f3010000' } : { threads: [] };
        agent.write(JSON.stringify({ type: 'response', request_seq: request.seq, command: request.command, success: true, body }) + '\n');
      }
    });
    for (let i = 0; i < 3; i++) {
      await withTimeout(channel.request('threads', {}, undefined, { whileRunning: true }), 'answered', 5000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(asked).toBe(1);
    expect(Buffer.concat(strangerBytes).length).toBe(0);
    channel.close();
    agent.destroy();
    stranger.close();
  });

  it('sends requests without ringing when the agent has no doorbell', async () => {
    const { agent, received, channel } = await connectedAgent();
    agent.on('data', () => {
      for (const line of received.splice(0)) {
        const request = JSON.parse(line);
        expect(request.rang).toBeUndefined();
        const body = request.command === 'openDoorbell' ? { unavailable: 'this build runs without the GIL' } : { threads: [] };
        agent.write(JSON.stringify({ type: 'response', request_seq: request.seq, command: request.command, success: true, body }) + '\n');
      }
    });
    for (let i = 0; i < 3; i++) {
      const response = await withTimeout(channel.request('threads', {}, undefined, { whileRunning: true }), 'answered', 5000);
      expect(response.success).toBe(true);
    }
    channel.close();
    agent.destroy();
  });

  it('listens on loopback only', async () => {
    const listener = await AgentListener.open();
    const address = (listener as any).server.address();
    expect(address.address).toBe('127.0.0.1');
    listener.close();
  });
});
