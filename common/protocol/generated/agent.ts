// Generated from common/protocol/agent.schema.json by scripts/generate-protocol.mjs; do not edit.
// Change the schema and run `npm run generate`; `npm test` fails when this file is stale.
import type { DapStandardRequests } from '../../dapRequests';
import type { EmptyBody, HotReloadOptions, HotReloadResponseBody, PythonInfo } from './dapper';

/**
 * agent → adapter: the answer to one request (every request gets one, even an unknown command).
 */
export type AgentResponse = {
  type: 'response';
  request_seq: number;
  command: string;
  success: boolean;
  /**
   * What went wrong, for the user; present when success is false.
   */
  message?: string;
  body?: unknown;
};
export type AgentEventName = 'stopped' | 'continued' | 'thread' | 'output' | 'exited' | 'breakpoint' | 'loadedSource';
/**
 * agent → adapter: DAP events the adapter forwards (or acts on, for `exited`).
 */
export type AgentEvent = {
  type: 'event';
  event: AgentEventName;
  body: unknown;
};
/**
 * Anything the agent sends.
 */
export type AgentMessage = AgentHello | AgentResponse | AgentEvent;

export interface AgentConfigurationDoneArguments {
  stopOnEntry: boolean;
  justMyCode: boolean;
  /**
   * Compile the user's functions with restart points (Restart Frame); default true.
   */
  restartFrame?: boolean;
  subProcess?: ChildProcessListener;
}
/**
 * The adapter's child-process listener: the program's Python children run under the agent and connect there (docs/agent-protocol.md, "Child processes").
 */
export interface ChildProcessListener {
  host: string;
  port: number;
  token: string;
}
export interface AgentHotReloadArguments {
  path: string;
  options?: HotReloadOptions;
  /**
   * Milliseconds from the request's arrival after which an apply that has not switched the code yet is cancelled (apply-timed-out).
   */
  deadlineMs?: number;
}
export interface AgentPrepareApplyArguments {
  path: string;
  active: boolean;
}
/**
 * Where the doorbell listens and what a ring is, or why this process has none (Linux only; not on builds without the GIL).
 */
export interface AgentDoorbellOffer {
  /**
   * On the address the agent's end of the main connection is bound to.
   */
  port?: number;
  /**
   * The one-time token the adapter sends, followed by a newline, once the agent's reply has arrived.
   */
  token?: string;
  /**
   * What the agent sends first on the doorbell, followed by a newline: a connection that does not send it is not the agent's doorbell, and gets nothing.
   */
  reply?: string;
  /**
   * The bytes of one ring, in hex: sent as they are, each time.
   */
  ring?: string;
  /**
   * Why there is no doorbell; requests are then sent without ringing.
   */
  unavailable?: string;
}
export interface AgentTerminateArguments {
  terminateDebuggee?: boolean;
}
/**
 * The agent's first message on the connection.
 */
export interface AgentHello {
  type: 'hello';
  /**
   * The one-time token from DAPPER_AGENT_TOKEN (attach: the token the debugger presented).
   */
  token: string;
  pid: number;
  python: PythonInfo;
  /**
   * The version of this protocol the agent speaks (`protocolVersion` of this file); the adapter refuses any other.
   */
  protocol: number;
  /**
   * True when the program was already running and a debugger attached to it (docs/agent-protocol.md, "Attach").
   */
  attached?: boolean;
  /**
   * The attached program's main script, or its command line.
   */
  program?: string;
  /**
   * Present when this process is a child of a debugged program (docs/agent-protocol.md, "Child processes").
   */
  child?: {
    parentPid: number;
    commandLine: string[];
    forked: boolean;
  };
}
/**
 * The adapter's first line to a program started with `python -m dapper_agent --listen` (docs/attach.md); the agent answers with `AgentHello` or `AgentRefusal`.
 */
export interface AgentAttachRequest {
  type: 'attach';
  /**
   * The token the program was started with (--token, DAPPER_TOKEN, or the one it printed).
   */
  token?: string;
  protocol: number;
}
/**
 * An attached program's agent will not take this debugger; the connection is closed after it and the program is untouched.
 */
