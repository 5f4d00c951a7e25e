/**
 * Shared helpers for adapter tests (engineer C's hotReload tests use them too).
 *
 * Every test talks to the BUILT standalone adapter (`node bin/dapper-adapter.js`) through
 * `DebugClient` from @vscode/debugadapter-testsupport, exactly as an editor would, against
 * real Python programs written to a temp folder. Every request has a timeout, so a hung
 * adapter fails the test instead of hanging the suite.
 *
 * Typical use:
 *
 *   for (const { version, python } of PYTHONS) describe(`Python ${version}`, () => {
 *     let dc: DebugClient;
 *     beforeEach(async () => { dc = await startAdapter(); });
 *     afterEach(() => stopAdapter(dc));
 *     it('stops', async () => {
 *       const program = writeScript('x = 1\nprint(x)\n');
 *       const stopped = waitForStop(dc);                 // arm BEFORE triggering
 *       await launchProgram(dc, { program, python }, { breakpoints: [{ path: program, lines: [2] }] });
 *       const { frame } = await stopped;
 *     });
 *   });
 *
 * Rule: arm `waitForEvent`/`waitForStop`/`waitForExit` before sending the request that
 * triggers the event — DebugClient only sees events that arrive after the wait started.
 */
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
// @ts-expect-error plain ESM helper shared with scripts/test-agent.mjs, no type declarations
import { findPythons } from '../../scripts/pythons.mjs';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const ADAPTER_BIN = join(REPO_ROOT, 'bin', 'dapper-adapter.js');

/** Default time allowed for one request or event. */
export const REQUEST_TIMEOUT_MS = 20_000;

export interface PythonInstall {
  readonly version: string;
  readonly python: string;
}

/**
 * Every CPython 3.9+ on this machine (pyenv first, then python3). Set
 * `DAPPER_TEST_PYTHONS=3.12` (comma-separated) to run only some versions while developing.
 */
export const PYTHONS: readonly PythonInstall[] = (() => {
  const all = findPythons() as PythonInstall[];
  const only = process.env.DAPPER_TEST_PYTHONS?.split(',').map((v) => v.trim()).filter(Boolean);
  return only?.length ? all.filter((p) => only.includes(p.version)) : all;
})();

/** Rejects with a message naming `what` if `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, what: string, ms = REQUEST_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/**
 * Starts the standalone adapter. `env` is added to the adapter's environment (e.g.
 * `DAPPER_REQUEST_TIMEOUT_MS`); stderr of the adapter is shown when `DAPPER_LOG` is set.
 */
export async function startAdapter(env: Record<string, string> = {}): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER_BIN, 'dapper', { env: { ...process.env, ...env } }, Boolean(process.env.DAPPER_LOG));
  dc.defaultTimeout = REQUEST_TIMEOUT_MS;
  await dc.start();
  // Collect output from the start so no test loses early lines.
  const output = { stdout: '', stderr: '', console: '', important: '' } as Record<string, string>;
  dc.on('output', (event: DebugProtocol.OutputEvent) => {
    const category = event.body.category ?? 'console';
    output[category] = (output[category] ?? '') + event.body.output;
  });
  outputs.set(dc, output);
  return dc;
}

const outputs = new WeakMap<DebugClient, Record<string, string>>();

/** All `output` text received so far in `category` (stdout, stderr, console…). */
export function outputOf(dc: DebugClient, category: string): string {
  return outputs.get(dc)?.[category] ?? '';
}

