/**
 * debugpy's launch arguments as a client sends them: `module` run like `python -m`, `args`
 * as a list or one shell-split string, `cwd`-relative `program`, `envFile` under `env`,
 * `python` as a list with interpreter options, `pythonArgs`; and the error each bad field gets.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST, type HotReloadResponseBody } from '../../common/hotReload';
import {
  PYTHONS,
  continueThread,
  launchProgram,
  lineOf,
  localsOf,
  outputOf,
  request,
  requestOk,
  startAdapter,
  stopAdapter,
  waitForExit,
  waitForStop,
  writeScript,
} from './support';

/** A package `shop` with `shop/cli.py`, in a fresh folder; returns the folder and the module file. */
function writePackage(cliSource: string): { folder: string; cli: string } {
  const notes = writeScript('a package run with python -m\n', 'notes.txt');
  const pkg = join(dirname(notes), 'shop');
  mkdirSync(pkg);
  writeFileSync(join(pkg, '__init__.py'), 'PACKAGE_READY = True\n');
  const cli = join(pkg, 'cli.py');
  writeFileSync(cli, cliSource);
  return { folder: dirname(notes), cli };
}

const CLI = `import sys
from . import PACKAGE_READY

def greeting(name):
    return "hello " + name

def main():
    for arg in sys.argv[1:]:
        message = greeting(arg)  # BP
        print(message)
    print("spec", __spec__.name, "package", __package__, "name", __name__, "ready", PACKAGE_READY)
    print("path0", sys.path[0])

if __name__ == "__main__":
    main()
`;

for (const { version, python } of PYTHONS) {
  describe(`Python ${version}: launch arguments`, () => {
    let dc: DebugClient;
    beforeEach(async () => {
      dc = await startAdapter();
    });
    afterEach(() => stopAdapter(dc));

    it('runs a module like python -m, with args, stopping at a breakpoint in it', async () => {
      const { folder, cli } = writePackage(CLI);
      const stopped = waitForStop(dc);
      const exited = waitForExit(dc);
      await launchProgram(dc, { module: 'shop.cli', args: ['ann', 'bob'], cwd: folder, python }, {
        breakpoints: [{ path: cli, lines: [lineOf(CLI, '# BP')] }],
      });
      const { event, frame } = await stopped;
      expect(frame.source?.path).toBe(cli);
      expect(frame.line).toBe(lineOf(CLI, '# BP'));
      expect((await localsOf(dc, frame.id)).arg).toBe("'ann'");
      await requestOk(dc, 'setBreakpoints', { source: { path: cli }, breakpoints: [] });
      await continueThread(dc, event.body.threadId!);
      expect(await exited).toBe(0);
      const stdout = outputOf(dc, 'stdout');
      expect(stdout).toContain('hello ann\nhello bob\n');
      expect(stdout).toContain('spec shop.cli package shop name __main__ ready True');
      expect(stdout).toContain(`path0 ${folder}`);
    });

    it('applies a change to a module run with -m while stopped in it', async () => {
      const { folder, cli } = writePackage(CLI);
      const stopped = waitForStop(dc);
      const exited = waitForExit(dc);
      await launchProgram(dc, { module: 'shop.cli', args: 'ann "bob smith"', cwd: folder, python }, {
        breakpoints: [{ path: cli, lines: [lineOf(CLI, '# BP')] }],
      });
      const { event } = await stopped;
      writeFileSync(cli, CLI.replace('"hello " + name', '"goodbye " + name'));
      const applied = await request<DebugProtocol.Response & { body: HotReloadResponseBody }>(dc, HOT_RELOAD_REQUEST, {
        source: { path: cli },
      });
      expect(applied.success, applied.message).toBe(true);
      await requestOk(dc, 'setBreakpoints', { source: { path: cli }, breakpoints: [] });
      await continueThread(dc, event.body.threadId!);
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain('goodbye ann\ngoodbye bob smith\n');
    });

    it('runs a package with __main__ and reports a missing module as python -m does', async () => {
      const { folder } = writePackage(CLI);
      writeFileSync(join(folder, 'shop', '__main__.py'), 'import sys\nprint("package main", sys.argv[1:])\n');
      const exited = waitForExit(dc);
      await launchProgram(dc, { module: 'shop', args: ['x'], cwd: folder, python });
      expect(await exited).toBe(0);
      expect(outputOf(dc, 'stdout')).toContain("package main ['x']");

      const other = await startAdapter();
      try {
        const failed = waitForExit(other);
        await launchProgram(other, { module: 'shop.nothing_here', cwd: folder, python });
        expect(await failed).toBe(1);
        expect(outputOf(other, 'stderr')).toContain('No module named shop.nothing_here');
      } finally {
        await stopAdapter(other);
      }
    });

    it('reads envFile (comments, quotes, export, ${VAR}) and lets env win over it', async () => {
      const program = writeScript('import os\nfor k in ("A", "B", "C", "D", "E", "F", "G"):\n    print(k, repr(os.environ.get(k)))\n');
      const folder = dirname(program);
      writeFileSync(
        join(folder, 'settings.env'),
        '# settings for the test\nexport A=from-file\nB="two words"  # trailing comment\nC=${A}-${DAPPER_TEST_OUTER}\nD=\'kept\'\nE=file\nF=$(echo ran) \\$A\nG=${DAPPER_TEST_MISSING:-fallback}\n',
      );
      const exited = waitForExit(dc);
      await launchProgram(dc, {
        program: 'program.py',
        cwd: folder,
        envFile: 'settings.env',
        env: { E: 'from-env', DAPPER_TEST_OUTER: 'ignored-by-expansion' },
        python,
      });
      expect(await exited).toBe(0);
      const stdout = outputOf(dc, 'stdout');
      expect(stdout).toContain("A 'from-file'");
      expect(stdout).toContain("B 'two words'");
      expect(stdout).toContain("D 'kept'");
      expect(stdout).toContain("E 'from-env'");
      // ${VAR} sees the adapter's environment and the file's earlier variables, not `env`.
      expect(stdout).toContain("C 'from-file-'");
      expect(stdout).toContain("G 'fallback'");
      // Never a command substitution: reading a settings file runs nothing.
      expect(stdout).toContain("F '$(echo ran) $A'");
    });

    it('takes python as a list (path, then interpreter options) and pythonArgs', async () => {
      const program = writeScript('import sys\nprint("flags", sys.flags.optimize, sys._xoptions.get("dapper_marker"))\nprint("warnopts", sys.warnoptions)\n');
      const exited = waitForExit(dc);
      await launchProgram(dc, { program, python: [python, '-O'], pythonArgs: ['-X', 'dapper_marker=on', '-W', 'error::DeprecationWarning'] });
      expect(await exited).toBe(0);
      const stdout = outputOf(dc, 'stdout');
      expect(stdout).toContain('flags 1 on');
      expect(stdout).toContain("warnopts ['error::DeprecationWarning']");
    });
  });
}

