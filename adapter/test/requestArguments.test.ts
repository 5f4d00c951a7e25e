/**
 * Dapper's own requests are checked against their one definition, the schema in
 * common/protocol/dapper.schema.json: a client that leaves out or mistypes a property the
 * schema declares is told which one, and a well-formed request passes.
 */
import { describe, expect, it } from 'vitest';
import { DAPPER_REQUEST_ARGUMENTS, HOT_RELOAD_REQUEST, PREPARE_APPLY_REQUEST, SEND_INPUT_REQUEST, type ArgumentSchema } from '../../common/hotReload';
import { argumentsProblem, hotReloadArgumentsProblem } from '../requestArguments';

/** A value that fits `schema` with only its required properties. */
function sample(schema: ArgumentSchema): unknown {
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, sample(schema.properties?.[name] ?? { type: 'string' })]));
    case 'array':
      return [];
    case 'string':
      return '/a.py';
    case 'boolean':
      return true;
    default:
      return 1;
  }
}

const problemFor = (command: string, args: unknown) => (command === HOT_RELOAD_REQUEST ? hotReloadArgumentsProblem(args) : argumentsProblem(command, args));

describe("Dapper requests' arguments, from the schema", () => {
  it('dapper/sendInput names a missing or mistyped text', () => {
    expect(argumentsProblem(SEND_INPUT_REQUEST, { text: 'Ada' })).toBeUndefined();
    expect(argumentsProblem(SEND_INPUT_REQUEST, {})).toBe("Invalid arguments for 'dapper/sendInput': 'text' is required. The request was not carried out.");
    expect(argumentsProblem(SEND_INPUT_REQUEST, { text: 5 })).toContain("'text' must be a string, not the number 5");
  });

  it('dapper/hotReload names the nested property that does not fit', () => {
    expect(hotReloadArgumentsProblem({ source: { path: '/a.py' }, options: { rebindFrameLocals: false } })).toBeUndefined();
    expect(hotReloadArgumentsProblem({ source: { path: 3 } })).toContain("'source.path' must be a string, not the number 3");
    expect(hotReloadArgumentsProblem({ source: { path: '/a.py' }, options: { reExecuteModuleBody: 'yes' } })).toContain(
      "'options.reExecuteModuleBody' must be true or false",
    );
  });

  it('dapper/prepareApply names a missing or mistyped source.path or active', () => {
    expect(argumentsProblem(PREPARE_APPLY_REQUEST, { source: { path: '/a.py' }, active: false })).toBeUndefined();
    expect(argumentsProblem(PREPARE_APPLY_REQUEST, { source: { path: '/a.py' } })).toContain("'active' is required");
    expect(argumentsProblem(PREPARE_APPLY_REQUEST, { source: { path: '/a.py' }, active: 1 })).toContain("'active' must be true or false");
    expect(argumentsProblem(PREPARE_APPLY_REQUEST, { source: {}, active: true })).toContain("'source.path' is required");
  });

  it('every property the schema requires is required, at every depth', () => {
    for (const [command, schema] of Object.entries(DAPPER_REQUEST_ARGUMENTS)) {
      const complete = sample(schema) as Record<string, unknown>;
      expect(problemFor(command, complete), `${command} with its required properties`).toBeUndefined();
      for (const property of schema.required ?? []) {
        const { [property]: _left, ...without } = complete;
        expect(problemFor(command, without), `${command} without ${property}`).toContain(`'${property}' is required`);
        const nested = schema.properties?.[property];
        for (const inner of nested?.required ?? []) {
          expect(problemFor(command, { ...complete, [property]: {} }), `${command} without ${property}.${inner}`).toContain(`'${property}.${inner}' is required`);
        }
      }
    }
  });
});
