/**
 * Validates every invoke that reaches a host (WebSocket or IPC) before it is handled: the
 * channel must be one of INVOKE_CHANNELS and the arguments must have the declared types.
 * A malformed message gets an error reply; it never takes the connection down.
 */
import { INVOKE_CHANNELS, type InvokeArgs, type InvokeChannel } from '../../common/bridge';
import { BridgeInputError } from './bridgeErrors';

type ArgCheck = (value: unknown) => string | null;

const isString: ArgCheck = (v) => (typeof v === 'string' ? null : 'a string');
const isNonEmptyString: ArgCheck = (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty string');
const isNullOrNonEmptyString: ArgCheck = (v) => (v === null || (typeof v === 'string' && v.length > 0) ? null : 'a path or null');
const isBoolean: ArgCheck = (v) => (typeof v === 'boolean' ? null : 'true or false');
const isCount: ArgCheck = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? null : 'a whole number, 0 or more');
const isPlainObject: ArgCheck = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'an object';
const isDapMessage: ArgCheck = (v) => {
  if (isPlainObject(v) !== null) return 'a DAP message object';
  const message = v as Record<string, unknown>;
  if (typeof message.seq !== 'number' || !['request', 'response', 'event'].includes(message.type as string)) {
    return 'a DAP message with a numeric "seq" and a "type" of request, response or event';
  }
  if (message.type === 'request' && typeof message.command !== 'string') return 'a DAP request with a "command"';
  return null;
};
const isAttachArguments = (attach: unknown): string | null => {
  const expected = 'an object { attach: { connect: { host, port } } } or { attach: { processId } }';
  if (isPlainObject(attach) !== null) return expected;
  const { connect, processId, __dapperChild: child } = attach as Record<string, unknown>;
  // A child process's session: the configuration from the adapter's startDebugging, unchanged.
  if (child !== undefined) return isPlainObject(child) === null ? null : expected;
  if (processId !== undefined) return typeof processId === 'number' || typeof processId === 'string' ? null : expected;
  return isPlainObject(connect) === null ? null : expected;
};
const isSessionStartOptions: ArgCheck = (v) => {
  if (isPlainObject(v) !== null) return 'an object { launch: { program, … } }';
  if ('attach' in (v as Record<string, unknown>)) return isAttachArguments((v as Record<string, unknown>).attach);
  const launch = (v as Record<string, unknown>).launch;
  if (isPlainObject(launch) !== null) return 'an object { launch: { program, … } }';
  const { program, module } = launch as Record<string, unknown>;
  if (typeof program !== 'string' && typeof module !== 'string') {
    return 'an object { launch: { program, … } } with the program path (or a module name)';
  }
  return null;
};
const isResolveContext: ArgCheck = (v) => {
  if (isPlainObject(v) !== null) return 'an object { activeFile, commands? }';
  const { activeFile: file, commands } = v as Record<string, unknown>;
  if (file !== null && typeof file !== 'string') return 'an object { activeFile } with a path or null';
  if (commands === undefined) return null;
  if (isPlainObject(commands) !== null || Object.values(commands as object).some((value) => typeof value !== 'string')) {
    return 'an object { activeFile, commands } whose commands are strings';
  }
  return null;
};

const ARGUMENTS: { readonly [K in InvokeChannel]: readonly ArgCheck[] } = {
  'dap.start': [isSessionStartOptions],
  'processes.python': [],
  'dap.send': [isNonEmptyString, isDapMessage],
  'dap.dispose': [isNonEmptyString],
  'dap.consumed': [isNonEmptyString, isCount],
  'file.read': [isNonEmptyString],
  'file.save': [isNonEmptyString, isString],
  'file.openDialog': [],
  'file.saveDropped': [isNonEmptyString, isString],
  'folder.open': [isNonEmptyString],
  'folder.openDialog': [],
  'folder.list': [isNonEmptyString],
  'folder.files': [isNonEmptyString],
  'launch.configurations': [isNonEmptyString],
  'launch.resolve': [isNonEmptyString, isNonEmptyString, isResolveContext],
  'tests.runner': [isString, isNonEmptyString],
  'interpreters.discover': [isNullOrNonEmptyString],
  'interpreters.check': [isNonEmptyString],
  'app.info': [],
  'settings.get': [],
  'settings.update': [isPlainObject],
  'window.setTitle': [isString],
  'window.setDirty': [isBoolean],
};

export interface ValidInvoke<K extends InvokeChannel = InvokeChannel> {
  readonly channel: K;
  readonly args: InvokeArgs<K>;
}

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function validateInvoke(channel: unknown, args: unknown): ValidInvoke {
  if (!isInvokeChannel(channel)) {
    throw new BridgeInputError(
      `Unknown bridge channel ${JSON.stringify(channel)}; expected one of ${INVOKE_CHANNELS.join(', ')}.`,
    );
  }
  if (!Array.isArray(args)) throw new BridgeInputError(`${channel}: arguments must be a list.`);
  const checks = ARGUMENTS[channel];
  if (args.length !== checks.length) {
    throw new BridgeInputError(`${channel} takes ${checks.length} argument(s), got ${args.length}.`);
  }
  checks.forEach((check, index) => {
    const expected = check(args[index]);
    if (expected !== null) throw new BridgeInputError(`${channel}: argument ${index + 1} must be ${expected}.`);
  });
  return { channel, args: args as unknown as InvokeArgs<typeof channel> };
}