/** Waits until the output in `category` matches `pattern`. */
export async function waitForOutput(dc: DebugClient, category: string, pattern: RegExp | string, ms = REQUEST_TIMEOUT_MS): Promise<string> {
  const matches = () => (typeof pattern === 'string' ? outputOf(dc, category).includes(pattern) : pattern.test(outputOf(dc, category)));
  const deadline = Date.now() + ms;
  while (!matches()) {
    if (Date.now() > deadline) {
      throw new Error(`no ${category} output matching ${pattern} after ${ms} ms; got: ${outputOf(dc, category).slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return outputOf(dc, category);
}

/** Disconnects (killing the debuggee) and stops the adapter process; never throws. */
export async function stopAdapter(dc: DebugClient | undefined): Promise<void> {
  if (!dc) return;
  await withTimeout(dc.disconnectRequest({ terminateDebuggee: true }), 'disconnect', 8000).catch(() => undefined);
  dc.stop().catch(() => undefined);
}

/**
 * Sends any request and resolves with the whole response, failures included (DebugClient's
 * own methods reject on failure and drop the body, e.g. hot reload `diagnostics`).
 */
export function request<T extends DebugProtocol.Response = DebugProtocol.Response>(
  dc: DebugClient,
  command: string,
  args?: unknown,
  ms = REQUEST_TIMEOUT_MS,
): Promise<T> {
  return withTimeout(
    new Promise<T>((resolvePromise) => (dc as any).doSend(command, args, (response: T) => resolvePromise(response))),
    `response to '${command}'`,
    ms,
  );
}

/**
 * Sends several requests in ONE write, so the adapter reads them in one chunk and handles
 * them back to back — for tests of what happens when requests overlap (e.g. two Apply
 * Changes at once). Separate writes may reach the adapter after the first has finished.
 */
export function requestsTogether(
  dc: DebugClient,
  requests: readonly { command: string; args?: unknown }[],
  ms = REQUEST_TIMEOUT_MS,
): Promise<DebugProtocol.Response[]> {
  const client = dc as any;
  let frames = '';
  const answers = requests.map(({ command, args }) => {
    const seq = client.sequence++;
    const answered = new Promise<DebugProtocol.Response>((resolvePromise) => client.pendingRequests.set(seq, resolvePromise));
    const json = JSON.stringify({ type: 'request', seq, command, arguments: args });
    frames += `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
    return withTimeout(answered, `response to '${command}'`, ms);
  });
  client.outputStream.write(frames);
  return Promise.all(answers);
}

/** Like request(), but rejects unless the response succeeded. */
export async function requestOk<T extends DebugProtocol.Response = DebugProtocol.Response>(
  dc: DebugClient,
  command: string,
  args?: unknown,
  ms = REQUEST_TIMEOUT_MS,
): Promise<T> {
  const response = await request<T>(dc, command, args, ms);
  if (!response.success) throw new Error(`'${command}' failed: ${response.message}`);
  return response;
}

/** Writes bytes straight to the adapter's stdin (for malformed-message tests). */
export function writeRaw(dc: DebugClient, text: string): void {
  (dc as any).outputStream.write(text);
}

let tempRoot: string | undefined;

/** Writes a Python file into a fresh temp folder (realpath'd) and returns its absolute path. */
export function writeScript(content: string, name = 'program.py', folder?: string): string {
  const dir = folder ?? mkdtempSync(join(realpathSync(tempRoot ?? (tempRoot = tmpdir())), 'dapper-test-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** 1-based line of the first line of `script` containing `marker` (e.g. a `# BP` comment). */
export function lineOf(script: string, marker: string): number {
  const index = script.split('\n').findIndex((line) => line.includes(marker));
  if (index === -1) throw new Error(`marker ${marker} not in script`);
  return index + 1;
}

export interface LaunchOptions {
  /** Source breakpoints to set before the program runs. */
  readonly breakpoints?: readonly { path: string; lines?: number[]; breakpoints?: DebugProtocol.SourceBreakpoint[] }[];
  readonly functionBreakpoints?: readonly string[];
  /** Exception filters; omitted = the adapter's defaults (uncaught). */
  readonly exceptionFilters?: readonly string[];
  /** Extra initialize arguments (e.g. supportsInvalidatedEvent). */
  readonly initialize?: Partial<DebugProtocol.InitializeRequestArguments>;
}

export interface LaunchResult {
  readonly initialize: DebugProtocol.InitializeResponse;
  /** setBreakpoints answers, in the order of `options.breakpoints`. */
  readonly breakpoints: DebugProtocol.Breakpoint[][];
  readonly functionBreakpoints: DebugProtocol.Breakpoint[];
}

/**
 * initialize → launch → (initialized) → breakpoints → configurationDone, like an editor.
 * Arm any waitForStop/waitForExit before calling this.
 */
export async function launchProgram(
  dc: DebugClient,
  launchArgs: Record<string, unknown>,
  options: LaunchOptions = {},
): Promise<LaunchResult> {
  const initialize = await withTimeout(
    dc.initializeRequest({
      adapterID: 'dapper',
      clientID: 'dapper-tests',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
      supportsInvalidatedEvent: true,
      ...options.initialize,
    }),
    'initialize',
  );
  const initialized = dc.waitForEvent('initialized', REQUEST_TIMEOUT_MS);
  const launched = requestOk(dc, 'launch', launchArgs, 40_000);
  await Promise.race([initialized, launched.then(() => initialized)]);
  const breakpoints: DebugProtocol.Breakpoint[][] = [];
  for (const bp of options.breakpoints ?? []) {
    const response = await requestOk<DebugProtocol.SetBreakpointsResponse>(dc, 'setBreakpoints', {
      source: { path: bp.path },
      breakpoints: bp.breakpoints ?? (bp.lines ?? []).map((line) => ({ line })),
    });
    breakpoints.push(response.body.breakpoints);
  }
  let functionBreakpoints: DebugProtocol.Breakpoint[] = [];
  if (options.functionBreakpoints) {
    const response = await requestOk<DebugProtocol.SetFunctionBreakpointsResponse>(dc, 'setFunctionBreakpoints', {
      breakpoints: options.functionBreakpoints.map((name) => ({ name })),
    });
    functionBreakpoints = response.body.breakpoints;
  }
  if (options.exceptionFilters) {
    await requestOk(dc, 'setExceptionBreakpoints', { filters: options.exceptionFilters });
  }
  await requestOk(dc, 'configurationDone');
  await launched;
  return { initialize, breakpoints, functionBreakpoints };
}

export interface StopInfo {
  readonly event: DebugProtocol.StoppedEvent;
  /** Top frame of the stopped thread. */
  readonly frame: DebugProtocol.StackFrame;
  readonly frames: DebugProtocol.StackFrame[];
}

/** Arms a wait for the next `stopped` event; resolves with it and the stopped thread's stack. */
export function waitForStop(dc: DebugClient, ms = REQUEST_TIMEOUT_MS): Promise<StopInfo> {
  return dc.waitForEvent('stopped', ms).then(async (event) => {
    const stopped = event as DebugProtocol.StoppedEvent;
    const stack = await requestOk<DebugProtocol.StackTraceResponse>(dc, 'stackTrace', { threadId: stopped.body.threadId });
    return { event: stopped, frame: stack.body.stackFrames[0], frames: stack.body.stackFrames };
  });
}

/** Arms a wait for `exited`; resolves with its exit code once `terminated` has followed. */
export function waitForExit(dc: DebugClient, ms = REQUEST_TIMEOUT_MS): Promise<number> {
  const exited = dc.waitForEvent('exited', ms);
  const terminated = dc.waitForEvent('terminated', ms);
  return Promise.all([exited, terminated]).then(([event]) => (event as DebugProtocol.ExitedEvent).body.exitCode);
}

/** Variables of the top frame's first scope (Locals) as name → value. */
export async function localsOf(dc: DebugClient, frameId: number): Promise<Record<string, string>> {
  const scopes = await requestOk<DebugProtocol.ScopesResponse>(dc, 'scopes', { frameId });
  const locals = scopes.body.scopes[0];
  const variables = await requestOk<DebugProtocol.VariablesResponse>(dc, 'variables', {
    variablesReference: locals.variablesReference,
  });
  return Object.fromEntries(variables.body.variables.map((v) => [v.name, v.value]));
}

/** Continues the thread and resolves once the request was answered. */
export function continueThread(dc: DebugClient, threadId: number): Promise<DebugProtocol.Response> {
  return requestOk(dc, 'continue', { threadId });
}
