/**
 * The folder channels of the bridge for one window: opening a folder (which makes the files
 * under it reachable), listing it for the Explorer, indexing it for Quick Open, watching what
 * the window shows, and its launch configurations. Every path must lie in an opened folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  InterpreterDiscovery,
  FileChange,
  FolderEntry,
  FolderFiles,
  LaunchConfigurationList,
  LaunchResolveContext,
  ResolvedLaunchConfiguration,
  TestRunnerInfo,
} from '../../common/bridge';
import { BridgeInputError } from '../bridge/bridgeErrors';
import { canonicalPath, isInside, type FileAccessPolicy } from './fileAccessPolicy';
import { launchJsonPath } from './launchConfigurations';
import { listFilesRecursively, listFolder } from './folderListing';
import { FolderWatcher } from './folderWatcher';
import { listLaunchConfigurations, resolveLaunchConfiguration } from './launchConfigurations';
import { probeTestRunner } from '../python/testRunnerProbe';
import { discoverInterpreters } from '../python/interpreterDiscovery';
import type { SettingsStore } from '../settings/settingsStore';

/** Why `folder` cannot be opened as a workspace folder, or null. */
export function folderProblem(folder: string): string | null {
  if (!path.isAbsolute(folder)) return `"${folder}" is not an absolute path; give the full path of the folder, e.g. /home/me/project.`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    return `Could not open ${folder}: it does not exist.`;
  }
  if (!stat.isDirectory()) return `Could not open ${folder}: it is a file, not a folder (open it as a file instead).`;
  const canonical = canonicalPath(folder);
  if (path.dirname(canonical) === canonical) return `Dapper does not open the root of a file system (${folder}) as a folder; open your project's folder.`;
  const home = canonicalPath(os.homedir());
  if (canonical === home) return `Dapper does not open your whole home folder (${folder}); open your project's folder.`;
  if (isInside(home, canonical)) return `Dapper does not open ${folder}: it holds your home folder; open your project's folder.`;
  return null;
}

export class FolderService {
  private readonly watcher: FolderWatcher;

  constructor(
    private readonly policy: FileAccessPolicy,
    private readonly settings: SettingsStore,
    report: (changes: readonly FileChange[]) => void,
  ) {
    this.watcher = new FolderWatcher(report);
  }

  /** Opens `folder` for this host: its files become reachable and it goes to the top of Recent. */
  open(folder: string): { path: string } {
    const problem = folderProblem(folder);
    if (problem) throw new BridgeInputError(problem);
    const opened = path.resolve(folder);
    this.policy.allowFolder(opened);
    this.settings.addRecentFolder(opened);
    this.watcher.watch(opened);
    return { path: opened };
  }

  list(folder: string): readonly FolderEntry[] {
    this.assertInOpenedFolder(folder, 'list');
    let entries: FolderEntry[];
    try {
      entries = listFolder(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`Could not list ${folder}: ${code === 'ENOENT' ? 'it no longer exists' : code === 'EACCES' ? 'permission denied' : (error as Error).message}.`, {
        cause: error,
      });
    }
    this.watcher.watch(folder);
    return entries;
  }

  files(folder: string): FolderFiles {
    this.assertInOpenedFolder(folder, 'search');
    return listFilesRecursively(folder);
  }

  /** An open file's folder is watched so that changes made elsewhere reach its tab. */
  watchFileFolder(file: string): void {
    this.watcher.watch(path.dirname(file));
  }

  configurations(folder: string): LaunchConfigurationList {
    this.assertInOpenedFolder(folder, 'read the launch configurations of');
    // launch.json edited elsewhere must reach the picker even when .vscode is not expanded.
    const settingsFolder = path.dirname(launchJsonPath(folder));
    if (fs.existsSync(settingsFolder)) this.watcher.watch(settingsFolder);
    return listLaunchConfigurations(folder);
  }

  resolve(folder: string, name: string, context: LaunchResolveContext): ResolvedLaunchConfiguration {
    this.assertInOpenedFolder(folder, 'read the launch configurations of');
    return resolveLaunchConfiguration(folder, name, context);
  }

  /** Tests run from a folder the user opened. */
  testRunner(python: string, cwd: string): Promise<TestRunnerInfo> {
    if (!path.isAbsolute(cwd) || !this.policy.mayRunIn(cwd)) {
      throw new BridgeInputError(`Dapper refused to run tests in ${cwd}: it is not a folder you opened, nor the folder of a file you opened.`);
    }
    return probeTestRunner(python || null, cwd);
  }

  /** Select Interpreter's list for an opened folder (null: no folder, only machine-wide ones). */
  interpreters(folder: string | null): Promise<InterpreterDiscovery> {
    if (folder !== null) this.assertInOpenedFolder(folder, 'look for interpreters in');
    return discoverInterpreters(folder);
  }

  dispose(): void {
    this.watcher.dispose();
  }

  private assertInOpenedFolder(folder: string, action: string): void {
    if (!path.isAbsolute(folder)) throw new BridgeInputError(`"${folder}" is not an absolute path.`);
    if (this.policy.folderOf(folder) === null) {
      if (this.policy.isSpelledInsideFolder(folder)) this.policy.assertAllowed(folder, action);
      throw new BridgeInputError(`Dapper refused to ${action} ${folder}: it is not in a folder you opened. Open the folder first.`);
    }
  }
}
