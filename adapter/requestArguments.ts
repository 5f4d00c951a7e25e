/**
 * The arguments of every request the adapter serves, as the Debug Adapter Protocol's
 * specification declares them (plus Dapper's own requests), checked before any handler
 * runs: a request whose arguments do not fit is answered with an error naming the
 * property, and nothing is stored or sent to the agent. `launch` and `restart`'s launch
 * configuration are checked in depth by launchArguments.ts. Dapper's own requests are
 * checked against their schema (common/protocol/dapper.schema.json).
 */
import { DAPPER_REQUEST_ARGUMENTS, HOT_RELOAD_REQUEST, PREPARE_APPLY_REQUEST, SEND_INPUT_REQUEST } from '../common/hotReload';
import { anything, arrayOf, boolean, findMismatch, integer, object, shapeOfSchema, string, type Shape } from './argumentShapes';

const source = object(
  {},
  {
    name: string,
    path: string,
    sourceReference: integer,
    presentationHint: string,
    origin: string,
    adapterData: anything,
    checksums: arrayOf(object({ algorithm: string, checksum: string })),
  },
);
const valueFormat = object({}, { hex: boolean });
const stackFrameFormat = object(
  {},
  { hex: boolean, parameters: boolean, parameterTypes: boolean, parameterNames: boolean, parameterValues: boolean, line: boolean, module: boolean, includeAll: boolean },
);
const sourceBreakpoint = object({ line: integer }, { column: integer, condition: string, hitCondition: string, logMessage: string, mode: string });
const functionBreakpoint = object({ name: string }, { condition: string, hitCondition: string });
const exceptionFilterOptions = object({ filterId: string }, { condition: string, mode: string });
const exceptionOptions = object({ breakMode: string }, { path: arrayOf(object({ names: arrayOf(string) }, { negate: boolean })) });
const stepping = object({ threadId: integer }, { singleThread: boolean, granularity: string });
const noArguments = object({});

const REQUEST_ARGUMENTS: Readonly<Record<string, Shape>> = {
  initialize: object(
    { adapterID: string },
    {
      clientID: string,
      clientName: string,
      locale: string,
      linesStartAt1: boolean,
      columnsStartAt1: boolean,
      pathFormat: string,
      supportsVariableType: boolean,
      supportsVariablePaging: boolean,
      supportsRunInTerminalRequest: boolean,
      supportsMemoryReferences: boolean,
      supportsProgressReporting: boolean,
      supportsInvalidatedEvent: boolean,
      supportsMemoryEvent: boolean,
      supportsArgsCanBeInterpretedByShell: boolean,
      supportsStartDebuggingRequest: boolean,
      supportsANSIStyling: boolean,
    },
  ),
  launch: object({}, { noDebug: boolean }),
  configurationDone: noArguments,
  restart: object({}, { arguments: object({}) }),
  terminate: object({}, { restart: boolean }),
  disconnect: object({}, { restart: boolean, terminateDebuggee: boolean, suspendDebuggee: boolean }),
  setBreakpoints: object({ source }, { breakpoints: arrayOf(sourceBreakpoint), lines: arrayOf(integer), sourceModified: boolean }),
  setFunctionBreakpoints: object({ breakpoints: arrayOf(functionBreakpoint) }),
  setExceptionBreakpoints: object(
    { filters: arrayOf(string) },
    { filterOptions: arrayOf(exceptionFilterOptions), exceptionOptions: arrayOf(exceptionOptions) },
  ),
  breakpointLocations: object({ source, line: integer }, { column: integer, endLine: integer, endColumn: integer }),
  threads: noArguments,
  stackTrace: object({ threadId: integer }, { startFrame: integer, levels: integer, format: stackFrameFormat }),
  scopes: object({ frameId: integer }),
  variables: object({ variablesReference: integer }, { filter: string, start: integer, count: integer, format: valueFormat }),
  setVariable: object({ variablesReference: integer, name: string, value: string }, { format: valueFormat }),
  setExpression: object({ expression: string, value: string }, { frameId: integer, format: valueFormat }),
  evaluate: object({ expression: string }, { frameId: integer, line: integer, column: integer, source, context: string, format: valueFormat }),
  completions: object({ text: string, column: integer }, { frameId: integer, line: integer }),
  exceptionInfo: object({ threadId: integer }),
  source: object({ sourceReference: integer }, { source }),
  loadedSources: noArguments,
  continue: object({ threadId: integer }, { singleThread: boolean }),
  next: stepping,
  stepIn: object({ threadId: integer }, { singleThread: boolean, targetId: integer, granularity: string }),
  stepOut: stepping,
  pause: object({ threadId: integer }),
  goto: object({ threadId: integer, targetId: integer }),
  gotoTargets: object({ source, line: integer }, { column: integer }),
  restartFrame: object({ frameId: integer }),
  [SEND_INPUT_REQUEST]: shapeOfSchema(DAPPER_REQUEST_ARGUMENTS[SEND_INPUT_REQUEST]),
  [PREPARE_APPLY_REQUEST]: shapeOfSchema(DAPPER_REQUEST_ARGUMENTS[PREPARE_APPLY_REQUEST]),
};

/** Checked by its handler, whose refusals also send dapper/hotReloadResult (hotReload.ts). */
const HOT_RELOAD_ARGUMENTS = shapeOfSchema(DAPPER_REQUEST_ARGUMENTS[HOT_RELOAD_REQUEST]);

/**
 * Why `args` cannot be the arguments of `command` (a sentence naming the property and
 * saying nothing was done), or undefined when they fit or the command is not in the table.
 */
export function argumentsProblem(command: string, args: unknown): string | undefined {
  const shape = REQUEST_ARGUMENTS[command];
  return shape ? problemWith(command, shape, args) : undefined;
}

/** The same check for `dapper/hotReload`, which its handler makes itself. */
export function hotReloadArgumentsProblem(args: unknown): string | undefined {
  return problemWith(HOT_RELOAD_REQUEST, HOT_RELOAD_ARGUMENTS, args);
}

function problemWith(command: string, shape: Shape, args: unknown): string | undefined {
  const problem = findMismatch(shape, args === undefined ? {} : args);
  if (!problem) return undefined;
  return `Invalid arguments for '${command}': ${problem}. The request was not carried out.`;
}
