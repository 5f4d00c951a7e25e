/**
 * A folder's .vscode/settings.json, read as VS Code reads it (JSONC: comments, trailing
 * commas), for `python.defaultInterpreterPath` — with `${workspaceFolder}`, `${env:NAME}`
 * and `~` expanded, and a relative path taken from the folder.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface DefaultInterpreterSetting {
  /** The value as written, or null when the file or the setting is absent. */
  readonly written: string | null;
  /** The absolute path it names. */
  readonly path: string | null;
  /** Why the file could not be used, in one sentence. */
  readonly problem: string | null;
}

const SETTING = 'python.defaultInterpreterPath';

export function expandSettingPath(value: string, folder: string): string {
  const expanded = value
    .replace(/\$\{workspaceFolder\}/g, folder)
    .replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => process.env[name] ?? '')
    .replace(/^~(?=$|[\\/])/, homedir());
  // A bare command name ("python3") is looked up on PATH by whoever runs it.
  if (!/[\\/]/.test(expanded)) return expanded;
  return resolve(folder, expanded);
}

export function readDefaultInterpreterPath(folder: string): DefaultInterpreterSetting {
  const file = join(folder, '.vscode', 'settings.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { written: null, path: null, problem: null };
    return { written: null, path: null, problem: `${file} could not be read: ${(error as Error).message}.` };
  }
  const errors: ParseError[] = [];
  const root = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length > 0) {
    const first = errors[0];
    const line = text.slice(0, first.offset).split('\n').length;
    return { written: null, path: null, problem: `${file} line ${line}: ${printParseErrorCode(first.error)}; its settings are ignored until it is fixed.` };
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    return { written: null, path: null, problem: `${file} is not a JSON object; its settings are ignored.` };
  }
  const value = (root as Record<string, unknown>)[SETTING];
  if (value === undefined) return { written: null, path: null, problem: null };
  if (typeof value !== 'string' || value.trim() === '') {
    return { written: null, path: null, problem: `"${SETTING}" in ${file} must be a path, got ${JSON.stringify(value)}.` };
  }
  return { written: value, path: expandSettingPath(value.trim(), folder), problem: null };
}
