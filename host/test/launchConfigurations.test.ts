import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLaunchConfigurations, resolveLaunchConfiguration } from '../workspace/launchConfigurations';
import { tempDir } from './helpers';

function folderWith(launchJson: string): string {
  const folder = tempDir();
  fs.mkdirSync(path.join(folder, '.vscode'));
  fs.writeFileSync(path.join(folder, '.vscode', 'launch.json'), launchJson);
  return folder;
}

const LAUNCH_JSON = `{
  // Written for VS Code's Python debugger.
  "version": "0.2.0",
  "configurations": [
    {
      "name": "Run app",
      "type": "debugpy",
      "request": "launch",
      "module": "app.main",
      "args": ["--name", "\${workspaceFolderBasename}", "\${env:DAPPER_TEST_GREETING}"],
      "env": { "APP_MODE": "test", "DATA": "\${workspaceFolder}\${pathSeparator}data" },
      "envFile": "\${workspaceFolder}/.env",
    },
    /* block comment */
    {
      "name": "Current script",
      "type": "python",
      "request": "launch",
      "program": "\${file}",
      "cwd": "\${fileDirname}",
      "args": "--verbose \${relativeFile} \${fileBasename}",
    },
    { "name": "Scripted", "type": "dapper", "request": "launch", "program": "tools/run.py", "cwd": "src" },
    { "name": "Attach", "type": "debugpy", "request": "attach", "connect": { "host": "127.0.0.1", "port": 5678 } },
    {
      "name": "Remote",
      "type": "debugpy",
      "request": "attach",
      "connect": { "host": "build-box", "port": 5678 },
      "token": "\${env:DAPPER_TEST_GREETING}",
      "pathMappings": [{ "localRoot": "src", "remoteRoot": "/srv/app" }, { "localRoot": "\${workspaceFolder}/lib", "remoteRoot": "/srv/lib" }],
    },
    { "name": "Node thing", "type": "node", "request": "launch", "program": "x.js" },
    { "name": "Bad args", "type": "debugpy", "request": "launch", "program": "a.py", "args": [1, 2] },
    { "name": "Typo", "type": "debugpy", "request": "launch", "program": "\${workspaceFolderr}/a.py" },
  ],
}`;

