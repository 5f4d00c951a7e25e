/**
 * What request handlers may use from the session: the agent (when the program runs),
 * execution state, stored breakpoints, the client's capabilities, and ways to answer.
 * Feature files (stepping, variables, evaluation, …) get this and nothing else.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapArguments, DapCommand } from '../common/dapRequests';
import type { AgentChannel } from './agentChannel';
import type { BreakpointStore } from './breakpoints';
import type { DebuggeeProcess } from './debuggeeProcess';

/** Whether the program is stopped, and whether an Apply Changes is in progress. */
export class ExecutionState {
  stopped = false;
  /** Thread that reported the last stop. */
  stoppedThreadId: number | undefined;
  reloadInProgress = false;

  markStopped(threadId: number | undefined): void {
    this.stopped = true;
    this.stoppedThreadId = threadId;
  }

  markRunning(): void {
    this.stopped = false;
    this.stoppedThreadId = undefined;
  }
}

export interface SessionContext {
  /** The connected agent, or undefined before launch / after the program ended. */
  readonly agent: AgentChannel | undefined;
  /** The debuggee process when the adapter spawned it (not with runInTerminal). */
  readonly debuggee: DebuggeeProcess | undefined;
  readonly execution: ExecutionState;
  readonly breakpoints: BreakpointStore;
  readonly clientCapabilities: DebugProtocol.InitializeRequestArguments;
  sendEvent(event: DebugProtocol.Event): void;
  sendResponse(response: DebugProtocol.Response): void;
  /** Answers with success:false, a user-visible message, and an optional body. */
  sendError(response: DebugProtocol.Response, message: string, body?: Record<string, unknown>): void;
}

/**
 * Serves one request. Its arguments were checked against the command's shape
 * (requestArguments.ts) before the handler runs, so they are typed as DAP declares them.
 */
export type RequestHandler<C extends DapCommand = DapCommand> = (
  context: SessionContext,
  response: DebugProtocol.Response,
  args: DapArguments<C>,
) => Promise<void>;

/** A handler looked up by name, called with arguments already checked for that name. */
export type CheckedRequestHandler = (context: SessionContext, response: DebugProtocol.Response, args: unknown) => Promise<void>;

/** Handlers by command name: each gets its own command's arguments. */
export type RequestHandlers = { readonly [C in DapCommand]?: RequestHandler<C> };
