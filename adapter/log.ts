/**
 * Diagnostic logging for the adapter. Standalone, stdout carries DAP and nothing else, so
 * logs go to a file or stderr, and only when `DAPPER_LOG` is set:
 * `DAPPER_LOG=stderr` or `DAPPER_LOG=/path/to/file.log`.
 */
import { appendFileSync } from 'node:fs';

const target = process.env.DAPPER_LOG;

export function log(message: string): void {
  if (!target) return;
  const line = `[dapper-adapter ${new Date().toISOString()}] ${message}\n`;
  try {
    if (target === 'stderr' || target === '1' || target === 'true') process.stderr.write(line);
    else appendFileSync(target, line);
  } catch {
    // Logging must never take the session down.
  }
}
