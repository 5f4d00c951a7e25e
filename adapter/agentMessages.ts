/**
 * The adapter's typed view of what the agent sends (common/protocol/agent.schema.json):
 * a response whose body is the one its command declares, and events with DAP's bodies.
 * The agent's tests check its messages against the schema, so the adapter trusts these shapes.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AgentEventName, AgentRequests, AgentResponse } from '../common/protocol';

export type AgentCommand = keyof AgentRequests;
export type AgentArguments<C extends AgentCommand> = AgentRequests[C]['arguments'];
export type AgentBody<C extends AgentCommand> = AgentRequests[C]['response'];

type ResponseHead = Omit<AgentResponse, 'success' | 'message' | 'body'>;

/** The agent's answer to `command`: its declared body on success, a message on failure. */
export type AgentAnswer<C extends AgentCommand> =
  | (ResponseHead & { readonly success: true; readonly message?: string; readonly body: AgentBody<C> })
  | (ResponseHead & { readonly success: false; readonly message: string; readonly body?: Record<string, unknown> });

/** What the agent's events carry: DAP's bodies. */
export interface AgentEvents {
  stopped: DebugProtocol.StoppedEvent['body'];
  continued: DebugProtocol.ContinuedEvent['body'];
  thread: DebugProtocol.ThreadEvent['body'];
  output: DebugProtocol.OutputEvent['body'];
  exited: DebugProtocol.ExitedEvent['body'];
  breakpoint: DebugProtocol.BreakpointEvent['body'];
  loadedSource: DebugProtocol.LoadedSourceEvent['body'];
}

/** One event from the agent; `event` narrows `body`. */
export type AgentEvent = {
  [E in keyof AgentEvents]: { readonly type: 'event'; readonly event: E; readonly body: AgentEvents[E] };
}[keyof AgentEvents];

// The schema's event names and this map must be the same set (a compile error otherwise).
type Undeclared = Exclude<AgentEventName, keyof AgentEvents> | Exclude<keyof AgentEvents, AgentEventName>;
export const AGENT_EVENTS_MATCH_SCHEMA: [Undeclared] extends [never] ? true : never = true;
