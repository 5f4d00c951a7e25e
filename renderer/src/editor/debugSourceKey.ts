/**
 * How a DAP Source names its editor tab. A file the client has is keyed by its path. A source
 * with a `sourceReference` (the program's copy of a file this machine lacks, or code with no
 * file) is still keyed by its path when it has one — so breakpoints set there reach the
 * program under that path — and otherwise by its name and reference.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export function hasSourceReference(source: DebugProtocol.Source | undefined): source is DebugProtocol.Source & { sourceReference: number } {
  return (source?.sourceReference ?? 0) > 0;
}

export function sourceKey(source: DebugProtocol.Source | undefined): string | undefined {
  if (!source) return undefined;
  if (source.path) return source.path;
  return hasSourceReference(source) ? `${source.name ?? 'source'} (source ${source.sourceReference})` : undefined;
}
