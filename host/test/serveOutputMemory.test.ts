/**
 * A program that prints 50 MB through `dapper serve` while its page reads nothing must not
 * grow the server's memory: the host holds the program once 4 MB wait (host/bridge/outputWindow.ts).
 * When the page reads again and reports what it handled, every byte arrives, in order.
 *
 * Runs the built `dapper serve` (dist/, from `npm run build`) in its own process, so its
 * memory is measured alone, and plays the page over the WebSocket bridge.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { tempDir } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const dapper = path.join(repoRoot, 'bin', 'dapper.js');
const rendererBuilt = fs.existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'));
const linux = process.platform === 'linux';
const MB = 1024 * 1024;
const TOTAL_LINES = 50 * 1024; // 50 MB in lines of 1 KB

const PROGRAM = `import sys
progress = open(sys.argv[1], "w")
line = "x" * 1023
for i in range(${TOTAL_LINES}):
    print(line)
    if i % 256 == 0:
        progress.seek(0)
        progress.write("%d      " % i)
        progress.flush()
progress.seek(0)
progress.write("done      ")
progress.flush()
`;

/** Resident memory of a process in bytes (Linux /proc). */
function residentBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb[1]) * 1024;
}

function waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 100);
    };
    poll();
  });
}

class BridgePage {
  private nextId = 1;
  private readonly answers = new Map<number, (frame: { ok: boolean; value?: unknown; error?: string }) => void>();
  readonly messages: Array<{ type: string; event?: string; command?: string; success?: boolean; body?: { output?: string; category?: string } }> = [];
  stdoutChars = 0;
  stdoutLines = 0;
  private listeners: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'result') this.answers.get(frame.id)?.(frame);
      else if (frame.type === 'event' && frame.event === 'dap.message') {
        const message = frame.args[1];
        this.messages.push(message);
        if (message.type === 'event' && message.event === 'output' && message.body.category === 'stdout') {
          this.stdoutChars += message.body.output.length;
          this.stdoutLines += message.body.output.split('\n').length - 1;
          // The page handled it: report as the renderer's DapClient does.
          void this.invoke('dap.consumed', frame.args[0], message.body.output.length);
        }
        for (const listener of this.listeners) listener();
      }
    });
  }

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.answers.set(id, (frame) => (frame.ok ? resolve(frame.value) : reject(new Error(frame.error))));
      this.socket.send(JSON.stringify({ type: 'invoke', id, channel, args }));
    });
  }

  waitForMessage(predicate: (message: BridgePage['messages'][number]) => boolean, timeoutMs: number): Promise<void> {
    return waitFor('a DAP message', () => (this.messages.some(predicate) ? true : undefined), timeoutMs).then(() => undefined);
  }
}

let server: ChildProcess | undefined;
let page: WebSocket | undefined;

afterEach(() => {
  page?.terminate();
  server?.kill('SIGKILL');
  page = undefined;
  server = undefined;
});

describe.skipIf(!linux)('dapper serve: output backpressure (memory measured through /proc, Linux only)', () => {
  it('holds a program printing 50 MB while the page reads nothing, then delivers every line', async () => {
    expect(rendererBuilt, 'dist/renderer is missing: run `npm run build` first').toBe(true);
    const dir = tempDir();
    const program = path.join(dir, 'print50mb.py');
    const progress = path.join(dir, 'progress.txt');
    fs.writeFileSync(program, PROGRAM);
    server = spawn(process.execPath, [dapper, 'serve', '--port', '0', program], {
      env: { ...process.env, DAPPER_CONFIG_DIR: path.join(dir, 'config'), DAPPER_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    server.stdout!.on('data', (chunk) => (printed += chunk));
    server.stderr!.on('data', (chunk) => (printed += chunk));
    const url = await waitFor('the server address', () => /http:\/\/\S+/.exec(printed)?.[0], 30_000);
    const address = new URL(url);
    const socket = new WebSocket(`ws://${address.host}/bridge?token=${address.searchParams.get('token')}`, { origin: `http://${address.host}` });
    page = socket;
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const bridge = new BridgePage(socket);

    const { sessionId } = (await bridge.invoke('dap.start', { launch: { program } })) as { sessionId: string };
    let seq = 1;
    const send = (command: string, args: unknown) => bridge.invoke('dap.send', sessionId, { seq: seq++, type: 'request', command, arguments: args });
    await send('initialize', { adapterID: 'dapper', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await send('launch', { program, args: [progress], console: 'internalConsole' });
    await bridge.waitForMessage((m) => m.type === 'event' && m.event === 'initialized', 60_000);
    const baseline = residentBytes(server.pid!);

    // The page stops reading: nothing it has not read can be reported as handled.
    socket.pause();
    void send('configurationDone', {}).catch(() => undefined); // answered once the page reads again
    // Wait until the program is held: its progress stops moving (or it finished, which would be the failure).
    let last = '';
    let sameSince = Date.now();
    const held = await waitFor(
      'the program to be held or to finish',
      () => {
        const now = fs.existsSync(progress) ? fs.readFileSync(progress, 'utf8').trim() : '';
        if (now === 'done') return now;
        if (now !== last) {
          last = now;
          sameSince = Date.now();
          return undefined;
        }
        return now !== '' && Date.now() - sameSince > 3000 ? now : undefined;
      },
      120_000,
    );
    const grown = residentBytes(server.pid!) - baseline;
    expect(held, 'the program printed all 50 MB while nobody read it').not.toBe('done');
    expect(Number(held) * 1024).toBeLessThan(20 * MB);
    expect(grown).toBeLessThan(40 * MB);

    // The page reads again: everything arrives, and the program ends normally.
    socket.resume();
    await bridge.waitForMessage((m) => m.type === 'event' && m.event === 'exited', 300_000);
    await waitFor('every line', () => (bridge.stdoutLines >= TOTAL_LINES ? true : undefined), 60_000);
    expect(bridge.stdoutLines).toBe(TOTAL_LINES);
    expect(bridge.stdoutChars).toBe(TOTAL_LINES * 1024);
    expect(fs.readFileSync(progress, 'utf8').trim()).toBe('done');
  }, 600_000);
});
