/**
 * Monaco models as the app's DocumentHost: one model per open file, keyed by path, whose
 * alternative version id drives dirty / unapplied state. Also mirrors Apply Changes
 * diagnostics into Monaco markers (Monaco's own Problems-style squiggles).
 */
import * as monaco from './monacoApi';
import type { HotReloadDiagnostic } from '../../../common/hotReload';
import type { DocumentHost } from './documentHost';
import { useEditorStore } from '../stores/editorStore';

export const APPLY_MARKER_OWNER = 'dapper-apply-changes';

export class MonacoDocumentHost implements DocumentHost {
  private readonly models = new Map<string, monaco.editor.ITextModel>();

  open(path: string, content: string): number {
    const existing = this.models.get(path);
    if (existing) {
      existing.setValue(content);
      return existing.getAlternativeVersionId();
    }
    const uri = monaco.Uri.file(path);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(content, languageFor(path), uri);
    model.setValue(content);
    model.onDidChangeContent(() => {
      useEditorStore.getState().setCurrentVersion(path, model.getAlternativeVersionId());
    });
    this.models.set(path, model);
    applyMarkers(path, useEditorStore.getState().diagnostics[path] ?? []);
    return model.getAlternativeVersionId();
  }

  getText(path: string): string | undefined {
    return this.models.get(path)?.getValue();
  }

  getVersion(path: string): number | undefined {
    return this.models.get(path)?.getAlternativeVersionId();
  }

  getModel(path: string): monaco.editor.ITextModel | undefined {
    return this.models.get(path);
  }

  close(path: string): void {
    this.models.get(path)?.dispose();
    this.models.delete(path);
  }

  /** Keeps markers in step with the store's diagnostics. */
  watchDiagnostics(): () => void {
    return useEditorStore.subscribe((state, previous) => {
      if (state.diagnostics === previous.diagnostics) return;
      for (const [path, diagnostics] of Object.entries(state.diagnostics)) {
        if (previous.diagnostics[path] !== diagnostics) applyMarkers(path, diagnostics);
      }
    });
  }
}

function applyMarkers(path: string, diagnostics: readonly HotReloadDiagnostic[]): void {
  const model = monaco.editor.getModel(monaco.Uri.file(path));
  if (!model) return;
  monaco.editor.setModelMarkers(model, APPLY_MARKER_OWNER, diagnostics.map((item) => toMarker(model, item)));
}

export function toMarker(model: monaco.editor.ITextModel, item: HotReloadDiagnostic): monaco.editor.IMarkerData {
  const line = Math.min(Math.max(item.line, 1), model.getLineCount());
  const startColumn = item.column ?? model.getLineFirstNonWhitespaceColumn(line) ?? 1;
  const endLine = Math.min(item.endLine ?? line, model.getLineCount());
  return {
    severity:
      item.severity === 'error'
        ? monaco.MarkerSeverity.Error
        : item.severity === 'warning'
          ? monaco.MarkerSeverity.Warning
          : monaco.MarkerSeverity.Info,
    message: item.message,
    code: item.code,
    source: 'Apply Changes',
    startLineNumber: line,
    startColumn: Math.max(startColumn, 1),
    endLineNumber: endLine,
    endColumn: item.endColumn ?? model.getLineMaxColumn(endLine),
  };
}

function languageFor(path: string): string | undefined {
  if (/\.pyw?$/i.test(path)) return 'python';
  // JSON with comments, as VS Code reads its .vscode files.
  if (/\.jsonc?$/i.test(path)) return 'json';
  return undefined;
}
