/**
 * Start-up independent of the transport: load settings and app facts from the host, then
 * open (and debug) the script given on the command line, if any.
 */
import { getBridge } from './bridge/bridgeAccess';
import { errorText } from './dap/dapClient';
import { openFile } from './session/fileActions';
import { startDebugging } from './session/sessionController';
import { showFolder } from './session/workspaceActions';
import { notify } from './stores/noticeStore';
import { useSettingsStore } from './stores/settingsStore';

export async function loadHostState(): Promise<void> {
  const bridge = getBridge();
  try {
    const [settings, info] = await Promise.all([bridge.invoke('settings.get'), bridge.invoke('app.info')]);
    useSettingsStore.getState().setSettings(settings);
    useSettingsStore.getState().setAppInfo(info);
    if (info.initialFolder) showFolder(info.initialFolder);
    if (info.initialScript && (await openFile(info.initialScript))) await startDebugging(info.initialScript);
  } catch (error) {
    notify('error', `Could not reach the Dapper host: ${errorText(error)}. Reload the window; if that fails, restart Dapper.`);
  }
}
