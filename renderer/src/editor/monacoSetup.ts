/**
 * Monaco, fully offline: the editor worker is bundled (inline, so it loads from file://
 * in Electron and from the browser host alike, under `worker-src blob:`), and the models
 * become the app's document host. Python needs no language worker; its highlighting is a
 * Monarch grammar that ships with monaco-editor.
 */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker&inline';
import { setDocumentHost } from './documentHost';
import { MonacoDocumentHost } from './monacoDocuments';
import { registerDebugHover } from './hoverProvider';

let documents: MonacoDocumentHost | null = null;

export function setUpMonaco(): MonacoDocumentHost {
  if (documents) return documents;
  self.MonacoEnvironment = {
    getWorker: () => new EditorWorker(),
  };
  documents = new MonacoDocumentHost();
  documents.watchDiagnostics();
  setDocumentHost(documents);
  registerDebugHover();
  return documents;
}

export function getMonacoDocuments(): MonacoDocumentHost {
  return documents ?? setUpMonaco();
}

export { monaco };