describe('launch.json', () => {
  it('lists the configurations of supported types, with comments and trailing commas, and names each problem', () => {
    const folder = folderWith(LAUNCH_JSON);
    const list = listLaunchConfigurations(folder);
    expect(list.exists).toBe(true);
    expect(list.file).toBe(path.join(folder, '.vscode', 'launch.json'));
    expect(list.configurations.map((config) => config.name)).toEqual(['Run app', 'Current script', 'Scripted', 'Attach', 'Remote', 'Typo']);
    expect(list.errors).toHaveLength(2);
    expect(list.errors[0]).toMatch(/configuration "Node thing" has "type": "node", which Dapper does not debug/);
    expect(list.errors[1]).toMatch(/configuration "Bad args": "args" must be a string or a list of strings, got \[1,2\]/);
  });

  it("substitutes VS Code's variables and makes paths absolute", () => {
    const folder = folderWith(LAUNCH_JSON);
    const env = { DAPPER_TEST_GREETING: 'hello' };
    const run = resolveLaunchConfiguration(folder, 'Run app', { activeFile: null }, env);
    expect(run).toEqual({
      request: 'launch',
      name: 'Run app',
      arguments: {
        module: 'app.main',
        args: ['--name', path.basename(folder), 'hello'],
        env: { APP_MODE: 'test', DATA: `${folder}${path.sep}data` },
        envFile: path.join(folder, '.env'),
        cwd: folder,
      },
    });

    const file = path.join(folder, 'tools', 'job.py');
    const current = resolveLaunchConfiguration(folder, 'Current script', { activeFile: file }, env);
    expect(current.arguments).toEqual({
      program: file,
      cwd: path.join(folder, 'tools'),
      args: `--verbose ${path.join('tools', 'job.py')} job.py`,
    });

    const scripted = resolveLaunchConfiguration(folder, 'Scripted', { activeFile: null }, env);
    expect(scripted.arguments).toEqual({ program: path.join(folder, 'src', 'tools', 'run.py'), cwd: path.join(folder, 'src') });
    expect(resolveLaunchConfiguration(folder, 'Attach', { activeFile: null }, env)).toMatchObject({
      request: 'attach',
      arguments: { connect: { host: '127.0.0.1', port: 5678 } },
    });
    // Local roots are the workspace folder's when relative, as in VS Code.
    expect(resolveLaunchConfiguration(folder, 'Remote', { activeFile: null }, env).arguments).toEqual({
      connect: { host: 'build-box', port: 5678 },
      token: 'hello',
      pathMappings: [
        { localRoot: path.join(folder, 'src'), remoteRoot: '/srv/app' },
        { localRoot: path.join(folder, 'lib'), remoteRoot: '/srv/lib' },
      ],
    });
  });

  it('names the unknown variable, the field and the configuration', () => {
    const folder = folderWith(LAUNCH_JSON);
    expect(() => resolveLaunchConfiguration(folder, 'Typo', { activeFile: null }, {})).toThrow(
      /Unknown variable \$\{workspaceFolderr\} in "program" of configuration "Typo"/,
    );
    expect(() => resolveLaunchConfiguration(folder, 'Current script', { activeFile: null }, {})).toThrow(
      /\$\{file\} in "program" of configuration "Current script" needs a file open in the editor/,
    );
    expect(() => resolveLaunchConfiguration(folder, 'Bad args', { activeFile: null }, {})).toThrow(/"args" must be a string or a list/);
    expect(() => resolveLaunchConfiguration(folder, 'Missing', { activeFile: null }, {})).toThrow(/no configuration named "Missing"/);
  });

  it('reports malformed JSON with its line, and a missing file as no configurations', () => {
    const folder = folderWith('{\n  "configurations": [\n    { "name": "A" "type": "debugpy" }\n  ]\n}\n');
    const list = listLaunchConfigurations(folder);
    expect(list.errors[0]).toMatch(/launch\.json line 3: CommaExpected/);
    const empty = listLaunchConfigurations(tempDir());
    expect(empty).toMatchObject({ exists: false, configurations: [], errors: [] });
  });

  it('asks for ${command:pickProcess} before substituting, then puts the chosen process id in its place', () => {
    const folder = folderWith(`{ "configurations": [
      { "name": "Pick", "type": "debugpy", "request": "attach", "processId": "\${command:pickProcess}", "pathMappings": [{ "localRoot": "src", "remoteRoot": "\${file}" }] },
      { "name": "Pick (python.)", "type": "python", "request": "attach", "processId": "\${command:python.pickProcess}" },
      { "name": "Other command", "type": "debugpy", "request": "attach", "processId": "\${command:pickProcess}", "token": "\${command:askToken}" },
    ] }`);
    // Nothing is substituted (not even the \${file} that has no file) until the user has chosen.
    expect(resolveLaunchConfiguration(folder, 'Pick', { activeFile: null }, {})).toEqual({
      request: 'attach', name: 'Pick', arguments: {}, commandsNeeded: ['pickProcess'],
    });
    const file = path.join(folder, 'src', 'app.py');
    expect(resolveLaunchConfiguration(folder, 'Pick', { activeFile: file, commands: { pickProcess: '4242' } }, {})).toEqual({
      request: 'attach',
      name: 'Pick',
      arguments: { processId: '4242', pathMappings: [{ localRoot: path.join(folder, 'src'), remoteRoot: file }] },
    });
    expect(resolveLaunchConfiguration(folder, 'Pick (python.)', { activeFile: null, commands: { pickProcess: '7' } }, {}).arguments).toEqual({
      processId: '7',
    });
    expect(() => resolveLaunchConfiguration(folder, 'Other command', { activeFile: null }, {})).toThrow(
      /\$\{command:askToken\} in "token" of configuration "Other command": Dapper does not know this command/,
    );
  });

  it('needs a program or a module in a launch configuration', () => {
    const folder = folderWith('{ "configurations": [ { "name": "Nothing", "type": "debugpy", "request": "launch" } ] }');
    expect(listLaunchConfigurations(folder).errors[0]).toMatch(/configuration "Nothing" needs "program" \(a script\) or "module"/);
  });
});
