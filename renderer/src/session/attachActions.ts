/**
 * Attaching from the app: which attach dialog is open ("Attach to Process…", "Attach to
 * Host…"), and the attach arguments each one starts a session with.
 */
import { create } from 'zustand';
import type { PythonProcess } from '../../../common/bridge';
import type { DapperAttachArguments } from '../../../common/launchConfig';
import { useSettingsStore } from '../stores/settingsStore';
import { startAttach } from './sessionController';

export type AttachDialog = 'process' | 'host';

interface AttachDialogState {
  readonly dialog: AttachDialog | null;
  /**
   * Set while the process list answers a launch configuration's `${command:pickProcess}`:
   * receives the chosen process, or null when the user cancels.
   */
  readonly picking: ((process: PythonProcess | null) => void) | null;
  open(dialog: AttachDialog): void;
  close(): void;
}

export const useAttachDialogStore = create<AttachDialogState>()((set, get) => ({
  dialog: null,
  picking: null,
  open: (dialog) => {
    get().picking?.(null);
    set({ dialog, picking: null });
  },
  close: () => {
    const picking = get().picking;
    set({ dialog: null, picking: null });
    picking?.(null);
  },
}));

/** Shows the process list as a picker; resolves with the chosen process, or null when cancelled. */
export function pickProcess(): Promise<PythonProcess | null> {
  return new Promise((resolve) => {
    useAttachDialogStore.getState().picking?.(null);
    useAttachDialogStore.setState({ dialog: 'process', picking: resolve });
  });
}

/** The user chose a process in the list: answers the picker, or attaches to it. */
export function chooseProcess(process: PythonProcess): void {
  const picking = useAttachDialogStore.getState().picking;
  useAttachDialogStore.setState({ dialog: null, picking: null });
  if (picking) picking(process);
  else void attachToProcess(process.pid, process.commandLine);
}

function justMyCode(): boolean {
  return useSettingsStore.getState().settings.justMyCode;
}

/** Attach to a local Python process by its id (gdb, or sys.remote_exec on 3.14+). */
export function attachToProcess(pid: number, commandLine: string): Promise<void> {
  return startAttach({ processId: pid, justMyCode: justMyCode() }, `process ${pid} (${commandLine})`);
}

export interface HostTarget {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** Both empty, or both set: the client's folder and the same folder on the program's machine. */
  readonly localRoot: string;
  readonly remoteRoot: string;
}

/** Attach to a program started with `python -m dapper_agent --listen` (here or on another machine). */
export function attachToHost(target: HostTarget): Promise<void> {
  const args: DapperAttachArguments = {
    connect: { host: target.host, port: target.port },
    token: target.token,
    justMyCode: justMyCode(),
    ...(target.localRoot && target.remoteRoot ? { pathMappings: [{ localRoot: target.localRoot, remoteRoot: target.remoteRoot }] } : {}),
  };
  return startAttach(args, `${target.host}:${target.port}`);
}

/** What is wrong with the Attach to Host form, or null. */
export function checkHostTarget(form: { host: string; port: string; token: string; localRoot: string; remoteRoot: string }): string | null {
  if (!form.host.trim()) return 'Give the host name or address the program listens on.';
  if (!/^\d+$/.test(form.port.trim()) || Number(form.port) < 1 || Number(form.port) > 65535) return 'The port must be a number from 1 to 65535.';
  if (!form.token.trim()) return 'Give the token the program printed (or was started with).';
  if (Boolean(form.localRoot.trim()) !== Boolean(form.remoteRoot.trim())) {
    return 'Give both folders (local and remote root), or neither.';
  }
  if (form.localRoot.trim() && !/^([a-zA-Z]:[\\/]|\/)/.test(form.localRoot.trim())) return 'The local root must be an absolute folder path.';
  return null;
}
