/**
 * `${NAME}` expansion in envFile values, as dotenv files are written for VS Code and
 * docker-compose: `${NAME}`, `$NAME`, `${NAME:-default}` (unset or empty), `${NAME-default}`
 * (unset), `\$` for a literal dollar. Names resolve to the file's earlier variables first,
 * then the inherited environment; an unknown name expands to nothing. Command substitution
 * (`$(…)`) is deliberately not done: reading a settings file must never run a command.
 */
const REFERENCE = /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function expandValue(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(REFERENCE, (match, bracedName?: string, operator?: string, fallback?: string, bareName?: string) => {
    if (match === '\\$') return '$';
    const name = bracedName ?? bareName!;
    const found = lookup(name);
    if (operator === ':-') return found ? found : expandValue(fallback ?? '', lookup);
    if (operator === '-') return found !== undefined ? found : expandValue(fallback ?? '', lookup);
    return found ?? '';
  });
}

/** Expands every variable of a parsed file, in file order (a line sees the lines above it). */
export function expandEnvFile(parsed: Readonly<Record<string, string>>, inherited: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  const lookup = (name: string) => (Object.prototype.hasOwnProperty.call(result, name) ? result[name] : inherited[name]);
  for (const [name, value] of Object.entries(parsed)) result[name] = expandValue(value, lookup);
  return result;
}
