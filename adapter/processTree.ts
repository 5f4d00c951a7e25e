/**
 * Ending a process together with every process it started (a launch whose agent never said
 * hello: the interpreter, or a wrapper script in its place, may have started children of its
 * own). The tree is frozen first (SIGSTOP), so nothing in it can start another child while it
 * is listed, then killed; Windows asks `taskkill /T`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { log } from './log';

/** Parent of every running process: /proc on Linux, `ps` elsewhere. */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  if (process.platform === 'linux') {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields[0] === 'Z') continue;
        parents.set(Number(entry), Number(fields[1]));
      } catch {
        // Gone while listing.
      }
    }
    return parents;
  }
  const listing = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of listing.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) parents.set(pid, ppid);
  }
  return parents;
}

/** Every live descendant of `root` (not `root` itself). */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentsByPid()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    for (const child of children.get(pending.pop()!) ?? []) {
      if (child === root || found.includes(child)) continue;
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills `root` and its descendants; returns the descendants that were killed (what to tell
 * the user). `root` itself is left to its owner to reap.
 */
export function killProcessTree(root: number): number[] {
  if (process.platform === 'win32') {
    try {
      execFileSync('taskkill', ['/T', '/F', '/PID', String(root)], { stdio: 'ignore' });
    } catch (error) {
      log(`taskkill ${root}: ${(error as Error).message}`);
    }
    return [];
  }
  const frozen = new Set<number>();
  if (signal(root, 'SIGSTOP')) frozen.add(root);
  // A child may have been started between listing and stopping its parent: list again until
  // the frozen tree stops growing.
  for (;;) {
    const fresh = descendantsOf(root).filter((pid) => !frozen.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      signal(pid, 'SIGSTOP');
      frozen.add(pid);
    }
  }
  const killed: number[] = [];
  for (const pid of frozen) {
    if (signal(pid, 'SIGKILL') && pid !== root) killed.push(pid);
  }
  return killed;
}
