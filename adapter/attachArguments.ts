/**
 * Validates an `attach` request's arguments (debugpy's names: `connect`, `processId`,
 * `pathMappings`, `justMyCode`, `subProcess`, plus our `token`) into one checked target.
 */
import { isAbsolute } from 'node:path';
import { DEFAULT_JUST_MY_CODE, DEFAULT_SUB_PROCESS, type DapperAttachArguments, type PathMapping } from '../common/launchConfig';

export class AttachConfigError extends Error {}

export type AttachTarget =
  | { readonly kind: 'connect'; readonly host: string; readonly port: number }
  | { readonly kind: 'process'; readonly processId: number };

export interface ResolvedAttach {
  readonly target: AttachTarget;
  readonly token: string;
  readonly pathMappings: readonly PathMapping[];
  readonly justMyCode: boolean;
  readonly subProcess: boolean;
}

function checkPort(value: unknown): number {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AttachConfigError(`"connect.port" must be a port number (1-65535), got ${JSON.stringify(value)}.`);
  }
  return port;
}

function checkProcessId(value: unknown): number {
  const pid = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) {
    throw new AttachConfigError(`"processId" must be the number of a running process, got ${JSON.stringify(value)}.`);
  }
  return pid;
}

export function checkPathMappings(value: unknown): PathMapping[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AttachConfigError('"pathMappings" must be a list of { "localRoot", "remoteRoot" }.');
  return value.map((entry, index) => {
    const { localRoot, remoteRoot } = (entry ?? {}) as Record<string, unknown>;
    if (typeof localRoot !== 'string' || typeof remoteRoot !== 'string' || !localRoot || !remoteRoot) {
      throw new AttachConfigError(`"pathMappings"[${index}] needs both "localRoot" and "remoteRoot" as folder paths.`);
    }
    if (!isAbsolute(localRoot)) {
      throw new AttachConfigError(`"pathMappings"[${index}].localRoot must be an absolute folder, got "${localRoot}".`);
    }
    return { localRoot, remoteRoot };
  });
}

function checkBoolean(args: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new AttachConfigError(`"${name}" must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

export function resolveAttachArguments(raw: DapperAttachArguments | undefined): ResolvedAttach {
  const args = (raw ?? {}) as unknown as Record<string, unknown>;
  const connect = args.connect as Record<string, unknown> | undefined;
  const hasConnect = connect !== undefined || args.port !== undefined;
  const hasProcess = args.processId !== undefined && args.processId !== null && args.processId !== '';
  if (hasConnect && hasProcess) {
    throw new AttachConfigError('Give either "connect" (a program started with --listen) or "processId", not both.');
  }
  let target: AttachTarget;
  if (hasProcess) {
    target = { kind: 'process', processId: checkProcessId(args.processId) };
  } else if (hasConnect) {
    if (connect !== undefined && (typeof connect !== 'object' || connect === null)) {
      throw new AttachConfigError('"connect" must be { "host": "…", "port": N }.');
    }
    const host = (connect?.host ?? args.host ?? '127.0.0.1') as unknown;
    if (typeof host !== 'string' || !host) throw new AttachConfigError('"connect.host" must be a host name or address.');
    target = { kind: 'connect', host, port: checkPort(connect?.port ?? args.port) };
  } else {
    throw new AttachConfigError(
      'The attach request needs "connect": { "host", "port" } (a program started with "python -m dapper_agent --listen") or "processId".',
    );
  }
  const token = args.token ?? '';
  if (typeof token !== 'string') throw new AttachConfigError('"token" must be a string.');
  return {
    target,
    token,
    pathMappings: checkPathMappings(args.pathMappings),
    justMyCode: checkBoolean(args, 'justMyCode', DEFAULT_JUST_MY_CODE),
    subProcess: checkBoolean(args, 'subProcess', DEFAULT_SUB_PROCESS),
  };
}
