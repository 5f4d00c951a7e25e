/**
 * A compact description of JSON shapes (the subset of JSON Schema that DAP arguments use:
 * strings, integers, numbers, booleans, arrays, objects with required and optional
 * properties) and a checker that names the first property that does not fit, e.g.
 * `'breakpoints[0].name' must be a string, not the number 5`.
 *
 * Extra properties are always allowed: DAP lets clients and adapters add their own.
 */
import type { ArgumentSchema } from '../common/protocol';

export type Shape =
  | { readonly kind: 'string' | 'integer' | 'number' | 'boolean' | 'any' }
  | { readonly kind: 'array'; readonly items: Shape }
  | { readonly kind: 'object'; readonly properties: Readonly<Record<string, Shape>>; readonly required: readonly string[] };

export const string: Shape = { kind: 'string' };
export const integer: Shape = { kind: 'integer' };
export const number: Shape = { kind: 'number' };
export const boolean: Shape = { kind: 'boolean' };
/** Any JSON value (opaque data such as `Source.adapterData`). */
export const anything: Shape = { kind: 'any' };

export function arrayOf(items: Shape): Shape {
  return { kind: 'array', items };
}

/**
 * An object whose `required` properties must be present (not undefined); the others are
 * checked only when present. `null` counts as absent for optional properties, as many
 * clients send it for "not given".
 */
export function object(required: Record<string, Shape>, optional: Record<string, Shape> = {}): Shape {
  return { kind: 'object', properties: { ...optional, ...required }, required: Object.keys(required) };
}

/**
 * The shape a schema declares (common/protocol: Dapper's own requests). Extra properties stay
 * allowed even where the schema says `additionalProperties: false`, as for every request.
 */
export function shapeOfSchema(schema: ArgumentSchema): Shape {
  switch (schema.type) {
    case 'object': {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, shapeOfSchema(property)]));
      return { kind: 'object', properties, required: schema.required ?? [] };
    }
    case 'array':
      return arrayOf(schema.items ? shapeOfSchema(schema.items) : anything);
    default:
      return { kind: schema.type };
  }
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** The value as a reader would name it: `the string "abc"`, `the number 5`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const text = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return `the string ${JSON.stringify(text)}`;
    }
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function fits(kind: Shape['kind'], value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'any':
      return true;
  }
}

function join(path: string, property: string): string {
  return path === '' ? property : `${path}.${property}`;
}

/**
 * The first mismatch between `value` and `shape`, as a sentence naming its path
 * (`'threadId' must be an integer, not the string "abc"`), or undefined when it fits.
 * `path` is the name of `value` itself ('' for the arguments object).
 */
export function findMismatch(shape: Shape, value: unknown, path = ''): string | undefined {
  if (!fits(shape.kind, value)) {
    const name = path === '' ? 'the arguments' : `'${path}'`;
    return `${name} must be ${ARTICLE[shape.kind]}, not ${describeValue(value)}`;
  }
  if (shape.kind === 'array') {
    const items = value as unknown[];
    for (let index = 0; index < items.length; index++) {
      const problem = findMismatch(shape.items, items[index], `${path}[${index}]`);
      if (problem) return problem;
    }
  } else if (shape.kind === 'object') {
    const record = value as Record<string, unknown>;
    for (const property of shape.required) {
      if (record[property] === undefined) return `'${join(path, property)}' is required`;
    }
    for (const [property, propertyShape] of Object.entries(shape.properties)) {
      const propertyValue = record[property];
      if (propertyValue === undefined || (propertyValue === null && !shape.required.includes(property))) continue;
      const problem = findMismatch(propertyShape, propertyValue, join(path, property));
      if (problem) return problem;
    }
  }
  return undefined;
}
