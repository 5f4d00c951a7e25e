/**
 * Session basics that do not depend on a Python version: capabilities, bad requests and
 * bad launch configurations. What a DAP client observes, through the standalone adapter.
 */
import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTER_BIN, PYTHONS, request, startAdapter, stopAdapter, withTimeout, writeRaw, writeScript } from './support';

describe('initialize', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startAdapter();
  });
  afterEach(() => stopAdapter(dc));

  it('announces every supported feature, uncaught exceptions on by default', async () => {
    const response = await request<DebugProtocol.InitializeResponse>(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'path' });
    expect(response.success).toBe(true);
    const caps = response.body!;
    expect(caps).toMatchObject({
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsExceptionInfoRequest: true,
      supportsSetVariable: true,
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      supportsGotoTargetsRequest: true,
      supportsBreakpointLocationsRequest: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsDelayedStackTraceLoading: true,
      supportsLoadedSourcesRequest: true,
      supportsHotReload: true,
    });
    const filters = Object.fromEntries(caps.exceptionBreakpointFilters!.map((f) => [f.filter, f.default ?? false]));
    expect(filters).toEqual({ raised: false, uncaught: true, userUnhandled: false });
  });

  it('refuses 0-based lines or URI paths with a message naming the setting', async () => {
    const zeroBased = await request(dc, 'initialize', { adapterID: 'dapper', linesStartAt1: false });
    expect(zeroBased.success).toBe(false);
    expect(zeroBased.message).toMatch(/linesStartAt1/);
    const uris = await request(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'uri' });
    expect(uris.success).toBe(false);
    expect(uris.message).toMatch(/pathFormat/);
  });

  it('answers initialize without pathFormat (it defaults to paths)', async () => {
    const response = await request(dc, 'initialize', { adapterID: 'dapper' });
    expect(response.success).toBe(true);
  });
});

describe('bad input', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startAdapter();
    await request(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'path' });
  });
  afterEach(() => stopAdapter(dc));

  it('answers an unknown request with an error and carries on', async () => {
    const response = await request(dc, 'frobnicate', { x: 1 });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/Unknown request 'frobnicate'/);
    const threads = await request<DebugProtocol.ThreadsResponse>(dc, 'threads');
    expect(threads.success).toBe(true);
    expect(threads.body.threads).toEqual([]);
  });

  it('survives a message that is not JSON, says so, and carries on', async () => {
    const body = '{"type":"request", this is not json';
    const noticed = dc.waitForEvent('output');
    writeRaw(dc, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const notice = (await noticed) as DebugProtocol.OutputEvent;
    expect(notice.body.output).toMatch(/could not read/);
    const response = await request(dc, 'frobnicate');
    expect(response.success).toBe(false);
  });

  it('answers a request without a command with an error', async () => {
    const body = JSON.stringify({ type: 'request', seq: 99 });
    const answered = new Promise<DebugProtocol.Response>((resolve) => {
      const original = (dc as any).dispatch.bind(dc);
      (dc as any).dispatch = (raw: string) => {
        const message = JSON.parse(raw);
        if (message.type === 'response' && message.request_seq === 99) resolve(message);
        else original(raw);
      };
    });
    writeRaw(dc, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const response = await answered;
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/no "command"/);
  });

  it('answers program requests before launch with a clear error', async () => {
    const response = await request(dc, 'stackTrace', { threadId: 1 });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/not running/);
  });

  it('marks a breakpoint in a file that does not exist as unverified, with a message', async () => {
    const missing = join(writeScript('x = 1\n', 'here.py', undefined), '..', 'nope.py');
    const response = await request<DebugProtocol.SetBreakpointsResponse>(dc, 'setBreakpoints', {
      source: { path: missing },
      breakpoints: [{ line: 3 }],
    });
    expect(response.success).toBe(true);
    expect(response.body.breakpoints[0].verified).toBe(false);
    expect(response.body.breakpoints[0].message).toMatch(/File not found/);
  });

  it('refuses an attach without a target, saying what to give', async () => {
    const response = await request(dc, 'attach', {});
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/"connect".*"processId"/);
  });
});