export interface AgentRefusal {
  type: 'refused';
  /**
   * token: wrong or missing token; busy: another debugger is attached; protocol: the first line was not an attach request.
   */
  reason: 'token' | 'busy' | 'protocol';
  /**
   * What happened and what to do, for the user.
   */
  message: string;
  /**
   * Attach by process id only: the adapter's one-time token, so the adapter knows the refusal is genuine.
   */
  token?: string;
}
/**
 * adapter → agent.
 */
export interface AgentRequest {
  type: 'request';
  seq: number;
  command: string;
  arguments: unknown;
  /**
   * The adapter rang the doorbell for this request; the agent keeps the switch interval lowered until it is answered.
   */
  rang?: true;
}
export interface StoppedBody {
  reason: 'entry' | 'breakpoint' | 'step' | 'pause' | 'exception' | 'function breakpoint' | 'goto' | 'restart';
  threadId: number;
  allThreadsStopped: true;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
}
export interface OutputBody {
  category: 'stdout' | 'stderr' | 'console' | 'important';
  output: string;
}
export interface ExitedBody {
  exitCode: number;
}
export interface ThreadBody {
  reason: 'started' | 'exited';
  threadId: number;
}
export interface ContinuedBody {
  threadId: number;
  allThreadsContinued?: boolean;
}
export interface BreakpointBody {
  reason: 'changed' | 'new' | 'removed';
  breakpoint: {
    id: number;
    verified: boolean;
    line?: number;
  };
}
export interface LoadedSourceBody {
  reason: 'new' | 'changed' | 'removed';
  source: {
    name?: string;
    path: string;
  };
}

/** Every command the agent handles: its arguments and its response body. */
export interface AgentRequests {
  /** Starts the program. */
  configurationDone: { arguments: AgentConfigurationDoneArguments; response: EmptyBody };
  /** Apply Changes (docs/protocol.md). */
  hotReload: { arguments: AgentHotReloadArguments; response: HotReloadResponseBody };
  /** The client's hint that an apply of `path` may come soon (docs/protocol.md, dapper/prepareApply). */
  prepareApply: { arguments: AgentPrepareApplyArguments; response: EmptyBody };
  /** The adapter asks for the agent's doorbell (docs/agent-protocol.md, "The doorbell") after its first request while the program runs. */
  openDoorbell: { arguments: EmptyBody; response: AgentDoorbellOffer };
  setBreakpoints: DapStandardRequests['setBreakpoints'];
  setFunctionBreakpoints: DapStandardRequests['setFunctionBreakpoints'];
  setExceptionBreakpoints: DapStandardRequests['setExceptionBreakpoints'];
  breakpointLocations: DapStandardRequests['breakpointLocations'];
  threads: DapStandardRequests['threads'];
  stackTrace: DapStandardRequests['stackTrace'];
  scopes: DapStandardRequests['scopes'];
  variables: DapStandardRequests['variables'];
  setVariable: DapStandardRequests['setVariable'];
  setExpression: DapStandardRequests['setExpression'];
  evaluate: DapStandardRequests['evaluate'];
  completions: DapStandardRequests['completions'];
  exceptionInfo: DapStandardRequests['exceptionInfo'];
  gotoTargets: DapStandardRequests['gotoTargets'];
  goto: DapStandardRequests['goto'];
  restartFrame: DapStandardRequests['restartFrame'];
  source: DapStandardRequests['source'];
  continue: DapStandardRequests['continue'];
  next: DapStandardRequests['next'];
  stepIn: DapStandardRequests['stepIn'];
  stepOut: DapStandardRequests['stepOut'];
  pause: DapStandardRequests['pause'];
  disconnect: DapStandardRequests['disconnect'];
  /** Ends the program (the adapter kills it if it has not exited soon after). */
  terminate: { arguments: AgentTerminateArguments; response: EmptyBody };
}

/** The agent protocol version this adapter speaks; the agent's hello must carry the same. */
export const AGENT_PROTOCOL_VERSION = 1;
