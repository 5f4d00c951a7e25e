/**
 * While stopped, hovering a name shows its value, evaluated in the selected frame (in the
 * session that owns it) with context `hover` (the adapter evaluates without side effects for
 * that context).
 */
import * as monaco from './monacoApi';
import { focusedFrame } from '../session/sessions';
import { expressionAt } from './hoverExpression';

export function registerDebugHover(): monaco.IDisposable {
  return monaco.languages.registerHoverProvider('python', {
    async provideHover(model, position) {
      const focus = focusedFrame();
      if (!focus?.stopped || focus.frameId === null) return null;
      const found = expressionAt(model.getLineContent(position.lineNumber), position.column);
      if (!found) return null;
      try {
        const body = await focus.session.client.request('evaluate', {
          expression: found.expression,
          frameId: focus.frameId,
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
