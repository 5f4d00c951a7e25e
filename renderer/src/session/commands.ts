/**
 * The one dispatcher for user commands, shared by the toolbar, the keyboard shortcuts and
 * the host's menu (`app.menuCommand`), so each command behaves the same from everywhere.
 */
import type { MenuCommand } from '../../../common/bridge';
import { openFile, openWithDialog, saveFile } from './fileActions';
import { restartDebugging, startDebugging, stopDebugging } from './sessionController';
import { continueExecution, pauseExecution, stepInto, stepOut, stepOver } from './execution';
import { applyCandidates, applyChanges, canApplyPath } from './applyChanges';
import { useAttachDialogStore } from './attachActions';
import { getBridge } from '../bridge/bridgeAccess';
import { syncBreakpointsFor } from './breakpointSync';
import { useConsoleStore } from '../stores/consoleStore';
import { useEditorStore } from '../stores/editorStore';
import { useProcessStore } from '../stores/processStore';
import { isSessionActive, useSessionStore } from '../stores/sessionStore';
import { useSettingsStore } from '../stores/settingsStore';
import { useUiStore } from '../stores/uiStore';
import { launchConfigurationsPending, openFolderWithDialog } from './workspaceActions';
import { selectedConfiguration, startConfiguration } from './launchActions';

export async function runCommand(command: MenuCommand): Promise<void> {
  const { status } = useSessionStore.getState();
  // Continue and the steps act where the selected frame is: a child process's frame is a stopped one.
  const stopped = status === 'stopped' || useProcessStore.getState().focus !== null;
  switch (command) {
    case 'file.open':
      return openFileCommand();
    case 'file.openFolder':
      return openFolderCommand();
    case 'file.quickOpen':
      return useUiStore.getState().setQuickOpenVisible(true);
    case 'file.save':
      return saveActiveFile();
    case 'debug.start':
      if (stopped) return continueExecution();
      if (status === 'starting') return rememberStartPress();
      if (isSessionActive(status)) return;
      return startActiveFile();
    case 'debug.continue':
      return stopped ? continueExecution() : undefined;
    case 'debug.pause':
      return status === 'running' ? pauseExecution() : undefined;
    case 'debug.stepOver':
      return stopped ? stepOver() : undefined;
    case 'debug.stepInto':
      return stopped ? stepInto() : undefined;
    case 'debug.stepOut':
      return stopped ? stepOut() : undefined;
    case 'debug.restart':
      return isSessionActive(status) ? restartDebugging() : startActiveFile();
    case 'debug.stop':
      return isSessionActive(status) ? stopDebugging() : undefined;
    case 'debug.applyChanges':
      return applyCandidates().length > 0 ? applyChanges() : undefined;
    case 'debug.attachProcess':
      return useAttachDialogStore.getState().open('process');
    case 'debug.attachHost':
      return useAttachDialogStore.getState().open('host');
    default:
      return assertNever(command);
  }
}

async function openFileCommand(): Promise<void> {
  const host = useSettingsStore.getState().appInfo?.host;
  if (host === 'browser') {
    useUiStore.getState().setOpenPathVisible(true);
    return;
  }
  const path = await openWithDialog();
  // A host without a dialog (or one that failed) still lets the user type a path.
  if (path === null && host !== 'electron') useUiStore.getState().setOpenPathVisible(true);
}

async function openFolderCommand(): Promise<void> {
  const host = useSettingsStore.getState().appInfo?.host;
  if (host !== 'browser' && (await openFolderWithDialog()) !== null) return;
  // The browser host has no folder dialog: the user types the path.
  if (host !== 'electron') useUiStore.getState().setOpenPathVisible(true, 'folder');
}

/** Ctrl+S: save; when the program (running or stopped) has loaded this file and applyOnSave is on, apply it too. */
export async function saveActiveFile(): Promise<void> {
  const path = useEditorStore.getState().activePath;
  if (!path) return;
  const saved = await saveFile(path);
  if (!saved) return;
  if (useSettingsStore.getState().settings.applyOnSave && canApplyPath(path)) {
    await applyChanges(path);
  } else if (isSessionActive(useSessionStore.getState().status) && !useEditorStore.getState().loadedPaths[path]) {
    // Not imported yet: it will load from disk as saved, so its breakpoints go at the saved lines.
    await syncBreakpointsFor(path);
  }
}

/** F5 arrived while the folder's launch.json was still being read and waits for it. */
let startWaitsForLaunchJson = false;

export async function startActiveFile(): Promise<void> {
  const pending = launchConfigurationsPending();
  if (pending) {
    if (startWaitsForLaunchJson) return; // one start for several presses
    startWaitsForLaunchJson = true;
    try {
      await pending;
    } finally {
      startWaitsForLaunchJson = false;
    }
  }
  const configuration = selectedConfiguration();
  if (configuration) return startConfiguration(configuration.folder, configuration.name);
  const program = useEditorStore.getState().activePath ?? useSessionStore.getState().program;
  if (program) return startDebugging(program);
  return openFileCommand();
}

export async function debugDemo(): Promise<void> {
  const info = useSettingsStore.getState().appInfo ?? (await getBridge().invoke('app.info'));
  if (await openFile(info.demoScript)) await startDebugging(info.demoScript);
}

/** F5 while the session starts: carried out once it has (see sessionStore.continuePastEntry). */
function rememberStartPress(): void {
  if (useSessionStore.getState().continuePastEntry) return;
  useSessionStore.getState().setContinuePastEntry(true);
  useConsoleStore.getState().append('console', 'F5: the program will run on past its entry stop once it has started.\n');
}

function assertNever(value: never): never {
  throw new Error(`Unknown command: ${String(value)}`);
}
