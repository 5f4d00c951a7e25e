/**
 * Opening a folder and keeping the window in step with it: Explorer listings fetched on
 * demand, changes on disk (created, deleted, renamed, edited by another program) reflected in
 * the tree and in open tabs, and the folder's launch configurations re-read when launch.json
 * changes.
 */
import type { FileChange } from '../../../common/bridge';
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import { getDocumentHost } from '../editor/documentHost';
import { baseName, isDirty, useEditorStore } from '../stores/editorStore';
import { useExternalChangeStore } from '../stores/externalChangeStore';
import { notify } from '../stores/noticeStore';
import { useSettingsStore } from '../stores/settingsStore';
import { CURRENT_FILE, isUnder, parentOf, useWorkspaceStore } from '../stores/workspaceStore';

export async function openFolder(path: string): Promise<boolean> {
  const trimmed = path.trim();
  if (!trimmed) return false;
  try {
    const { path: folder } = await getBridge().invoke('folder.open', trimmed);
    // Settings first: the folder's remembered launch choice is applied when launch.json is read.
    const settings = await getBridge().invoke('settings.get');
    useSettingsStore.getState().setSettings(settings);
    showFolder(folder);
    return true;
  } catch (error) {
    notify('error', `Could not open the folder ${trimmed}: ${errorText(error)}`);
    return false;
  }
}

/** Shows a folder the host has already opened (command line, menu, dialog). */
export function showFolder(folder: string): void {
  useWorkspaceStore.getState().setFolder(folder);
  void loadListing(folder);
  void refreshLaunchConfigurations();
}

/** Electron: the native folder dialog. Returns false when the host has none (browser). */
export async function openFolderWithDialog(): Promise<boolean | null> {
  try {
    const folder = await getBridge().invoke('folder.openDialog');
    if (!folder) return null;
    showFolder(folder);
    return true;
  } catch (error) {
    notify('error', `The folder dialog failed: ${errorText(error)}`);
    return null;
  }
}

export async function loadListing(folder: string): Promise<void> {
  const store = useWorkspaceStore.getState();
  if (!store.listings[folder]) store.setListing(folder, { state: 'loading' });
  try {
    const entries = await getBridge().invoke('folder.list', folder);
    useWorkspaceStore.getState().setListing(folder, { state: 'loaded', entries });
  } catch (error) {
    useWorkspaceStore.getState().setListing(folder, { state: 'error', message: errorText(error) });
  }
}

export function setFolderExpanded(folder: string, expanded: boolean): void {
  useWorkspaceStore.getState().setExpanded(folder, expanded);
  if (expanded && !useWorkspaceStore.getState().listings[folder]) void loadListing(folder);
}

/** The launch.json read under way, if any, and the folder it is for. */
let pendingLaunch: { readonly folder: string; readonly done: Promise<void> } | null = null;

/** Re-reads the folder's launch configurations; the picker's choice follows (remembered, or kept if it still exists). */
export function refreshLaunchConfigurations(): Promise<void> {
  const folder = useWorkspaceStore.getState().folder;
  if (!folder) return Promise.resolve();
  const done: Promise<void> = readLaunchConfigurations(folder).finally(() => {
    if (pendingLaunch?.done === done) pendingLaunch = null;
  });
  pendingLaunch = { folder, done };
  return done;
}

/**
 * While the open folder's launch.json is being read: a promise that resolves once it has been
 * (null when nothing is pending), so F5 pressed just after a folder opens starts what the
 * picker will show, not Current File by default.
 */
export function launchConfigurationsPending(): Promise<void> | null {
  if (!pendingLaunch || pendingLaunch.folder !== useWorkspaceStore.getState().folder) return null;
  return (async () => {
    while (pendingLaunch && pendingLaunch.folder === useWorkspaceStore.getState().folder) await pendingLaunch.done;
  })();
}

