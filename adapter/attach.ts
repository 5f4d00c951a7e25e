/**
 * The `attach` request: reach a program that is already running — one started with
 * `python -m dapper_agent --listen` (`connect`), or a plain Python process (`processId`) —
 * and give the session a run for it. Path mappings apply to everything said to its agent.
 */
import type { DapperAttachArguments, PathMapping } from '../common/launchConfig';
import type { AgentChannel } from './agentChannel';
import { connectToAgent } from './agentConnect';
import { resolveAttachArguments, type ResolvedAttach } from './attachArguments';
import { DebuggeeRun, type RunHost } from './debuggeeRun';
import { PathMapper, PathTranslator } from './pathMapping';
import { attachToProcess } from './processAttach';

export { AttachConfigError } from './attachArguments';

export function checkAttachArguments(args: DapperAttachArguments | undefined): ResolvedAttach {
  return resolveAttachArguments(args);
}

/** A human name for the attached program, for the `process` event. */
export function describeTarget(attach: ResolvedAttach, program: unknown): string {
  if (typeof program === 'string' && program) return program;
  return attach.target.kind === 'connect' ? `${attach.target.host}:${attach.target.port}` : `process ${attach.target.processId}`;
}

/** Whether the program runs on this machine (a process id, or a loopback address). */
export function isLocalTarget(attach: ResolvedAttach): boolean {
  if (attach.target.kind === 'process') return true;
  const host = attach.target.host;
  return host === 'localhost' || /^127\./.test(host) || host === '::1' || host === '[::1]';
}

/** Every path said to `agent` goes through `mappings` (a child process of an attached program inherits its parent's). */
export function withPathMappings(agent: AgentChannel, mappings: readonly PathMapping[]): AgentChannel {
  if (mappings.length > 0) agent.translator = new PathTranslator(new PathMapper(mappings));
  return agent;
}

export async function attachToProgram(agentDir: string, attach: ResolvedAttach, host: RunHost): Promise<DebuggeeRun> {
  const agent =
    attach.target.kind === 'connect'
      ? await connectToAgent(attach.target.host, attach.target.port, attach.token)
      : await attachToProcess(agentDir, attach.target.processId);
  agent.translator = new PathTranslator(new PathMapper(attach.pathMappings));
  return DebuggeeRun.attachedTo(agent, { stopOnEntry: false, justMyCode: attach.justMyCode }, host);
}
