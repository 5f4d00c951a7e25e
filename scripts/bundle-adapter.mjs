// Bundles the compiled adapter (dist/adapter/, from `tsc`) and its dependencies into one file,
// dist/adapter-bundle/dapper-adapter.cjs, which bin/dapper-adapter.js loads: one file parses
// and loads markedly faster than ~40 modules resolved one by one, and every F5 in a DAP client
// pays the adapter's start-up (docs/benchmarks.md, "Start-up").
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const input = join(root, 'dist', 'adapter', 'index.js');
if (!existsSync(input)) {
  console.error(`bundle-adapter: ${input} is missing; run tsc -p tsconfig.node.json first.`);
  process.exit(1);
}
await build({
  input,
  platform: 'node',
  logLevel: 'warn',
  output: { file: join(root, 'dist', 'adapter-bundle', 'dapper-adapter.cjs'), format: 'cjs', sourcemap: false },
});
