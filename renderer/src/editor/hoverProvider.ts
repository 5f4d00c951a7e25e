/**
 * While stopped, hovering a name shows its value, evaluated in the selected frame with
 * context `hover` (the adapter evaluates without side effects for that context).
 */
import * as monaco from 'monaco-editor';
import { getActiveClient } from '../session/activeSession';
import { useSessionStore } from '../stores/sessionStore';
import { expressionAt } from './hoverExpression';

export function registerDebugHover(): monaco.IDisposable {
  return monaco.languages.registerHoverProvider('python', {
    async provideHover(model, position) {
      const { status, selectedFrameId } = useSessionStore.getState();
      const client = getActiveClient();
      if (status !== 'stopped' || selectedFrameId === null || !client) return null;
      const found = expressionAt(model.getLineContent(position.lineNumber), position.column);
      if (!found) return null;
      try {
        const body = await client.request('evaluate', {
          expression: found.expression,
          frameId: selectedFrameId,
          context: 'hover',
        });
        return {
          range: new monaco.Range(position.lineNumber, found.start, position.lineNumber, found.end),
          contents: [
            { value: `**${found.expression}**${body.type ? ` \`${body.type}\`` : ''}` },
            { value: '```python\n' + body.result + '\n```' },
          ],
        };
      } catch {
        return null;
      }
    },
  });
}
