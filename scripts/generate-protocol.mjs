// Generates the TypeScript types of Dapper's protocols and the tables of docs/protocol.md from
// the one definition in common/protocol/*.schema.json.
//   node scripts/generate-protocol.mjs           writes the generated files
//   node scripts/generate-protocol.mjs --check   fails (exit 1) when a generated file is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const protocolDir = join(root, 'common', 'protocol');
const readSchema = (name) => JSON.parse(readFileSync(join(protocolDir, name), 'utf8'));
const dapper = readSchema('dapper.schema.json');
const agent = readSchema('agent.schema.json');

const header = (schemaFile) =>
  `// Generated from common/protocol/${schemaFile} by scripts/generate-protocol.mjs; do not edit.\n` +
  `// Change the schema and run \`npm run generate\`; \`npm test\` fails when this file is stale.\n`;

/** The TypeScript declarations of a schema's definitions, without JSTT's per-type boilerplate. */
async function typesOf(schema) {
  const wrapper = { $id: schema.$id, title: 'Definitions', type: 'object', additionalProperties: false, definitions: schema.definitions };
  const text = await compile(wrapper, 'Definitions', {
    bannerComment: '',
    unreachableDefinitions: true,
    additionalProperties: false,
    declareExternallyReferenced: false,
    cwd: protocolDir,
    style: { singleQuote: true, printWidth: 120 },
  });
  const kept = [];
  const lines = text.replace(/^export interface Definitions \{\}\n/m, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes("This interface was referenced by `Definitions`'s JSON-Schema")) {
      i++; // and its "via the `definition` …" line
      if (kept.length && /^\s*\*$/.test(kept[kept.length - 1])) kept.pop();
      continue;
    }
    kept.push(lines[i]);
  }
  return kept.join('\n').replace(/^( *)\/\*\*\n\1 \*\/\n/gm, '');
}

const quote = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * A request's arguments schema with its references resolved and its descriptions left out,
 * in the subset of JSON Schema that ArgumentSchema describes; anything else (enum, anyOf, …)
 * stops the generator, so the adapter never checks less than the schema says.
 */
function argumentSchema(schema, node, where) {
  if (node.$ref) return argumentSchema(schema, schema.definitions[node.$ref.replace('#/definitions/', '')], where);
  const known = new Set(['type', 'properties', 'required', 'items', 'description', 'additionalProperties']);
  const unknown = Object.keys(node).filter((key) => !known.has(key));
  if (unknown.length || !['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(node.type)) {
    throw new Error(`${where}: the adapter's argument check knows only type, properties, required and items, not ${unknown.join(', ') || `type ${node.type}`}`);
  }
  const out = { type: node.type };
  if (node.properties) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([name, property]) => [name, argumentSchema(schema, property, `${where}.${name}`)]));
  }
  if (node.required) out.required = node.required;
  if (node.items) out.items = argumentSchema(schema, node.items, `${where}[]`);
  return out;
}

async function dapperModule() {
  const lines = [header('dapper.schema.json'), await typesOf(dapper)];
  for (const [name, request] of Object.entries(dapper.requests)) {
    lines.push(`/** ${request.description} */\nexport const ${request.constant} = ${quote(name)};`);
  }
  for (const [name, event] of Object.entries(dapper.events)) {
    lines.push(`/** ${event.description} */\nexport const ${event.constant} = ${quote(name)};`);
  }
  const refName = (schema) => schema.$ref.replace('#/definitions/', '');
  lines.push(
    '/** Every Dapper request: its arguments and its response body. */\nexport interface DapperRequests {\n' +
      Object.entries(dapper.requests)
        .map(([name, r]) => `  ${quote(name)}: { arguments: ${refName(r.arguments)}; response: ${refName(r.response)} };`)
        .join('\n') +
      '\n}',
  );
  lines.push(
    '/** Every Dapper event and its body. */\nexport interface DapperEvents {\n' +
      Object.entries(dapper.events)
        .map(([name, e]) => `  ${quote(name)}: ${refName(e.body)};`)
        .join('\n') +
      '\n}',
  );
  lines.push(
    '/** The part of JSON Schema that request arguments use (the adapter checks requests against it). */\n' +
      'export interface ArgumentSchema {\n' +
      "  readonly type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';\n" +
      '  readonly properties?: { readonly [name: string]: ArgumentSchema };\n' +
      '  readonly required?: readonly string[];\n' +
      '  readonly items?: ArgumentSchema;\n' +
      '}',
  );
  const argumentSchemas = Object.entries(dapper.requests)
    .map(([name, r]) => `  ${quote(name)}: ${JSON.stringify(argumentSchema(dapper, r.arguments, name))},`)
    .join('\n');
  lines.push(
    "/** Every Dapper request's arguments as their schema declares them, references resolved. */\n" +
      `export const DAPPER_REQUEST_ARGUMENTS: { readonly [K in keyof DapperRequests]: ArgumentSchema } = {\n${argumentSchemas}\n};`,
  );
  const codes = dapper.definitions.DiagnosticCode.anyOf.map((entry) => entry.const);
  lines.push(`/** Every diagnostic code, in the order of docs/protocol.md. */\nexport const DIAGNOSTIC_CODES: readonly DiagnosticCode[] = [\n${codes.map((code) => `  ${quote(code)},`).join('\n')}\n];`);
  return lines.join('\n') + '\n';
}

