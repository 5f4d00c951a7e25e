/**
 * The sources the program has loaded, collected from the agent's `loadedSource` events so
 * the `loadedSources` request can be answered without asking the debuggee.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RequestHandler } from './sessionContext';

export class LoadedSourceTracker {
  private readonly sources = new Map<string, DebugProtocol.Source>();

  private static keyOf(source: DebugProtocol.Source): string | undefined {
    return source.path ?? (source.sourceReference ? `ref:${source.sourceReference}` : undefined);
  }

  record(body: DebugProtocol.LoadedSourceEvent['body']): void {
    const key = body?.source && LoadedSourceTracker.keyOf(body.source);
    if (!key) return;
    if (body.reason === 'removed') this.sources.delete(key);
    else this.sources.set(key, body.source);
  }

  clear(): void {
    this.sources.clear();
  }

  list(): DebugProtocol.Source[] {
    return [...this.sources.values()];
  }
}

export function loadedSourcesHandler(tracker: LoadedSourceTracker): RequestHandler<'loadedSources'> {
  return async (context, response) => {
    response.body = { sources: tracker.list() };
    context.sendResponse(response);
  };
}
