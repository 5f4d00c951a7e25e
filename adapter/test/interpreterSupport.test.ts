/**
 * An interpreter newer than the newest one the agent is tested on: the adapter says so once
 * in the Debug Console, and not again on restart. The interpreter reports 3.16 here through a
 * sitecustomize module that rewrites sys.version (no newer CPython can be installed on the test machines).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { untestedInterpreterNotice } from '../interpreterSupport';
import { PYTHONS, launchProgram, outputOf, requestOk, startAdapter, stopAdapter, waitForOutput, writeScript } from './support';

const PROGRAM = 'import time\nprint("started", flush=True)\ntime.sleep(60)\n';

describe('untested interpreter versions', () => {
  it('names a version newer than the newest tested, and only such a version', () => {
    expect(untestedInterpreterNotice('3.13.0')).toBeUndefined();
    expect(untestedInterpreterNotice('3.15.2')).toBeUndefined();
    expect(untestedInterpreterNotice('3.9.18')).toBeUndefined();
    expect(untestedInterpreterNotice('3.16.0a1')).toMatch(/not been tested on Python 3\.16/);
    expect(untestedInterpreterNotice('4.0.0')).toMatch(/Python 4\.0/);
    expect(untestedInterpreterNotice(undefined)).toBeUndefined();
  });

  const { python } = PYTHONS[PYTHONS.length - 1];
  let dc: DebugClient;
  beforeEach(async () => {
    dc = await startAdapter();
  });
  afterEach(() => stopAdapter(dc));

  it('says once in the Debug Console that the interpreter is untested, not again on restart', async () => {
    const site = mkdtempSync(join(tmpdir(), 'dapper-site-'));
    // The agent's hello reports the first word of sys.version.
    writeFileSync(join(site, 'sitecustomize.py'), 'import sys\nsys.version = "3.16.0" + sys.version[sys.version.index(" "):]\n');
    const program = writeScript(PROGRAM);
    await launchProgram(dc, { program, python, env: { PYTHONPATH: site } });
    await waitForOutput(dc, 'stdout', 'started');
    expect(outputOf(dc, 'console')).toMatch(/not been tested on Python 3\.16/);
    await requestOk(dc, 'restart', {});
    await waitForOutput(dc, 'stdout', /started[\s\S]*started/);
    expect(outputOf(dc, 'console').match(/not been tested on Python/g)).toHaveLength(1);
  });

  it('says nothing on a tested interpreter', async () => {
    const program = writeScript(PROGRAM);
    await launchProgram(dc, { program, python });
    await waitForOutput(dc, 'stdout', 'started');
    expect(outputOf(dc, 'console')).not.toMatch(/not been tested/);
  });
});