describe('launch errors', () => {
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startAdapter();
    await request(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'path' });
  });
  afterEach(() => stopAdapter(dc));

  it('names the program path that does not exist', async () => {
    const program = join(writeScript('pass\n'), '..', 'missing_script.py');
    const response = await request(dc, 'launch', { program, python: PYTHONS[0]?.python });
    expect(response.success).toBe(false);
    expect(response.message).toContain(program);
    expect(response.message).toMatch(/not found/);
  });

  it('names the interpreter path that does not exist', async () => {
    const program = writeScript('pass\n');
    const python = join(program, '..', 'no-such-python');
    const response = await request(dc, 'launch', { program, python });
    expect(response.success).toBe(false);
    expect(response.message).toContain(python);
  });

  it('reports an interpreter that dies before the agent connects, with its stderr', async () => {
    const program = writeScript('pass\n');
    const fakePython = writeScript('#!/bin/sh\necho "fatal: this interpreter is broken" >&2\nexit 3\n', 'python-broken', join(program, '..'));
    chmodSync(fakePython, 0o755);
    const response = await request(dc, 'launch', { program, python: fakePython });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/exited with code 3/);
    expect(response.message).toContain('fatal: this interpreter is broken');
  });

  it('rejects arguments of the wrong type with the argument name', async () => {
    const program = writeScript('pass\n');
    const response = await request(dc, 'launch', { program, args: { first: 'not a list' } });
    expect(response.success).toBe(false);
    expect(response.message).toMatch(/"args"/);
  });

  it('session carries on after a failed launch', async () => {
    await request(dc, 'launch', { program: '/definitely/not/here.py' });
    const response = await request(dc, 'threads');
    expect(response.success).toBe(true);
  });
});

describe('standalone dapper-adapter', () => {
  it.skipIf(PYTHONS.length === 0)('writes nothing but framed DAP messages on stdout, even while a program prints (needs a CPython 3.9+)', async () => {
    const program = writeScript('print("hello from the program")\nimport os\nos.write(1, b"raw bytes\\n")\n');
    const child = spawn(process.execPath, [ADAPTER_BIN], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DAPPER_LOG: '' } });
    let raw = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => (raw = Buffer.concat([raw, chunk])));
    const send = (seq: number, command: string, args: unknown) => {
      const json = JSON.stringify({ type: 'request', seq, command, arguments: args });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    };
    send(1, 'initialize', { adapterID: 'dapper', pathFormat: 'path' });
    send(2, 'launch', { program, python: PYTHONS[0].python });
    const waitFor = async (needle: string) => {
      while (!raw.includes(needle)) await new Promise((r) => setTimeout(r, 20));
    };
    await withTimeout(waitFor('"event":"initialized"'), 'initialized');
    send(3, 'configurationDone', {});
    await withTimeout(waitFor('"event":"terminated"'), 'terminated');
    child.kill();
    // Parse the whole stream as DAP frames: any stray byte breaks the framing.
    const messages: any[] = [];
    let rest = raw;
    while (rest.length > 0) {
      const headerEnd = rest.indexOf('\r\n\r\n');
      expect(headerEnd).toBeGreaterThan(0);
      const header = rest.subarray(0, headerEnd).toString();
      const match = /^Content-Length: (\d+)$/.exec(header);
      expect(match, `unexpected bytes on stdout: ${header.slice(0, 80)}`).not.toBeNull();
      const length = Number(match![1]);
      messages.push(JSON.parse(rest.subarray(headerEnd + 4, headerEnd + 4 + length).toString()));
      rest = rest.subarray(headerEnd + 4 + length);
    }
    const stdout = messages.filter((m) => m.event === 'output' && m.body.category === 'stdout').map((m) => m.body.output).join('');
    expect(stdout).toContain('hello from the program');
    expect(stdout).toContain('raw bytes');
  });
});
