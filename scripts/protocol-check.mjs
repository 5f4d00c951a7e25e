// Checks messages against Dapper's protocol schemas (common/protocol/*.schema.json) with ajv.
//   import { protocolValidator } from './protocol-check.mjs'  →  check('AgentMessage', value)
//   node scripts/protocol-check.mjs   serves checks over stdin/stdout, one JSON line each:
//     in  {"definition": "AgentMessage", "value": {…}}   (a definition of either schema)
//     out {"ok": true} or {"ok": false, "errors": "…"}
// The Python agent's tests use the second form to check everything the agent sends.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const protocolDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'common', 'protocol');
const SCHEMAS = ['dapper.schema.json', 'agent.schema.json'];
// Keywords of the declarations that are not JSON Schema (read by scripts/generate-protocol.mjs).
const DECLARATION_KEYWORDS = ['requests', 'events', 'constant', 'dap', 'protocolVersion', 'severity', 'when', 'action', 'sentBy', 'tsType'];

/** check(definition, value) → null when valid, else the errors as one line of text. */
export function protocolValidator() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, discriminator: true });
  ajv.addVocabulary(DECLARATION_KEYWORDS);
  const schemas = SCHEMAS.map((name) => JSON.parse(readFileSync(join(protocolDir, name), 'utf8')));
  for (const schema of schemas) ajv.addSchema(schema);
  const compiled = new Map();
  const find = (definition) => {
    if (!compiled.has(definition)) {
      const owner = schemas.find((schema) => schema.definitions[definition]);
      if (!owner) throw new Error(`no definition '${definition}' in ${SCHEMAS.join(' or ')}`);
      compiled.set(definition, ajv.getSchema(`${owner.$id}#/definitions/${definition}`));
    }
    return compiled.get(definition);
  };
  return (definition, value) => {
    const validate = find(definition);
    if (validate(value)) return null;
    // An anyOf of constants reports every constant; say each distinct problem once.
    const problems = validate.errors.map((error) => ajv.errorsText([error], { dataVar: definition }));
    return [...new Set(problems)].join('; ');
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = protocolValidator();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let answer;
    try {
      const { definition, value } = JSON.parse(line);
      const errors = check(definition, value);
      answer = errors === null ? { ok: true } : { ok: false, errors };
    } catch (error) {
      answer = { ok: false, errors: `protocol-check could not check this line: ${error.message}` };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  });
}
