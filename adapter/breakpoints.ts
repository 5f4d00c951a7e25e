/**
 * Breakpoints as the client set them, kept by the adapter so they survive restarts and
 * Apply Changes: the adapter gives each breakpoint a stable id (the agent's ids change
 * when the program is relaunched), re-sends everything to a new agent, and translates
 * the agent's `breakpoint` events to those stable ids.
 */
import { existsSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AgentChannel } from './agentChannel';
import type { BreakpointRemap } from '../common/hotReload';

type Breakpoint = DebugProtocol.Breakpoint;

interface SourceBreakpoints {
  args: DebugProtocol.SetBreakpointsArguments;
  /** Stable ids, one per requested breakpoint, in request order. */
  ids: number[];
  /** What the client was last told about each breakpoint. */
  reported: Breakpoint[];
}

export const DEFAULT_EXCEPTION_FILTERS: readonly string[] = ['uncaught'];

/** The agent answered a configuration request with an error. */
export class BreakpointRequestError extends Error {}

function sameBreakpoint(a: Breakpoint, b: Breakpoint): boolean {
  return a.verified === b.verified && a.line === b.line && a.message === b.message;
}

export class BreakpointStore {
  private nextId = 1;
  private readonly sources = new Map<string, SourceBreakpoints>();
  private functionArgs: DebugProtocol.SetFunctionBreakpointsArguments = { breakpoints: [] };
  private functionIds: number[] = [];
  private exceptionArgs: DebugProtocol.SetExceptionBreakpointsArguments = { filters: [...DEFAULT_EXCEPTION_FILTERS] };
  /** agent breakpoint id → stable id, for the current agent only. */
  private agentToStable = new Map<number, number>();

  /** Forgets agent ids; call when a new agent (restart) takes over. */
  resetAgentIds(): void {
    this.agentToStable = new Map();
  }

  async setSourceBreakpoints(
    agent: AgentChannel | undefined,
    args: DebugProtocol.SetBreakpointsArguments,
  ): Promise<Breakpoint[]> {
    const path = args.source?.path;
    const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const normalized: DebugProtocol.SetBreakpointsArguments = { ...args, breakpoints: requested, lines: undefined };
    const ids = requested.map(() => this.nextId++);
    const entry: SourceBreakpoints = { args: normalized, ids, reported: [] };
    entry.reported = await this.resolveSource(agent, entry);
    // Stored only once resolved: a request the agent refused changes nothing.
    if (path) this.sources.set(path, entry);
    return entry.reported;
  }

  async setFunctionBreakpoints(
    agent: AgentChannel | undefined,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): Promise<Breakpoint[]> {
    const previous = { args: this.functionArgs, ids: this.functionIds };
    this.functionArgs = { breakpoints: args.breakpoints ?? [] };
    this.functionIds = this.functionArgs.breakpoints.map(() => this.nextId++);
    try {
      return await this.resolveFunctions(agent);
    } catch (error) {
      // A request the agent refused changes nothing.
      this.functionArgs = previous.args;
      this.functionIds = previous.ids;
      throw error;
    }
  }

  async setExceptionBreakpoints(
    agent: AgentChannel | undefined,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): Promise<DebugProtocol.SetExceptionBreakpointsResponse['body']> {
    const requested = { ...args, filters: args.filters ?? [] };
    if (agent) {
      const response = await agent.request('setExceptionBreakpoints', requested);
      if (!response.success) throw new BreakpointRequestError(response.message ?? 'The debugger refused the exception filters.');
      this.exceptionArgs = requested;
      return response.body ?? {};
    }
    this.exceptionArgs = requested;
    return {};
  }

  /**
   * Sends every stored breakpoint to a newly connected agent. Returns the breakpoints whose
   * state differs from what the client was last told, for `breakpoint` `changed` events.
   */
  async applyAll(agent: AgentChannel): Promise<Breakpoint[]> {
    const changed: Breakpoint[] = [];
    for (const entry of this.sources.values()) {
      const before = entry.reported;
      entry.reported = await this.resolveSource(agent, entry);
      entry.reported.forEach((bp, index) => {
        if (!before[index] || !sameBreakpoint(before[index], bp)) changed.push(bp);
      });
    }
    if (this.functionArgs.breakpoints.length > 0) changed.push(...(await this.resolveFunctions(agent)));
    const response = await agent.request('setExceptionBreakpoints', this.exceptionArgs);
    if (!response.success) throw new BreakpointRequestError(response.message ?? 'The debugger refused the exception filters.');
    return changed;
  }

