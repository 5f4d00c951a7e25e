/**
 * The renderer's tests talk to a hand-written adapter (renderer/test/fakeAdapterBridge.ts).
 * This checks that fake against the real one: the same request sequence — the one the fake
 * serves, as the renderer sends it — goes to the fake and to the built adapter debugging a
 * small program, and every response and event the fake produces must have a counterpart from
 * the adapter with the same shape: each body key the fake sends, the adapter sends too, with
 * the same JSON type. (The adapter may send more; values differ: ids, lines, texts.) When the
 * adapter changes what it sends, this fails until the fake, and so the renderer's tests, follow.
 */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeAdapterBridge, HELPER, PROGRAM } from '../../renderer/test/fakeAdapterBridge';
import { PYTHONS, REQUEST_TIMEOUT_MS, request, startAdapter, stopAdapter, writeScript } from './support';

// -- shapes ------------------------------------------------------------------------------------

/** A JSON value's shape: its type name, an object's keys with their shapes, an array's element shape. */
type Shape = string | { readonly [key: string]: Shape };

const ARRAY = '[]';

function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return { [ARRAY]: value.map(shapeOf).reduce(merge, 'empty') };
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).filter(([, item]) => item !== undefined).map(([key, item]) => [key, shapeOf(item)]));
  }
  return typeof value;
}

/** One shape for several values: keys of all, types joined with `|` where they differ. */
function merge(a: Shape, b: Shape): Shape {
  if (a === 'empty') return b;
  if (b === 'empty') return a;
  if (typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return Object.fromEntries([...keys].map((key) => [key, a[key] === undefined ? b[key]! : b[key] === undefined ? a[key]! : merge(a[key]!, b[key]!)]));
  }
  if (typeof a === 'string' && typeof b === 'string') return [...new Set([...a.split('|'), ...b.split('|')])].sort().join('|');
  return `${describeShape(a)}|${describeShape(b)}`;
}

function describeShape(shape: Shape): string {
  return typeof shape === 'string' ? shape : ARRAY in shape ? 'array' : 'object';
}

/** Where the fake's shape is not found in the adapter's: a key it lacks, or another type. */
function differences(fake: Shape, real: Shape, path: string): string[] {
  if (fake === 'empty') return [];
  if (typeof fake === 'string') {
    const realTypes = describeShape(real).split('|');
    return fake.split('|').every((type) => realTypes.includes(type)) ? [] : [`${path}: the fake sends ${fake}, the adapter ${describeShape(real)}`];
  }
  if (typeof real === 'string') return [`${path}: the fake sends ${describeShape(fake)}, the adapter ${real}`];
  if ((ARRAY in fake) !== (ARRAY in real)) return [`${path}: the fake sends ${describeShape(fake)}, the adapter ${describeShape(real)}`];
  return Object.entries(fake).flatMap(([key, shape]) => {
    const where = key === ARRAY ? `${path}[]` : `${path}.${key}`;
    const counterpart = real[key];
    if (counterpart === undefined) return real[ARRAY] === 'empty' ? [] : [`${where}: the fake sends it, the adapter does not`];
    return differences(shape, counterpart, where);
  });
}

// -- the two sides -----------------------------------------------------------------------------

interface Side {
  readonly real: boolean;
  readonly program: string;
  readonly helper: string;
  readonly python?: string;
  /** Where the breakpoint in work() goes (the fake moves a breakpoint on line 2 when applying). */
  readonly breakpointLine: number;
  request(command: string, args?: unknown): Promise<DebugProtocol.Response>;
  /** The next event called `name` that no earlier call returned (arm before the request). */
  nextEvent(name: string): Promise<DebugProtocol.Event>;
  writeHelper(text: string): void;
  readonly events: DebugProtocol.Event[];
}

/** Events kept in arrival order, each handed to at most one nextEvent() waiter. */
class EventLog {
  readonly all: DebugProtocol.Event[] = [];
  private readonly taken = new Set<DebugProtocol.Event>();
  private readonly waiters: Array<{ name: string; resolve: (event: DebugProtocol.Event) => void }> = [];

  add(event: DebugProtocol.Event): void {
    this.all.push(event);
    const waiter = this.waiters.findIndex((item) => item.name === event.event);
    if (waiter === -1) return;
    this.taken.add(event);
    this.waiters.splice(waiter, 1)[0]!.resolve(event);
  }

  next(name: string, who: string): Promise<DebugProtocol.Event> {
    const waiting = this.all.find((event) => event.event === name && !this.taken.has(event));
    if (waiting) {
      this.taken.add(waiting);
      return Promise.resolve(waiting);
    }
    return new Promise((resolve, reject) => {
      const waiter = { name, resolve: (event: DebugProtocol.Event) => (clearTimeout(timer), resolve(event)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const output = this.all.filter((event) => event.event === 'output').map((event) => event.body.output).join('');
        reject(new Error(`${who} sent no '${name}' event in ${REQUEST_TIMEOUT_MS} ms; events: ${this.all.map((event) => event.event).join(', ')}; output: ${output}`));
      }, REQUEST_TIMEOUT_MS);
      this.waiters.push(waiter);
    });
  }
}

