/**
 * Every request a DAP client can send, paired with its arguments and its response body:
 * the Debug Adapter Protocol's own (from `@vscode/debugprotocol`) and Dapper's (`dapper/*`,
 * common/protocol/dapper.schema.json). The renderer's DAP client and the adapter's request
 * handlers take command names from this map, so a request name, its arguments and what it
 * answers cannot disagree.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapperRequests } from './protocol/generated/dapper';

/** `any` (what DebugProtocol's base Request and Response declare) becomes `undefined`. */
type Declared<T> = 0 extends 1 & T ? undefined : T;

interface Pair<Q extends { arguments?: unknown }, R extends { body?: unknown }> {
  arguments: Declared<Q['arguments']>;
  response: Declared<R['body']>;
}

/** The requests of the Debug Adapter Protocol a client sends to an adapter. */
export interface DapStandardRequests {
  cancel: Pair<DebugProtocol.CancelRequest, DebugProtocol.CancelResponse>;
  initialize: Pair<DebugProtocol.InitializeRequest, DebugProtocol.InitializeResponse>;
  configurationDone: Pair<DebugProtocol.ConfigurationDoneRequest, DebugProtocol.ConfigurationDoneResponse>;
  launch: Pair<DebugProtocol.LaunchRequest, DebugProtocol.LaunchResponse>;
  attach: Pair<DebugProtocol.AttachRequest, DebugProtocol.AttachResponse>;
  restart: Pair<DebugProtocol.RestartRequest, DebugProtocol.RestartResponse>;
  disconnect: Pair<DebugProtocol.DisconnectRequest, DebugProtocol.DisconnectResponse>;
  terminate: Pair<DebugProtocol.TerminateRequest, DebugProtocol.TerminateResponse>;
  breakpointLocations: Pair<DebugProtocol.BreakpointLocationsRequest, DebugProtocol.BreakpointLocationsResponse>;
  setBreakpoints: Pair<DebugProtocol.SetBreakpointsRequest, DebugProtocol.SetBreakpointsResponse>;
  setFunctionBreakpoints: Pair<DebugProtocol.SetFunctionBreakpointsRequest, DebugProtocol.SetFunctionBreakpointsResponse>;
  setExceptionBreakpoints: Pair<DebugProtocol.SetExceptionBreakpointsRequest, DebugProtocol.SetExceptionBreakpointsResponse>;
  dataBreakpointInfo: Pair<DebugProtocol.DataBreakpointInfoRequest, DebugProtocol.DataBreakpointInfoResponse>;
  setDataBreakpoints: Pair<DebugProtocol.SetDataBreakpointsRequest, DebugProtocol.SetDataBreakpointsResponse>;
  setInstructionBreakpoints: Pair<DebugProtocol.SetInstructionBreakpointsRequest, DebugProtocol.SetInstructionBreakpointsResponse>;
  continue: Pair<DebugProtocol.ContinueRequest, DebugProtocol.ContinueResponse>;
  next: Pair<DebugProtocol.NextRequest, DebugProtocol.NextResponse>;
  stepIn: Pair<DebugProtocol.StepInRequest, DebugProtocol.StepInResponse>;
  stepOut: Pair<DebugProtocol.StepOutRequest, DebugProtocol.StepOutResponse>;
  stepBack: Pair<DebugProtocol.StepBackRequest, DebugProtocol.StepBackResponse>;
  reverseContinue: Pair<DebugProtocol.ReverseContinueRequest, DebugProtocol.ReverseContinueResponse>;
  restartFrame: Pair<DebugProtocol.RestartFrameRequest, DebugProtocol.RestartFrameResponse>;
  goto: Pair<DebugProtocol.GotoRequest, DebugProtocol.GotoResponse>;
  pause: Pair<DebugProtocol.PauseRequest, DebugProtocol.PauseResponse>;
  stackTrace: Pair<DebugProtocol.StackTraceRequest, DebugProtocol.StackTraceResponse>;
  scopes: Pair<DebugProtocol.ScopesRequest, DebugProtocol.ScopesResponse>;
  variables: Pair<DebugProtocol.VariablesRequest, DebugProtocol.VariablesResponse>;
  setVariable: Pair<DebugProtocol.SetVariableRequest, DebugProtocol.SetVariableResponse>;
  source: Pair<DebugProtocol.SourceRequest, DebugProtocol.SourceResponse>;
  threads: Pair<DebugProtocol.ThreadsRequest, DebugProtocol.ThreadsResponse>;
  terminateThreads: Pair<DebugProtocol.TerminateThreadsRequest, DebugProtocol.TerminateThreadsResponse>;
  modules: Pair<DebugProtocol.ModulesRequest, DebugProtocol.ModulesResponse>;
  loadedSources: Pair<DebugProtocol.LoadedSourcesRequest, DebugProtocol.LoadedSourcesResponse>;
  evaluate: Pair<DebugProtocol.EvaluateRequest, DebugProtocol.EvaluateResponse>;
  setExpression: Pair<DebugProtocol.SetExpressionRequest, DebugProtocol.SetExpressionResponse>;
  stepInTargets: Pair<DebugProtocol.StepInTargetsRequest, DebugProtocol.StepInTargetsResponse>;
  gotoTargets: Pair<DebugProtocol.GotoTargetsRequest, DebugProtocol.GotoTargetsResponse>;
  completions: Pair<DebugProtocol.CompletionsRequest, DebugProtocol.CompletionsResponse>;
  exceptionInfo: Pair<DebugProtocol.ExceptionInfoRequest, DebugProtocol.ExceptionInfoResponse>;
  readMemory: Pair<DebugProtocol.ReadMemoryRequest, DebugProtocol.ReadMemoryResponse>;
  writeMemory: Pair<DebugProtocol.WriteMemoryRequest, DebugProtocol.WriteMemoryResponse>;
  disassemble: Pair<DebugProtocol.DisassembleRequest, DebugProtocol.DisassembleResponse>;
  locations: Pair<DebugProtocol.LocationsRequest, DebugProtocol.LocationsResponse>;
}

export type DapRequests = DapStandardRequests & DapperRequests;
export type DapCommand = keyof DapRequests;
export type DapArguments<C extends DapCommand> = DapRequests[C]['arguments'];
export type DapResponseBody<C extends DapCommand> = DapRequests[C]['response'];

/** The arguments after the command: optional when the request's arguments are. */
export type DapArgumentList<C extends DapCommand> = undefined extends DapArguments<C> ? [args?: DapArguments<C>] : [args: DapArguments<C>];