  /** The stable ids for agent breakpoint ids (a `stopped` event's hitBreakpointIds). */
  stableIds(agentIds: readonly number[]): number[] {
    return agentIds.map((id) => this.agentToStable.get(id)).filter((id): id is number => id !== undefined);
  }

  /** Translates an agent `breakpoint` event to stable ids; undefined if it is not one of ours. */
  translateEvent(body: DebugProtocol.BreakpointEvent['body']): DebugProtocol.BreakpointEvent['body'] | undefined {
    const agentId = body?.breakpoint?.id;
    if (agentId === undefined) return undefined;
    const stable = this.agentToStable.get(agentId);
    if (stable === undefined) return undefined;
    const breakpoint = { ...body.breakpoint, id: stable };
    for (const entry of this.sources.values()) {
      const index = entry.ids.indexOf(stable);
      if (index !== -1) entry.reported[index] = breakpoint;
    }
    return { ...body, breakpoint };
  }

  /**
   * Records the line moves reported by Apply Changes, so a restart sets breakpoints where
   * the edited file has them. The agent has already moved its breakpoints and told the
   * client through `breakpoint` events (translated by translateEvent); a breakpoint whose
   * line was deleted stays where it was (the agent reports it unverified).
   */
  recordRemaps(remaps: readonly BreakpointRemap[]): void {
    for (const remap of remaps) {
      const entry = this.sources.get(remap.path);
      if (!entry || remap.newLine === null) continue;
      entry.args = {
        ...entry.args,
        breakpoints: entry.args.breakpoints!.map((bp) => (bp.line === remap.oldLine ? { ...bp, line: remap.newLine! } : bp)),
      };
    }
  }

  private async resolveSource(agent: AgentChannel | undefined, entry: SourceBreakpoints): Promise<Breakpoint[]> {
    const path = entry.args.source?.path;
    const requested = entry.args.breakpoints ?? [];
    const unverified = (message: string) =>
      requested.map((bp, index) => ({ id: entry.ids[index], verified: false, line: bp.line, message }));
    if (!path) {
      return unverified('This source has no file path, so breakpoints cannot be set in it.');
    }
    if (!agent) {
      if (!existsSync(path)) return unverified(`File not found: ${path}. The breakpoint will not be hit.`);
      return unverified('The breakpoint will be verified when the program starts.');
    }
    // Sent even for a file that no longer exists (deleted, moved): the agent may still hold
    // breakpoints there, and an empty list is how the client removes them.
    const response = await agent.request('setBreakpoints', entry.args);
    if (!response.success) throw new BreakpointRequestError(response.message ?? 'The debugger refused the breakpoints.');
    const fromAgent: Breakpoint[] = response.body?.breakpoints ?? [];
    return requested.map((bp, index) => {
      const answer = fromAgent[index];
      if (!answer) return { id: entry.ids[index], verified: false, line: bp.line, message: 'The debugger did not report this breakpoint.' };
      if (typeof answer.id === 'number') this.agentToStable.set(answer.id, entry.ids[index]);
      return { ...answer, id: entry.ids[index] };
    });
  }

  private async resolveFunctions(agent: AgentChannel | undefined): Promise<Breakpoint[]> {
    const requested = this.functionArgs.breakpoints;
    if (!agent) {
      return requested.map((_, index) => ({
        id: this.functionIds[index],
        verified: false,
        message: 'The breakpoint will be verified when the program starts.',
      }));
    }
    const response = await agent.request('setFunctionBreakpoints', this.functionArgs);
    if (!response.success) throw new BreakpointRequestError(response.message ?? 'The debugger refused the function breakpoints.');
    const fromAgent: Breakpoint[] = response.body?.breakpoints ?? [];
    return requested.map((_, index) => {
      const answer = fromAgent[index] ?? { verified: false, message: 'The debugger did not report this breakpoint.' };
      if (typeof answer.id === 'number') this.agentToStable.set(answer.id, this.functionIds[index]);
      return { ...answer, id: this.functionIds[index] };
    });
  }
}
