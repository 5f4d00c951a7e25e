/**
 * Opening, saving and closing files, and files dropped on the window. Saves go through
 * the host's atomic `file.save`; a save of a file the stopped program runs applies it
 * when the `applyOnSave` setting is on.
 */
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import { getDocumentHost } from '../editor/documentHost';
import { baseName, isDirty, useEditorStore } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';
import { useSettingsStore } from '../stores/settingsStore';

export interface OpenOptions {
  /** Opened by the debugger (a stack frame), not the user: no recent-files entry, no error notice. */
  readonly quiet?: boolean;
}

export async function openFile(path: string, options: OpenOptions = {}): Promise<boolean> {
  const trimmed = path.trim();
  if (!trimmed) return false;
  const editor = useEditorStore.getState();
  if (editor.files[trimmed]) {
    editor.setActive(trimmed);
    return true;
  }
  try {
    const file = await getBridge().invoke('file.read', trimmed);
    const version = getDocumentHost().open(file.path, file.content);
    useEditorStore.getState().addFile(file.path, version, file.mtimeMs);
    if (!options.quiet) await rememberRecent(file.path);
    return true;
  } catch (error) {
    if (!options.quiet) notify('error', `Could not open ${trimmed}: ${errorText(error)}. Check the path and try again.`);
    return false;
  }
}

/** Electron: native dialog. Browser host: returns null, and the UI offers a path box instead. */
export async function openWithDialog(): Promise<string | null> {
  try {
    const path = await getBridge().invoke('file.openDialog');
    if (path) await openFile(path);
    return path;
  } catch (error) {
    notify('error', `The open dialog failed: ${errorText(error)}`);
    return null;
  }
}

/** Saves the file's current text; returns false (and says why) when it could not. */
export async function saveFile(path: string): Promise<boolean> {
  const open = useEditorStore.getState().files[path];
  if (open?.readOnly) {
    notify('info', `${open.name} is the debugged program's copy of the file, shown read-only: it cannot be saved here.`);
    return false;
  }
  const host = getDocumentHost();
  const text = host.getText(path);
  const version = host.getVersion(path);
  if (text === undefined || version === undefined) return false;
  try {
    const { mtimeMs } = await getBridge().invoke('file.save', path, text);
    useEditorStore.getState().markSaved(path, version, mtimeMs);
    return true;
  } catch (error) {
    notify('error', `Could not save ${baseName(path)}: ${errorText(error)}. Your edits are still in the editor.`);
    return false;
  }
}

export type ConfirmDiscard = (message: string) => boolean;

const browserConfirm: ConfirmDiscard = (message) => window.confirm(message);

/** Closes a tab; asks first when it has unsaved edits. Returns whether it closed. */
export function closeFile(path: string, confirmDiscard: ConfirmDiscard = browserConfirm): boolean {
  const file = useEditorStore.getState().files[path];
  if (!file) return false;
  if (isDirty(file) && !confirmDiscard(`${file.name} has unsaved changes. Close it and discard them?`)) {
    return false;
  }
  useEditorStore.getState().closeFile(path);
  getDocumentHost().close(path);
  return true;
}

async function rememberRecent(path: string): Promise<void> {
  const recent = useSettingsStore.getState().settings.recentFiles.filter((item) => item !== path);
  try {
    const settings = await getBridge().invoke('settings.update', { recentFiles: [path, ...recent].slice(0, 10) });
    useSettingsStore.getState().setSettings(settings);
  } catch {
    // Recent files are a convenience; failing to record one must not fail the open.
  }
}

export function isPythonFileName(name: string): boolean {
  return /\.pyw?$/i.test(name);
}

/**
 * A file dropped on the window: Electron gives its real path; the browser host stores the
 * content in the session folder and returns where. Returns the path to debug, or null.
 */
export async function resolveDroppedFile(file: File): Promise<string | null> {
  if (!isPythonFileName(file.name)) {
    notify('warning', `${file.name} is not a Python file. Drop a .py file to debug it.`);
    return null;
  }
  const bridge = getBridge();
  const realPath = bridge.getPathForFile?.(file);
  if (realPath) return realPath;
  try {
    const content = await file.text();
    const { path } = await bridge.invoke('file.saveDropped', file.name, content);
    notify('info', `${file.name} was saved as ${path} so the debugger can run it; edits are saved there.`);
    return path;
  } catch (error) {
    notify('error', `Could not use the dropped file ${file.name}: ${errorText(error)}`);
    return null;
  }
}
