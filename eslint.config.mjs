// ESLint for every TypeScript and JavaScript file (`npm run lint`, run by `npm test`).
// Besides typescript-eslint's recommended rules it keeps the environments apart: the renderer
// runs in a browser page and may import only common/ and itself; common/ is shared by every
// environment and imports nothing of theirs; the adapter knows nothing of its hosts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const node = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'url', 'util', 'stream', 'events'];

/**
 * A no-restricted-imports rule that forbids imports of these folders (at any depth of ../),
 * of the `electron` package (`electronWhy`), and of `extra` patterns.
 */
function forbidFolders(folders, why, electronWhy, extra = []) {
  return [
    'error',
    {
      paths: [{ name: 'electron', message: electronWhy }],
      patterns: [
        ...folders.map((folder) => ({ group: [`../**/${folder}`, `../**/${folder}/**`], message: `${why} (it may not import ${folder}/).` })),
        ...extra,
      ],
    },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vite/', 'test-results/', 'playwright-report/', 'e2e/artifacts/', 'common/protocol/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The session's request context is an object of getters over the session itself.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['session'] }],
    },
  },
  {
    // The command-line entry points are CommonJS scripts run by Node as they are.
    files: ['bin/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Benchmarks and tools that run functions inside the page (Playwright's evaluate).
    files: ['bench/*.mjs', 'e2e/tools/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // Tests reach into untyped messages and fakes; `any` is allowed there, not in the product.
    files: ['**/test/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Playwright fixtures that use no other fixture take `{}` as their first parameter.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': forbidFolders(['host', 'adapter', 'electron', 'python-agent'], 'The renderer runs in a browser page', 'The renderer runs in a browser page; it reaches the host through window.dapper (common/bridge.ts).', [
        { group: node, message: 'The renderer runs in a browser page: Node modules are not available.' },
        { regex: '^monaco-editor$', message: "Import Monaco from ./monacoApi (renderer/src/editor/monacoApi.ts): the package's main entry bundles every language." },
      ]),
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': forbidFolders(['host', 'adapter', 'electron', 'renderer'], 'common/ is shared by every environment', 'common/ is shared by every environment.', [
        { group: node, message: 'common/ is shared by every environment, the browser page too: no Node modules.' },
      ]),
    },
  },
  {
    files: ['adapter/**/*.ts'],
    ignores: ['adapter/test/**'],
    rules: {
      'no-restricted-imports': forbidFolders(['host', 'electron', 'renderer'], 'The adapter runs standalone and in every host', 'The adapter runs standalone too, without Electron.'),
    },
  },
  {
    files: ['host/**/*.ts'],
    ignores: ['host/test/**'],
    rules: {
      'no-restricted-imports': forbidFolders(['renderer', 'electron'], 'host/ serves both the browser host and Electron', 'host/ runs in plain Node too (dapper serve); only electron/ imports electron.'),
    },
  },
);
