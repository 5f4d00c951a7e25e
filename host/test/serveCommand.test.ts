import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runServe } from '../cli/serveCommand';
import { RecordingSessions, tempDir } from './helpers';

describe('dapper serve command', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.DAPPER_CONFIG_DIR;
  });

  it('prints the tokened address as the first stdout line containing http://, and stops cleanly', async () => {
    const root = tempDir();
    const rendererDir = path.join(root, 'dist', 'renderer');
    fs.mkdirSync(rendererDir, { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>ok</title>');
    process.env.DAPPER_CONFIG_DIR = path.join(root, 'config');
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));

    const running = await runServe({
      host: '127.0.0.1',
      port: 0,
      script: null,
      open: false,
      layout: { root, version: '9.9.9', demoScript: path.join(root, 'demo.py'), rendererDir },
      createDebugSession: new RecordingSessions().factory,
    });
    const first = printed.find((line) => line.includes('http://'));
    expect(first).toContain(running.server.url);
    expect(running.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    const page = await fetch(running.server.url);
    expect(page.status).toBe(200);

    await running.stop();
    await running.finished;
    await expect(fetch(running.server.url)).rejects.toThrow();
  });

  const serveAndPrint = async (host: string): Promise<string[]> => {
    const root = tempDir();
    const rendererDir = path.join(root, 'dist', 'renderer');
    fs.mkdirSync(rendererDir, { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>ok</title>');
    process.env.DAPPER_CONFIG_DIR = path.join(root, 'config');
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    const running = await runServe({
      host,
      port: 0,
      script: null,
      open: false,
      layout: { root, version: '9.9.9', demoScript: path.join(root, 'demo.py'), rendererDir },
      createDebugSession: new RecordingSessions().factory,
    });
    await running.stop();
    await running.finished;
    vi.restoreAllMocks();
    return printed;
  };

  // Linux routes all of 127.0.0.0/8 to loopback; other systems configure only 127.0.0.1.
  it.skipIf(process.platform !== 'linux')('does not warn about exposure on other loopback addresses (127.0.0.2; Linux only)', async () => {
    const printed = await serveAndPrint('127.0.0.2');
    expect(printed.join('\n')).toContain('http://127.0.0.2:');
    expect(printed.join('\n')).not.toMatch(/anyone who can reach this machine/);
  });

  it('warns when listening on every address (0.0.0.0)', async () => {
    const printed = await serveAndPrint('0.0.0.0');
    expect(printed.join('\n')).toMatch(/listening on 0\.0\.0\.0; anyone who can reach this machine/);
  });
});
