/**
 * Monaco, fully offline: the editor worker and the JSON language worker are bundled (inline,
 * so they load from file:// in Electron and from the browser host alike, under
 * `worker-src blob:`), and the models become the app's document host. Python needs no
 * language worker; its highlighting is a Monarch grammar that ships with monaco-editor.
 * Only Python and JSON are bundled (monacoApi.ts).
 * launch.json is validated and completed against Dapper's schema (JSON with comments).
 */
import * as monaco from './monacoApi';
import { LAUNCH_JSON_SCHEMA_URI, launchJsonSchema } from './launchJsonSchema';
import { registerTestCodeLenses } from './testCodeLens';
import { setDocumentHost } from './documentHost';
import { MonacoDocumentHost } from './monacoDocuments';
import { registerDebugHover } from './hoverProvider';

let documents: MonacoDocumentHost | null = null;

export function setUpMonaco(): MonacoDocumentHost {
  if (documents) return documents;
  self.MonacoEnvironment = {
    // Each worker is a chunk of its own, fetched when Monaco first asks for it (the JSON one
    // when the first JSON file opens), so neither delays the first paint.
    getWorker: async (_workerId: string, label: string) =>
      label === 'json'
        ? new (await import('monaco-editor/language/json/json.worker?worker&inline')).default()
        : new (await import('monaco-editor/editor/editor.worker?worker&inline')).default(),
  };
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: true,
    trailingCommas: 'ignore',
    enableSchemaRequest: false,
    schemas: [{ uri: LAUNCH_JSON_SCHEMA_URI, fileMatch: ['**/.vscode/launch.json'], schema: launchJsonSchema() }],
  });
  documents = new MonacoDocumentHost();
  documents.watchDiagnostics();
  setDocumentHost(documents);
  registerDebugHover();
  registerTestCodeLenses((model) => (model.uri.scheme === 'file' ? model.uri.fsPath : null));
  return documents;
}

export function getMonacoDocuments(): MonacoDocumentHost {
  return documents ?? setUpMonaco();
}

export { monaco };
