#!/usr/bin/env node
// `dapper [script.py]` and `dapper serve [--host H] [--port N] [script.py]`; see host/cli/cliArgs.ts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.join(__dirname, '..');

async function run() {
  // Output of the build goes to stderr so that `dapper serve`'s first http:// line on stdout stays the address.
  const { buildIfNeeded } = await import(pathToFileURL(path.join(root, 'host', 'cli', 'buildFreshness.mjs')).href).catch(() => ({
    buildIfNeeded: () => true, // An installed package ships dist/ without host sources.
  }));
  const cli = path.join(root, 'dist', 'host', 'cli', 'cli.js');
  const onlyAsking = process.argv.some((arg) => ['--help', '-h', '--version'].includes(arg));
  // scripts/test-e2e.mjs builds once and sets DAPPER_SKIP_BUILD so each test's server starts at once.
  const skipBuild = process.env.DAPPER_SKIP_BUILD === '1' || (onlyAsking && fs.existsSync(cli));
  if (!skipBuild && !buildIfNeeded(root)) return 1;
  const { main } = require(cli);
  return main(process.argv.slice(2));
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`dapper: ${error && error.message ? error.message : error}`);
    process.exitCode = 1;
  },
);
