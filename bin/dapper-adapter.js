#!/usr/bin/env node
// The Dapper debug adapter over stdio: DAP on stdin/stdout, nothing else on stdout.
// Logs go to stderr or a file only when DAPPER_LOG is set (see adapter/log.ts).
'use strict';
const { join } = require('node:path');

let adapter;
try {
  adapter = require(join(__dirname, '..', 'dist', 'adapter', 'index.js'));
} catch (error) {
  process.stderr.write(
    `dapper-adapter: the adapter is not built (${error.message}).\nRun "npm run build:node" in ${join(__dirname, '..')} and try again.\n`,
  );
  process.exit(1);
}
adapter.runStdioAdapter();
