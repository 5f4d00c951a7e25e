/**
 * The workspace folder of this window and what the Explorer shows of it: folder listings
 * loaded on demand (a folder's children are fetched when it is first expanded), which folders
 * are expanded, and the launch configurations of its .vscode/launch.json.
 */
import { create } from 'zustand';
import type { FolderEntry, LaunchConfigurationList } from '../../../common/bridge';

export type FolderListing =
  | { readonly state: 'loading' }
  | { readonly state: 'loaded'; readonly entries: readonly FolderEntry[] }
  | { readonly state: 'error'; readonly message: string };

/** The built-in choice of the configuration picker, as in VS Code. */
export const CURRENT_FILE = 'Current File';

interface WorkspaceState {
  readonly folder: string | null;
  readonly listings: Readonly<Record<string, FolderListing>>;
  readonly expanded: Readonly<Record<string, true>>;
  readonly launch: LaunchConfigurationList | null;
  /** The picker's choice: CURRENT_FILE or a configuration name. */
  readonly launchChoice: string;
  setFolder(folder: string | null): void;
  setListing(path: string, listing: FolderListing): void;
  setExpanded(path: string, expanded: boolean): void;
  setLaunch(launch: LaunchConfigurationList | null): void;
  setLaunchChoice(choice: string): void;
}

export const useWorkspaceStore = create<WorkspaceState>()((set, get) => ({
  folder: null,
  listings: {},
  expanded: {},
  launch: null,
  launchChoice: CURRENT_FILE,
  setFolder: (folder) => set({ folder, listings: {}, expanded: folder ? { [folder]: true } : {}, launch: null, launchChoice: CURRENT_FILE }),
  setListing: (path, listing) => set({ listings: { ...get().listings, [path]: listing } }),
  setExpanded(path, expanded) {
    const { [path]: _was, ...rest } = get().expanded;
    set({ expanded: expanded ? { ...rest, [path]: true } : rest });
  },
  setLaunch: (launch) => set({ launch }),
  setLaunchChoice: (launchChoice) => set({ launchChoice }),
}));

/** Parent folder of a path, in the host's own spelling (either separator). */
export function parentOf(path: string): string {
  const index = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return index <= 0 ? path.slice(0, index + 1) : path.slice(0, index);
}

/** True when `path` is `folder` or lies inside it. */
export function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`) || path.startsWith(`${folder}\\`);
}

/** `path` relative to `folder`, with forward slashes (for display and pytest node ids). */
export function relativePath(path: string, folder: string): string {
  return isUnder(path, folder) ? path.slice(folder.length + 1).replace(/\\/g, '/') : path;
}
