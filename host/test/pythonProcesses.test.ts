import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { listPythonProcesses } from '../python/pythonProcesses';

describe('Python processes for Attach to Process…', () => {
  let child: ReturnType<typeof spawn> | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('lists a running python script with its id and command line, and not other programs', async () => {
    child = spawn('python3', ['-c', 'import time; time.sleep(60)', 'marker-for-attach-list'], { stdio: 'ignore' });
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      // A pyenv shim is a shell script that execs Python a moment later.
      let found = listPythonProcesses();
      for (let tries = 0; tries < 100 && !found.some((process) => process.pid === child!.pid); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = listPythonProcesses();
      }
      const mine = found.find((process) => process.pid === child!.pid);
      expect(mine?.commandLine).toContain('marker-for-attach-list');
      expect(mine?.executable).toMatch(/python/);
      expect(found.some((process) => process.pid === sleeper.pid)).toBe(false);
      expect(found.some((process) => process.pid === globalThis.process.pid)).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
