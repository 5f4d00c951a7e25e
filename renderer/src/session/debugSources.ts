/**
 * Sources the client does not have: a stack frame whose Source carries a `sourceReference`
 * (an attached program's file that is not on this machine or not under its path mappings, or
 * code with no file at all). As VS Code does, its text comes from the session with the DAP
 * `source` request and shows in a read-only tab named after the source; breakpoints set there
 * go to the program under the source's path.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { errorText, type DapClient } from '../dap/dapClient';
import { sourceKey } from '../editor/debugSourceKey';
import { getDocumentHost } from '../editor/documentHost';
import { baseName, useEditorStore } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';

/** Opens (or shows again) the read-only tab for `source`; returns its key, or null when the session could not give the text. */
export async function openDebugSource(client: DapClient, source: DebugProtocol.Source & { sourceReference: number }): Promise<string | null> {
  const key = sourceKey(source)!;
  if (useEditorStore.getState().files[key]) {
    useEditorStore.getState().setActive(key);
    return key;
  }
  let content: string;
  try {
    ({ content } = await client.request('source', { source, sourceReference: source.sourceReference }));
  } catch (error) {
    notify('warning', `Could not show ${source.name ?? key}: the debugged program did not give its text (${errorText(error)}).`);
    return null;
  }
  const version = getDocumentHost().open(key, content);
  useEditorStore.getState().addFile(key, version, 0, { readOnly: true, name: source.name ?? baseName(key) });
  return key;
}
