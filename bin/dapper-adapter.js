#!/usr/bin/env node
// The Dapper debug adapter over stdio: DAP on stdin/stdout, nothing else on stdout.
// Logs go to stderr or a file only when DAPPER_LOG is set (see adapter/log.ts).
// Loads the one-file bundle (scripts/bundle-adapter.mjs) when it is at least as new as the
// compiled modules, since it starts faster; otherwise the modules themselves.
'use strict';
const { statSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const modules = join(dist, 'adapter', 'index.js');
const bundle = join(dist, 'adapter-bundle', 'dapper-adapter.cjs');

function modifiedAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

let adapter;
try {
  const bundleTime = modifiedAt(bundle);
  adapter = require(bundleTime >= 0 && bundleTime >= modifiedAt(modules) ? bundle : modules);
} catch (error) {
  process.stderr.write(
    `dapper-adapter: the adapter is not built (${error.message}).\nRun "npm run build:node" in ${join(__dirname, '..')} and try again.\n`,
  );
  process.exit(1);
}
adapter.runStdioAdapter();
