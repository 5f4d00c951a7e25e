/** Copies a sample project from e2e/projects/ into the test's work folder (edits never touch the repo). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function copyProject(name: string, workDir: string): string {
  const target = path.join(workDir, name);
  fs.cpSync(path.join(__dirname, '..', 'projects', name), target, { recursive: true });
  return target;
}