async function fakeSide(): Promise<Side> {
  const bridge = new FakeAdapterBridge();
  const log = new EventLog();
  const pending = new Map<number, (response: DebugProtocol.Response) => void>();
  let seq = 1;
  bridge.on('dap.message', (_session, message) => {
    if (message.type === 'event') log.add(message as DebugProtocol.Event);
    if (message.type === 'response') pending.get((message as DebugProtocol.Response).request_seq)?.(message as DebugProtocol.Response);
  });
  const { sessionId } = await bridge.invoke('dap.start', {} as never);
  return {
    real: false,
    program: PROGRAM,
    helper: HELPER,
    breakpointLine: 2,
    events: log.all,
    request: (command, args) =>
      new Promise((resolve) => {
        const message: DebugProtocol.Request = { seq: seq++, type: 'request', command, arguments: args };
        pending.set(message.seq, resolve);
        void bridge.invoke('dap.send', sessionId, message);
      }),
    nextEvent: (name) => log.next(name, 'the fake'),
    writeHelper: (text) => bridge.files.set(HELPER, text),
  };
}

const APP = `import time
import helper


def main():
    x = 1
    while True:
        helper.work(x)
        time.sleep(0.01)


main()
`;

const HELPER_TEXT = `def work(x):
    big = list(range(250))
    return x + len(big)
`;

async function realSide(dc: DebugClient, python: string): Promise<Side> {
  const program = writeScript(APP, 'app.py');
  const helper = writeScript(HELPER_TEXT, 'helper.py', dirname(program));
  const log = new EventLog();
  const dispatch = (dc as any).dispatch.bind(dc);
  (dc as any).dispatch = (raw: string) => {
    const message = JSON.parse(raw) as DebugProtocol.ProtocolMessage;
    if (message.type === 'event') log.add(message as DebugProtocol.Event);
    dispatch(raw);
  };
  return {
    real: true,
    program,
    helper,
    python,
    breakpointLine: 3,
    events: log.all,
    request: (command, args) => request(dc, command, args),
    nextEvent: (name) => log.next(name, 'the adapter'),
    writeHelper: (text) => writeFileSync(helper, text),
  };
}

// -- the sequence ------------------------------------------------------------------------------

/**
 * The edit applied while stopped in work(): a line above it moves its breakpoint, its body
 * changes, and a new module-level statement is not run (a warning diagnostic).
 */
const EDITED = `# edited
def work(x):
    big = list(range(250))
    return x + len(big) + 1


print("helper edited")
`;
const BROKEN = 'def work(x:\n    return x  # SYNTAX ERROR\n';