async function agentModule() {
  const types = await typesOf(agent);
  const refName = (schema) => schema.$ref.split('/').pop();
  const external = new Set();
  JSON.stringify(agent, (key, value) => {
    if (key === '$ref' && value.startsWith('dapper.schema.json#/definitions/')) external.add(value.split('/').pop());
    return value;
  });
  const requests = Object.entries(agent.requests).map(([name, request]) =>
    request.dap
      ? `  ${name}: DapStandardRequests['${name}'];`
      : `  /** ${request.description} */\n  ${name}: { arguments: ${refName(request.arguments)}; response: ${refName(request.response)} };`,
  );
  const requestMap = `/** Every command the agent handles: its arguments and its response body. */\nexport interface AgentRequests {\n${requests.join('\n')}\n}\n`;
  const used = [...external].filter((name) => new RegExp(`\\b${name}\\b`).test(types + requestMap)).sort();
  const imports =
    `import type { DapStandardRequests } from '../../dapRequests';\n` +
    (used.length ? `import type { ${used.join(', ')} } from './dapper';\n` : '') +
    '\n';
  return (
    header('agent.schema.json') +
    imports +
    types +
    '\n' +
    requestMap +
    `\n/** The agent protocol version this adapter speaks; the agent's hello must carry the same. */\n` +
    `export const AGENT_PROTOCOL_VERSION = ${agent.protocolVersion};\n`
  );
}

const escapeCell = (text) => text.replace(/\|/g, '\\|');

function diagnosticTable() {
  const rows = dapper.definitions.DiagnosticCode.anyOf.map(
    (entry) => `| \`${entry.const}\` | ${entry.severity} | ${escapeCell(entry.when)} | ${escapeCell(entry.action)} |`,
  );
  return ['| code | severity | when | what to do |', '|---|---|---|---|', ...rows].join('\n');
}

function responseBodyTable() {
  const properties = dapper.definitions.HotReloadResponseBody.properties;
  const rows = Object.entries(properties).map(([name, property]) => `| \`${name}\` | ${escapeCell(property.description)} |`);
  return ['| field | meaning |', '|---|---|', ...rows].join('\n');
}

/** Replaces the text between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->`. */
function fillSection(text, name, content, file) {
  const start = `<!-- generated: ${name} (from common/protocol/dapper.schema.json by scripts/generate-protocol.mjs) -->`;
  const end = `<!-- end generated: ${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1 || to < from) throw new Error(`${file} has no section "${name}" between ${start} and ${end}`);
  return text.slice(0, from + start.length) + '\n' + content + '\n' + text.slice(to);
}

function protocolDoc(current) {
  const file = 'docs/protocol.md';
  let text = fillSection(current, 'hotReload response body', responseBodyTable(), file);
  text = fillSection(text, 'diagnostic codes', diagnosticTable(), file);
  return text;
}

const outputs = [
  { path: join(protocolDir, 'generated', 'dapper.ts'), make: dapperModule },
  { path: join(protocolDir, 'generated', 'agent.ts'), make: agentModule },
  { path: join(root, 'docs', 'protocol.md'), make: async () => protocolDoc(readFileSync(join(root, 'docs', 'protocol.md'), 'utf8')) },
];

const check = process.argv.includes('--check');
const stale = [];
for (const output of outputs) {
  const wanted = await output.make();
  let current;
  try {
    current = readFileSync(output.path, 'utf8');
  } catch {
    current = '';
  }
  if (current === wanted) continue;
  if (check) stale.push(relative(root, output.path));
  else writeFileSync(output.path, wanted);
}
if (stale.length) {
  console.error(`generate-protocol: out of date with common/protocol/*.schema.json: ${stale.join(', ')}. Run \`npm run generate\` and commit.`);
  process.exit(1);
}
console.log(check ? 'generate-protocol: generated files are up to date' : 'generate-protocol: written');
