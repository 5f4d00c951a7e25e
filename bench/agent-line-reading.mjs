#!/usr/bin/env node
// Benchmark: the adapter's side of the agent channel under large lines.
// 1. The accepted agent answers one request with a single N MB line, written in 64 KB
//    chunks: time from the first chunk to the response, for N = 4, 16, 32 (linear reading
//    takes time proportional to N; re-scanning the pending line on each chunk, as before,
//    grew with N²).
// 2. A stranger connects to the agent port and sends bytes without a newline: how many
//    bytes the adapter reads before it drops the connection.
// Usage: npm run build:node && node bench/agent-line-reading.mjs
// Results: docs/benchmarks.md ("Agent channel: large lines").
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const { AgentListener } = require(join(repoRoot, 'dist', 'adapter', 'agentChannel.js'));

const open = (port) =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });

const write = (socket, data) => new Promise((resolve) => (socket.write(data) ? resolve() : socket.once('drain', resolve)));

async function bigResponse(megabytes) {
  const listener = await AgentListener.open();
  const agent = await open(listener.port);
  agent.setNoDelay(true);
  agent.write(JSON.stringify({ type: 'hello', token: listener.token, pid: 1, python: {}, protocol: 1 }) + '\n');
  const channel = await listener.waitForAgent();
  const seq = await new Promise((resolve) => {
    agent.once('data', (chunk) => resolve(JSON.parse(chunk.toString().split('\n')[0]).seq));
    void channel.request('variables', {}, 600_000).then(() => undefined, () => undefined);
  });
  const answered = channel.request('threads', {}, 600_000).catch(() => undefined);
  const value = 'v'.repeat(megabytes * 1024 * 1024);
  const line = Buffer.from(JSON.stringify({ type: 'response', request_seq: seq, command: 'variables', success: true, body: { value } }) + '\n');
  const started = performance.now();
  const done = new Promise((resolve) => {
    const original = channel.handleLine.bind(channel);
    channel.handleLine = (text) => {
      original(text);
      resolve(performance.now() - started);
    };
  });
  for (let offset = 0; offset < line.length; offset += 64 * 1024) await write(agent, line.subarray(offset, offset + 64 * 1024));
  const ms = await done;
  channel.close();
  agent.destroy();
  void answered;
  return ms;
}

async function strangerBytesBeforeDrop() {
  const listener = await AgentListener.open();
  const stranger = await open(listener.port);
  stranger.on('error', () => undefined);
  let closed = false;
  const closing = new Promise((resolve) => stranger.once('close', resolve)).then(() => (closed = true));
  const block = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  while (!closed && sent < 64 * 1024 * 1024) {
    await Promise.race([write(stranger, block), closing]);
    sent += block.length;
  }
  listener.close();
  return { sent, closed };
}

for (const megabytes of [4, 16, 32]) {
  const ms = await bigResponse(megabytes);
  console.log(`one ${megabytes} MB line from the agent: ${ms.toFixed(0)} ms`);
}
const { sent, closed } = await strangerBytesBeforeDrop();
console.log(`stranger without a newline: ${closed ? 'dropped' : 'NOT dropped'} after ${(sent / 1024).toFixed(0)} KB written (socket buffers included)`);