/** The renderer's requests, in its order, with the responses each side gave (by label). */
async function converse(side: Side): Promise<Map<string, DebugProtocol.Response>> {
  const responses = new Map<string, DebugProtocol.Response>();
  const ask = async (label: string, command: string, args?: unknown) => {
    const response = await side.request(command, args);
    responses.set(label, response);
    return response;
  };
  const ok = async (label: string, command: string, args?: unknown) => {
    const response = await ask(label, command, args);
    if (!response.success) throw new Error(`${side.real ? 'the adapter' : 'the fake'} refused ${command}: ${response.message}`);
    return response.body;
  };

  await ok('initialize', 'initialize', {
    adapterID: 'dapper', clientID: 'dapper-desktop', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path',
    supportsInvalidatedEvent: true, supportsVariablePaging: true, supportsVariableType: true,
  });
  const initialized = side.nextEvent('initialized');
  const launched = ask('launch', 'launch', { program: side.program, python: side.python, cwd: dirname(side.program) });
  await initialized;
  await ok('setBreakpoints', 'setBreakpoints', { source: { path: side.helper }, breakpoints: [{ line: side.breakpointLine }] });
  await ok('setExceptionBreakpoints', 'setExceptionBreakpoints', { filters: ['uncaught'] });
  const stopped = side.nextEvent('stopped');
  await ok('configurationDone', 'configurationDone', {});
  await stopped;
  if (!(await launched).success) throw new Error(`launch failed: ${(await launched).message}`);

  const { threads } = await ok('threads', 'threads', {});
  const threadId = threads[0].id as number;
  const stackTrace = async (label: string) => (await ok(label, 'stackTrace', { threadId, startFrame: 0, levels: 20 })).stackFrames[0] as DebugProtocol.StackFrame;
  const top = await stackTrace('stackTrace');
  const { scopes } = await ok('scopes', 'scopes', { frameId: top.id });
  const locals = scopes[0].variablesReference as number;
  const { variables } = await ok('variables', 'variables', { variablesReference: locals });
  const big = (variables as DebugProtocol.Variable[]).find((variable) => variable.name === 'big');
  if (!big) throw new Error(`no 'big' among the locals: ${JSON.stringify(variables)}`);
  await ok('variables (indexed page)', 'variables', { variablesReference: big.variablesReference, filter: 'indexed', start: 0, count: 100 });
  await ok('variables (named)', 'variables', { variablesReference: big.variablesReference, filter: 'named' });
  await ok('evaluate', 'evaluate', { expression: 'x', frameId: top.id, context: 'repl' });
  await ask('evaluate (error)', 'evaluate', { expression: 'boom', frameId: top.id, context: 'repl' });
  await ok('setVariable', 'setVariable', { variablesReference: locals, name: 'x', value: '5' });
  await ok('completions', 'completions', { text: 'bi', column: 3, frameId: top.id });

  // Apply Changes, while stopped in the function edited: the result event, the breakpoint
  // moved, the source reloaded, stacks and variables invalidated.
  side.writeHelper(EDITED);
  const applied = ['dapper/hotReloadResult', 'breakpoint', 'loadedSource', 'invalidated'].map((name) => side.nextEvent(name));
  await ok('dapper/hotReload', 'dapper/hotReload', { source: { path: side.helper } });
  await Promise.all(applied);

  const stale = await stackTrace('stackTrace (after the apply)');
  const restarted = side.nextEvent('stopped');
  await ok('restartFrame', 'restartFrame', { frameId: stale.id });
  await restarted;

  const { targets } = await ok('gotoTargets', 'gotoTargets', { source: { path: side.helper }, line: side.breakpointLine });
  const wentTo = side.nextEvent('stopped');
  await ok('goto', 'goto', { threadId, targetId: targets[0].id });
  await wentTo;

  side.writeHelper(BROKEN);
  const refused = side.nextEvent('dapper/hotReloadResult');
  await ask('dapper/hotReload (syntax error)', 'dapper/hotReload', { source: { path: side.helper } });
  await refused;

  await ok('dapper/sendInput', 'dapper/sendInput', { text: 'hello' });

  // Stepping: the fake answers without stopping again; the adapter stops after each step.
  for (const command of ['next', 'stepIn', 'stepOut']) {
    const stepped = side.real ? side.nextEvent('stopped') : null;
    await ok(command, command, { threadId });
    await stepped;
  }

  await ok('setBreakpoints (none)', 'setBreakpoints', { source: { path: side.helper }, breakpoints: [] });
  await ok('continue', 'continue', { threadId });
  const paused = side.nextEvent('stopped');
  await ok('pause', 'pause', { threadId });
  await paused;

  await ok('disconnect', 'disconnect', { terminateDebuggee: true });
  return responses;
}

/** What the renderer reads of a response: success, message and body. */
function readable(response: DebugProtocol.Response): unknown {
  return JSON.parse(JSON.stringify({ success: response.success, message: response.message, body: response.body }));
}

function eventShapes(events: readonly DebugProtocol.Event[]): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  for (const event of events) {
    const shape = shapeOf(JSON.parse(JSON.stringify({ body: event.body ?? null })));
    shapes.set(event.event, shapes.has(event.event) ? merge(shapes.get(event.event)!, shape) : shape);
  }
  return shapes;
}

const python = PYTHONS[PYTHONS.length - 1];

describe.skipIf(!python)(`the renderer's fake adapter matches the real adapter (needs a CPython 3.9+)`, () => {
  let dc: DebugClient | undefined;
  afterAll(() => stopAdapter(dc));

  it('sends every response and event body key the fake sends, with the same type', async () => {
    const fake = await fakeSide();
    const fakeResponses = await converse(fake);
    dc = await startAdapter();
    const real = await realSide(dc, python!.python);
    const realResponses = await converse(real);

    const problems: string[] = [];
    for (const [label, response] of fakeResponses) {
      problems.push(...differences(shapeOf(readable(response)), shapeOf(readable(realResponses.get(label)!)), `${label} response`));
    }
    const realEvents = eventShapes(real.events);
    for (const [name, shape] of eventShapes(fake.events)) {
      const counterpart = realEvents.get(name);
      if (!counterpart) problems.push(`'${name}' event: the fake sends it, the adapter did not`);
      else problems.push(...differences(shape, counterpart, `'${name}' event`));
    }
    expect(problems).toEqual([]);
  });
});

describe('the shape comparison', () => {
  it('finds a key the adapter lacks, a type that differs, and accepts what the adapter adds', () => {
    const fake = shapeOf({ body: { threads: [{ id: 1, name: 'MainThread' }], total: 1 } });
    expect(differences(fake, shapeOf({ body: { threads: [{ id: 1, name: 'MainThread', extra: true }], total: 1, more: 'x' } }), 'r')).toEqual([]);
    expect(differences(fake, shapeOf({ body: { threads: [{ id: '1' }], total: 1 } }), 'r')).toEqual([
      'r.body.threads[].id: the fake sends number, the adapter string',
      'r.body.threads[].name: the fake sends it, the adapter does not',
    ]);
    expect(differences(fake, shapeOf({ body: { threads: {} } }), 'r')).toEqual([
      'r.body.threads: the fake sends array, the adapter object',
      'r.body.total: the fake sends it, the adapter does not',
    ]);
  });
});
