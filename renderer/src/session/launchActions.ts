/**
 * Starting what the "Launch configuration" picker names (F5, Start Debugging), and
 * "Add Configuration…": a template inserted into the folder's .vscode/launch.json, which then
 * opens in the editor.
 */
import { applyEdits, modify, parse } from 'jsonc-parser';
import type { LaunchCommand, ResolvedLaunchConfiguration } from '../../../common/bridge';
import type { DapperAttachArguments, DapperLaunchArguments } from '../../../common/launchConfig';
import { getBridge } from '../bridge/bridgeAccess';
import { errorText } from '../dap/dapClient';
import { getDocumentHost } from '../editor/documentHost';
import { baseName, useEditorStore } from '../stores/editorStore';
import { notify } from '../stores/noticeStore';
import { useSettingsStore } from '../stores/settingsStore';
import { CURRENT_FILE, useWorkspaceStore } from '../stores/workspaceStore';
import { pickProcess } from './attachActions';
import { openFile } from './fileActions';
import { chosenInterpreter, startAttach, startLaunch } from './sessionController';
import { launchTemplates, uniqueName, type LaunchTemplate } from './launchTemplates';
import { chooseLaunchConfiguration, refreshLaunchConfigurations } from './workspaceActions';

/** The picker names a launch.json configuration (not "Current File"). */
export function selectedConfiguration(): { folder: string; name: string } | null {
  const { folder, launchChoice } = useWorkspaceStore.getState();
  return folder && launchChoice !== CURRENT_FILE ? { folder, name: launchChoice } : null;
}

/**
 * Launch arguments of a resolved configuration, completed from the settings the way the
 * app's own launches are (interpreter); the app has no terminal, so output always goes to
 * the Debug Console.
 */
export function completeLaunchArguments(configured: Readonly<Record<string, unknown>>): DapperLaunchArguments {
  const python = chosenInterpreter();
  return {
    ...(python ? { python } : {}),
    ...configured,
    console: 'internalConsole',
  } as unknown as DapperLaunchArguments;
}

/**
 * Answers the configuration's `${command:…}` variables by asking the user (pickProcess: the
 * process list); null when the user cancelled, which cancels the start without a word.
 */
async function answerCommands(needed: readonly LaunchCommand[]): Promise<Partial<Record<LaunchCommand, string>> | null> {
  const answers: Partial<Record<LaunchCommand, string>> = {};
  for (const command of needed) {
    switch (command) {
      case 'pickProcess': {
        const process = await pickProcess();
        if (!process) return null;
        answers.pickProcess = String(process.pid);
        break;
      }
    }
  }
  return answers;
}

export async function startConfiguration(folder: string, name: string): Promise<void> {
  let resolved: ResolvedLaunchConfiguration;
  try {
    const activeFile = useEditorStore.getState().activePath;
    resolved = await getBridge().invoke('launch.resolve', folder, name, { activeFile });
    if (resolved.commandsNeeded?.length) {
      const commands = await answerCommands(resolved.commandsNeeded);
      if (!commands) return;
      resolved = await getBridge().invoke('launch.resolve', folder, name, { activeFile, commands });
    }
  } catch (error) {
    notify('error', `Could not start "${name}": ${errorText(error)}`);
    return;
  }
  if (resolved.request === 'attach') {
    const { settings } = useSettingsStore.getState();
    const attach = { justMyCode: settings.justMyCode, ...resolved.arguments } as unknown as DapperAttachArguments;
    await startAttach(attach, name);
    return;
  }
  await startLaunch(completeLaunchArguments(resolved.arguments));
}

function launchJsonText(existing: string | undefined, template: LaunchTemplate): { text: string; name: string } {
  const base = existing && existing.trim() ? existing : '{\n  "version": "0.2.0",\n  "configurations": []\n}\n';
  const root = parse(base, [], { allowTrailingComma: true }) as { configurations?: Array<{ name?: unknown }> } | undefined;
  const taken = (Array.isArray(root?.configurations) ? root.configurations : []).map((item) => String(item?.name ?? ''));
  const name = uniqueName(String(template.configuration.name), taken);
  const configuration = { ...template.configuration, name };
  const formatting = { insertSpaces: true, tabSize: 2, eol: '\n' };
  const path = Array.isArray(root?.configurations) ? ['configurations', -1] : ['configurations'];
  const value = Array.isArray(root?.configurations) ? configuration : [configuration];
  const edits = modify(base, path, value, { formattingOptions: formatting, isArrayInsertion: path.length === 2 });
  return { text: applyEdits(base, edits), name };
}

/** Inserts a template into launch.json (saved), opens it, and selects the new configuration. */
export async function addConfiguration(template: LaunchTemplate): Promise<void> {
  // The folder's launch.json may still be loading (the picker shows as soon as the folder opens).
  if (useWorkspaceStore.getState().folder && !useWorkspaceStore.getState().launch) await refreshLaunchConfigurations();
  const { folder, launch } = useWorkspaceStore.getState();
  if (!folder || !launch) {
    notify('warning', 'Open a folder first: launch configurations live in its .vscode/launch.json.');
    return;
  }
  const file = launch.file;
  const open = useEditorStore.getState().files[file];
  try {
    let existing: string | undefined = open ? getDocumentHost().getText(file) : undefined;
    if (existing === undefined && launch.exists) existing = (await getBridge().invoke('file.read', file)).content;
    const { text, name } = launchJsonText(existing, template);
    await getBridge().invoke('file.save', file, text);
    if (open) {
      const { mtimeMs } = await getBridge().invoke('file.read', file);
      const version = getDocumentHost().open(file, text);
      useEditorStore.getState().addFile(file, version, mtimeMs);
    } else {
      await openFile(file, { quiet: true });
    }
    await refreshLaunchConfigurations();
    if (useWorkspaceStore.getState().launch?.configurations.some((config) => config.name === name)) {
      await chooseLaunchConfiguration(name);
    }
  } catch (error) {
    notify('error', `Could not add the configuration to ${file}: ${errorText(error)}`);
  }
}

export async function openLaunchJson(): Promise<void> {
  const launch = useWorkspaceStore.getState().launch;
  if (launch?.exists) await openFile(launch.file, { quiet: true });
}

export function templatesForFolder(): readonly LaunchTemplate[] {
  const folder = useWorkspaceStore.getState().folder;
  return launchTemplates(folder ? baseName(folder) : 'app');
}
