/**
 * The configuration of a child process's debug session: what the adapter sends in the
 * `startDebugging` reverse request and the client passes back unchanged in its `attach`
 * (docs/protocol.md, "Child processes"). Its `__dapperChild` field sets it apart from an
 * attach to a listening agent or a process id.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { PathMapping } from './launchConfig';

export const CHILD_ATTACH_KEY = '__dapperChild';

/** Where the child waits and the one-time ticket that lets one session attach to it. */
export interface ChildProcessTicket {
  readonly host: string;
  readonly port: number;
  readonly ticket: string;
  readonly pid: number;
  readonly parentPid: number;
  /** The child as started: [interpreter, script | -m module | -c code, args…]. */
  readonly commandLine: readonly string[];
  /** Started by os.fork() (or multiprocessing's fork start method) rather than a new interpreter. */
  readonly forked: boolean;
}

export interface ChildAttachArguments extends DebugProtocol.AttachRequestArguments {
  readonly type: string;
  readonly request: 'attach';
  readonly name: string;
  /** debugpy's name for the same thing: the child's process id. */
  readonly subProcessId: number;
  readonly justMyCode: boolean;
  /** The attached program's mappings (attach with pathMappings): its children see the same folders. */
  readonly pathMappings?: readonly PathMapping[];
  readonly [CHILD_ATTACH_KEY]: ChildProcessTicket;
}

export function isChildAttachArguments(args: unknown): args is ChildAttachArguments {
  return typeof args === 'object' && args !== null && CHILD_ATTACH_KEY in args;
}