async function readLaunchConfigurations(folder: string): Promise<void> {
  try {
    const launch = await getBridge().invoke('launch.configurations', folder);
    if (useWorkspaceStore.getState().folder !== folder) return;
    const store = useWorkspaceStore.getState();
    store.setLaunch(launch);
    const remembered = useSettingsStore.getState().settings.launchChoices[folder];
    const names = launch.configurations.map((config) => config.name);
    const current = store.launchChoice;
    if (current !== CURRENT_FILE && !names.includes(current)) store.setLaunchChoice(CURRENT_FILE);
    if (current === CURRENT_FILE && remembered && names.includes(remembered)) store.setLaunchChoice(remembered);
    // Nothing chosen for this folder yet: its first configuration, as VS Code selects it.
    else if (current === CURRENT_FILE && !remembered && names.length > 0) store.setLaunchChoice(names[0]);
  } catch (error) {
    notify('error', `Could not read the launch configurations: ${errorText(error)}`);
  }
}

/** The picker's choice, remembered for this folder in the host's settings. */
export async function chooseLaunchConfiguration(choice: string): Promise<void> {
  const folder = useWorkspaceStore.getState().folder;
  useWorkspaceStore.getState().setLaunchChoice(choice);
  if (!folder) return;
  const choices = { ...useSettingsStore.getState().settings.launchChoices, [folder]: choice };
  try {
    useSettingsStore.getState().setSettings(await getBridge().invoke('settings.update', { launchChoices: choices }));
  } catch {
    // Remembering the choice is a convenience; the choice itself stands.
  }
}

/** Changes on disk reported by the host. */
export async function applyFolderChanges(changes: readonly FileChange[]): Promise<void> {
  const { folder, listings, launch } = useWorkspaceStore.getState();
  const parents = new Set<string>();
  for (const change of changes) {
    const parent = parentOf(change.path);
    if (listings[parent]) parents.add(parent);
    if (change.kind === 'deleted' && listings[change.path]) useWorkspaceStore.getState().setListing(change.path, { state: 'loading' });
  }
  await Promise.all([...parents].map((parent) => loadListing(parent)));
  if (folder && launch && changes.some((change) => change.path === launch.file || isUnder(launch.file, change.path))) {
    await refreshLaunchConfigurations();
  }
  for (const change of changes) {
    if (useEditorStore.getState().files[change.path]) await onOpenFileChanged(change);
  }
}

async function onOpenFileChanged(change: FileChange): Promise<void> {
  const file = useEditorStore.getState().files[change.path];
  if (!file) return;
  if (change.kind === 'deleted') {
    notify('warning', `${file.name} was deleted or moved on disk; its tab keeps your text — save to write it back.`);
    return;
  }
  let content: string;
  let mtimeMs: number;
  try {
    ({ content, mtimeMs } = await getBridge().invoke('file.read', change.path));
  } catch {
    return; // Gone again, or unreadable: the tab keeps what it has.
  }
  const current = useEditorStore.getState().files[change.path];
  if (!current || mtimeMs === current.mtimeMs) return; // Our own save.
  if (getDocumentHost().getText(change.path) === content) {
    useEditorStore.getState().markSaved(change.path, getDocumentHost().getVersion(change.path) ?? current.currentVersion, mtimeMs);
    return;
  }
  if (isDirty(current)) {
    useExternalChangeStore.getState().report(change.path, content, mtimeMs);
    return;
  }
  reloadFromDisk(change.path, content, mtimeMs);
}

/** Replaces an open file's text with what is on disk (the tab counts as saved). */
export function reloadFromDisk(path: string, content: string, mtimeMs: number): void {
  const active = useEditorStore.getState().activePath;
  const version = getDocumentHost().open(path, content);
  useEditorStore.getState().addFile(path, version, mtimeMs);
  if (active) useEditorStore.getState().setActive(active);
  useExternalChangeStore.getState().clear(path);
}

/** The user chose to keep their edits over the changed file on disk. */
export function keepMyVersion(path: string): void {
  const conflict = useExternalChangeStore.getState().conflicts[path];
  const file = useEditorStore.getState().files[path];
  if (conflict && file) useEditorStore.getState().markSaved(path, file.savedVersion, conflict.mtimeMs);
  useExternalChangeStore.getState().clear(path);
  notify('info', `${baseName(path)}: your edits are kept; saving will replace the version on disk.`);
}
