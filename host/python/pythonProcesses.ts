/**
 * The local processes running Python, for "Attach to Process…": process id, command line and
 * interpreter. Linux reads /proc; macOS and other Unixes ask `ps`. Dapper's own processes (the
 * host, programs it launched under its agent) are left out.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PythonProcess } from '../../common/bridge';

const PYTHON_NAME = /^python(\d+(\.\d+)?)?[a-z]?(\.exe)?$/i;

function isPythonExecutable(file: string): boolean {
  return PYTHON_NAME.test(path.basename(file.replace(/ \(deleted\)$/, '')));
}

function isDappersOwn(commandLine: string): boolean {
  return commandLine.includes('dapper_launcher.py');
}

function fromProc(): PythonProcess[] {
  const found: PythonProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.length === 0) continue; // kernel threads, zombies
      let executable: string;
      try {
        executable = fs.readlinkSync(`/proc/${pid}/exe`);
      } catch {
        executable = argv[0]; // another user's process: judge by its command line
      }
      if (!isPythonExecutable(executable) && !isPythonExecutable(argv[0])) continue;
      const commandLine = argv.join(' ');
      if (isDappersOwn(commandLine)) continue;
      found.push({ pid, commandLine, executable: executable.replace(/ \(deleted\)$/, '') });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function fromPs(): PythonProcess[] {
  const output = execFileSync('ps', ['-axo', 'pid=,comm=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const found: PythonProcess[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || !isPythonExecutable(match[2]) || isDappersOwn(match[3])) continue;
    found.push({ pid, commandLine: match[3], executable: match[2] });
  }
  return found;
}

export function listPythonProcesses(): PythonProcess[] {
  if (process.platform === 'win32') return [];
  const found = fs.existsSync('/proc/self/cmdline') ? fromProc() : fromPs();
  return found.sort((a, b) => b.pid - a.pid);
}
