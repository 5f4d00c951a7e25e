/**
 * Reading one field of a launch configuration: its type checked, and an error that names
 * the field and quotes the value it got, so a user can find the line in launch.json.
 */
export class LaunchConfigError extends Error {}

/** A value as it appears in a message: JSON, shortened when long. */
export function quoteValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export function fieldError(name: string, expectation: string, value: unknown): LaunchConfigError {
  return new LaunchConfigError(`Launch argument "${name}" ${expectation}, got ${quoteValue(value)}.`);
}

export type LaunchFields = Readonly<Record<string, unknown>>;

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

export function optionalString(fields: LaunchFields, name: string): string | undefined {
  const value = fields[name];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw fieldError(name, 'must be a string', value);
  return value;
}

export function optionalBoolean(fields: LaunchFields, name: string, fallback: boolean): boolean {
  const value = fields[name];
  if (isAbsent(value)) return fallback;
  if (typeof value !== 'boolean') throw fieldError(name, 'must be true or false', value);
  return value;
}

export function optionalStringList(fields: LaunchFields, name: string): readonly string[] {
  const value = fields[name];
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) throw fieldError(name, 'must be a list of strings', value);
  const bad = value.find((item) => typeof item !== 'string');
  if (bad !== undefined) throw fieldError(name, `must be a list of strings; the item ${quoteValue(bad)} is not a string`, value);
  return value as string[];
}

export function optionalChoice<T extends string>(fields: LaunchFields, name: string, choices: readonly T[], fallback: T): T {
  const value = fields[name];
  if (isAbsent(value)) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw fieldError(name, `must be one of ${choices.map((c) => `"${c}"`).join(', ')}`, value);
  }
  return value as T;
}