describe('launch argument errors name the field and the value', () => {
  let dc: DebugClient;
  const python = PYTHONS[0]?.python;
  beforeEach(async () => {
    dc = await startAdapter();
    await request(dc, 'initialize', { adapterID: 'dapper', pathFormat: 'path' });
  });
  afterEach(() => stopAdapter(dc));

  async function launchError(args: Record<string, unknown>): Promise<string> {
    const response = await request(dc, 'launch', { python, ...args });
    expect(response.success).toBe(false);
    return response.message ?? '';
  }

  const program = () => writeScript('pass\n');
  const cases: [string, () => Record<string, unknown>, RegExp][] = [
    ['program and module together', () => ({ program: program(), module: 'x' }), /"program".*"module"/],
    ['a module name python -m refuses', () => ({ module: 'not a module' }), /"module".*"not a module"/],
    ['a program that is not there', () => ({ program: 'nowhere/missing.py', cwd: dirname(program()) }), /"program" "nowhere\/missing.py".*not found/],
    ['args that are not strings', () => ({ program: program(), args: ['a', 3] }), /"args".*3/],
    ['args with a pipe', () => ({ program: program(), args: 'a | b' }), /"args".*"\|".*"a \| b"/],
    ['a cwd that does not exist', () => ({ program: program(), cwd: '/no/such/folder' }), /"cwd" "\/no\/such\/folder"/],
    ['env that is not an object', () => ({ program: program(), env: ['A=1'] }), /"env".*\["A=1"\]/],
    ['an env value that is a number', () => ({ program: program(), env: { PORT: 80 } }), /"env.PORT".*80/],
    ['an envFile that is a folder', () => ({ program: program(), envFile: '/' }), /"envFile" "\/"/],
    ['python as an empty list', () => ({ program: program(), python: [] }), /"python".*\[\]/],
    ['python list with a number', () => ({ program: program(), python: ['/usr/bin/python3', 3] }), /"python".*3/],
    ['a python path that is not there', () => ({ program: program(), python: '/no/python9' }), /"python" "\/no\/python9"/],
    ['pythonArgs as a string', () => ({ program: program(), pythonArgs: '-X dev' }), /"pythonArgs".*"-X dev"/],
    ['stopOnEntry as a string', () => ({ program: program(), stopOnEntry: 'yes' }), /"stopOnEntry".*"yes"/],
    ['justMyCode as a number', () => ({ program: program(), justMyCode: 0 }), /"justMyCode".*0/],
    ['an unknown console', () => ({ program: program(), console: 'popup' }), /"console".*"popup"/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      expect(await launchError(args())).toMatch(message);
    });
  }

  it('a missing envFile is reported in the Debug Console and the program still runs', async () => {
    const script = program();
    const exited = waitForExit(dc);
    const stdout = dc.waitForEvent('terminated');
    await requestOk(dc, 'launch', { program: script, python, envFile: 'absent.env' });
    await requestOk(dc, 'configurationDone');
    expect(await exited).toBe(0);
    await stdout;
    expect(outputOf(dc, 'console')).toContain(`The envFile ${join(dirname(script), 'absent.env')} does not exist`);
  });
});
