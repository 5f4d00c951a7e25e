/** Builds the state one host process shares between its windows. */
import type { HostKind } from '../../common/bridge';
import type { DebugSessionFactory, HostContext } from './bridgeService';
import { userConfigDir } from '../settings/configDir';
import { DroppedFilesFolder } from '../workspace/droppedFiles';
import { FileAccessPolicy } from '../workspace/fileAccessPolicy';
import type { PackageLayout } from '../cli/packageRoot';
import { SettingsStore } from '../settings/settingsStore';

export interface HostContextOptions {
  readonly host: HostKind;
  readonly layout: PackageLayout;
  readonly initialScript: string | null;
  readonly initialFolder?: string | null;
  readonly createDebugSession: DebugSessionFactory;
  readonly configDir?: string;
}

export function createHostContext(options: HostContextOptions): HostContext {
  const settings = new SettingsStore(options.configDir ?? userConfigDir());
  if (options.initialScript) settings.addRecentFile(options.initialScript);
  return {
    host: options.host,
    version: options.layout.version,
    demoScript: options.layout.demoScript,
    initialScript: options.initialScript,
    initialFolder: options.initialFolder ?? null,
    settings,
    policy: new FileAccessPolicy(),
    createDebugSession: options.createDebugSession,
    droppedFiles: DroppedFilesFolder.createForSession(),
  };
}
