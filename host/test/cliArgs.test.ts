import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderFromAppArgv, parseCliArgs } from '../cli/cliArgs';
import { userConfigDir } from '../settings/configDir';
import { tempDir } from './helpers';

describe('dapper command line', () => {
  const dir = tempDir();
  const script = path.join(dir, 'job.py');
  fs.writeFileSync(script, 'print(1)\n');

  it('opens the app with or without a script', () => {
    expect(parseCliArgs([], dir)).toEqual({ kind: 'app', script: null, folder: null });
    expect(parseCliArgs(['job.py'], dir)).toEqual({ kind: 'app', script, folder: null });
    expect(parseCliArgs(['.'], dir)).toEqual({ kind: 'app', script: null, folder: dir });
    expect(parseCliArgs(['serve', dir], dir)).toMatchObject({ kind: 'serve', script: null, folder: dir });
  });

  it('parses serve with host, port and a script, defaulting to loopback', () => {
    expect(parseCliArgs(['serve'], dir)).toEqual({ kind: 'serve', host: '127.0.0.1', port: 0, script: null, folder: null, open: false });
    expect(parseCliArgs(['serve', '--host', '0.0.0.0', '--port=8123', '--open', 'job.py'], dir)).toEqual({
      kind: 'serve', host: '0.0.0.0', port: 8123, script, folder: null, open: true,
    });
  });

  it('explains bad input', () => {
    expect(() => parseCliArgs(['serve', '--port', 'http'], dir)).toThrow('--port needs a number from 0 to 65535');
    expect(() => parseCliArgs(['serve', '--port', '70000'], dir)).toThrow('--port needs a number');
    expect(() => parseCliArgs(['missing.py'], dir)).toThrow(/Cannot open .*missing\.py: no such file or folder/);
    expect(() => parseCliArgs(['--frobnicate'], dir)).toThrow('Unknown option --frobnicate.');
    expect(() => parseCliArgs(['job.py', 'job.py'], dir)).toThrow('one script or folder at a time');
  });
});

describe('the Electron app\'s own command line', () => {
  it('takes a folder after --folder (its argv also holds the app folder)', () => {
    const dir = tempDir();
    expect(folderFromAppArgv(['/usr/bin/electron', '.', '--folder', dir], '/')).toBe(dir);
    // A bare folder counts unless it is the app's own (Electron's argv in development).
    expect(folderFromAppArgv(['/opt/dapper/dapper-desktop', dir], '/')).toBe(dir);
    expect(folderFromAppArgv(['/usr/bin/electron', '.'], dir, dir)).toBeNull();
    expect(folderFromAppArgv(['/usr/bin/electron', '.', path.join(dir, 'missing')], dir, dir)).toBeNull();
    expect(folderFromAppArgv(['/usr/bin/electron', '.', '--folder', path.join(dir, 'missing')], '/')).toBeNull();
  });
});

describe('config folder', () => {
  it('follows DAPPER_CONFIG_DIR, then the platform convention', () => {
    expect(userConfigDir({ DAPPER_CONFIG_DIR: '/tmp/cfg' }, 'linux', '/home/u')).toBe('/tmp/cfg');
    expect(userConfigDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/dapper-desktop');
    expect(userConfigDir({}, 'linux', '/home/u')).toBe('/home/u/.config/dapper-desktop');
    expect(userConfigDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/dapper-desktop');
    expect(userConfigDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\dapper-desktop');
  });
});

describe('dapper listen', () => {
  it('passes everything after the address to python -m dapper_agent', () => {
    expect(parseCliArgs(['listen', '5678', 'app.py', '--verbose'])).toEqual({
      kind: 'listen', python: null, agentArgs: ['--listen', '5678', 'app.py', '--verbose'],
    });
    expect(parseCliArgs(['listen', '--python', '/opt/py/bin/python', '0.0.0.0:5678', '--token', 't', '-m', 'pkg', '-h'])).toEqual({
      kind: 'listen', python: '/opt/py/bin/python', agentArgs: ['--listen', '0.0.0.0:5678', '--token', 't', '-m', 'pkg', '-h'],
    });
    expect(parseCliArgs(['listen', '--listen=5678', 'app.py'])).toMatchObject({ agentArgs: ['--listen=5678', 'app.py'] });
  });

  it('asks for the address first', () => {
    expect(() => parseCliArgs(['listen'])).toThrow('dapper listen needs [HOST:]PORT first');
    expect(() => parseCliArgs(['listen', '--token', 't', '5678', 'app.py'])).toThrow('dapper listen needs [HOST:]PORT first');
  });
});
