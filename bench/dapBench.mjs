// Shared by the adapter benchmarks: one way to drive Dapper and debugpy with the same DebugClient.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export function withTimeout(promise, what, ms = 20000) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))),
  ]);
}

/** debugpy's adapter folder under the system Python (Debian python3-debugpy), or undefined. */
export function debugpyAdapterPath() {
  try {
    const dir = execFileSync(SYSTEM_PYTHON, ['-c', 'import debugpy, os; print(os.path.dirname(debugpy.__file__))'], { encoding: 'utf8' }).trim();
    return join(dir, 'adapter');
  } catch {
    return undefined;
  }
}

/**
 * initialize → launch → one breakpoint on the line of `programText` marked `# BP`, no exception
 * filters → configurationDone. `armWait()` is called before configurationDone (a DebugClient only
 * sees events after it starts waiting); its promise is returned once launch has answered.
 */
export async function launchWithMarkedBreakpoint(dc, type, launchArgs, programText, armWait) {
  await withTimeout(dc.initializeRequest({ adapterID: type, pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true }), 'initialize');
  const initialized = dc.waitForEvent('initialized');
  const launched = dc.launchRequest(launchArgs);
  await withTimeout(initialized, 'initialized', 30000);
  const bpLine = programText.split('\n').findIndex((l) => l.includes('# BP')) + 1;
  await dc.setBreakpointsRequest({ source: { path: launchArgs.program }, breakpoints: [{ line: bpLine }] });
  await dc.setExceptionBreakpointsRequest({ filters: [] });
  const waited = armWait();
  await dc.configurationDoneRequest();
  await withTimeout(launched, 'launch', 30000);
  return waited;
}
