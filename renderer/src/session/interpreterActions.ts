/**
 * Which interpreter a launch uses, and choosing one: the folder's choice (Select
 * Interpreter), else its .vscode/settings.json `python.defaultInterpreterPath`, else the
 * global `python` setting, else automatic (the adapter's venv-then-python3 rule).
 */
import type { InterpreterInfo } from '../../../common/bridge';
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import { useInterpreterStore } from '../stores/interpreterStore';
import { notify } from '../stores/noticeStore';
import { useSettingsStore } from '../stores/settingsStore';
import { useWorkspaceStore } from '../stores/workspaceStore';

export type InterpreterOrigin = 'chosen for this folder' | 'settings.json' | 'setting' | 'automatic';

/** The interpreter path launches use ('' = automatic), and where that choice comes from. */
export function effectiveInterpreter(): { readonly path: string; readonly origin: InterpreterOrigin } {
  const { settings } = useSettingsStore.getState();
  const folder = useWorkspaceStore.getState().folder;
  if (folder) {
    const chosen = settings.interpreterChoices?.[folder];
    if (chosen) return { path: chosen, origin: 'chosen for this folder' };
    const { discoveredFor, discovery } = useInterpreterStore.getState();
    const fromFile = discoveredFor === folder ? discovery?.interpreters.find((item) => item.source === 'settings.json') : undefined;
    if (fromFile) return { path: fromFile.path, origin: 'settings.json' };
  }
  return settings.python ? { path: settings.python, origin: 'setting' } : { path: '', origin: 'automatic' };
}

/** Asks the host which interpreters the current folder (or the machine) has. */
export async function refreshInterpreters(): Promise<void> {
  const folder = useWorkspaceStore.getState().folder;
  const store = useInterpreterStore.getState();
  store.beginDiscovery(folder);
  try {
    const discovery = await getBridge().invoke('interpreters.discover', folder);
    useInterpreterStore.getState().setDiscovery(folder, discovery);
    if (discovery.settingsProblem) notify('warning', discovery.settingsProblem);
  } catch (error) {
    useInterpreterStore.getState().setError(folder, `Could not look for interpreters: ${errorText(error)}`);
  }
}

async function storeChoice(path: string): Promise<void> {
  const folder = useWorkspaceStore.getState().folder;
  const { settings } = useSettingsStore.getState();
  const patch = folder
    ? { interpreterChoices: path ? { ...settings.interpreterChoices, [folder]: path } : withoutKey(settings.interpreterChoices ?? {}, folder) }
    : { python: path };
  useSettingsStore.getState().setSettings(await getBridge().invoke('settings.update', patch));
}

function withoutKey(record: Readonly<Record<string, string>>, key: string): Record<string, string> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/**
 * Makes `candidate` (a listed interpreter, or a typed path) the interpreter of this folder.
 * One that is too old or does not start is refused with a message naming it.
 */
export async function chooseInterpreter(candidate: InterpreterInfo | string): Promise<boolean> {
  let info: InterpreterInfo;
  try {
    info = typeof candidate === 'string' ? await getBridge().invoke('interpreters.check', candidate.trim()) : candidate;
  } catch (error) {
    notify('error', `Could not check the interpreter ${String(typeof candidate === 'string' ? candidate : candidate.path)}: ${errorText(error)}`);
    return false;
  }
  if (info.problem) {
    notify('error', info.problem);
    return false;
  }
  try {
    await storeChoice(info.path);
  } catch (error) {
    notify('error', `Could not save the interpreter choice: ${errorText(error)}`);
    return false;
  }
  notify('info', `Python ${info.version ?? ''} (${info.path}) will run the next debug session.`);
  return true;
}

/** Back to automatic: settings.json's default or the venv-then-python3 rule. */
export async function clearInterpreterChoice(): Promise<void> {
  try {
    await storeChoice('');
  } catch (error) {
    notify('error', `Could not save the interpreter choice: ${errorText(error)}`);
  }
}
