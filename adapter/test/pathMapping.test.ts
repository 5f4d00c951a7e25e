/** Path mappings (attach): client folders ↔ the program's folders, both ways, and what goes to the agent. */
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathMapper, PathTranslator } from '../pathMapping';

describe('path mappings', () => {
  const mapper = new PathMapper([
    { localRoot: '/home/me/app', remoteRoot: '/srv/app/' },
    { localRoot: '/home/me/app/vendor', remoteRoot: '/opt/vendor' },
    { localRoot: '/home/me/win', remoteRoot: 'C:\\Users\\svc\\app' },
  ]);

  it('maps both ways, the most specific folder first, and leaves other paths alone', () => {
    expect(mapper.toRemote('/home/me/app/pkg/mod.py')).toBe('/srv/app/pkg/mod.py');
    expect(mapper.toRemote('/home/me/app/vendor/lib.py')).toBe('/opt/vendor/lib.py');
    expect(mapper.toRemote('/home/me/application/x.py')).toBe('/home/me/application/x.py');
    expect(mapper.toLocal('/srv/app/pkg/mod.py')).toBe('/home/me/app/pkg/mod.py');
    expect(mapper.toLocal('/opt/vendor/lib.py')).toBe('/home/me/app/vendor/lib.py');
    expect(mapper.toLocal('/usr/lib/python3.11/os.py')).toBe('/usr/lib/python3.11/os.py');
  });

  it("uses the program's separator for a Windows program", () => {
    expect(mapper.toRemote('/home/me/win/pkg/mod.py')).toBe('C:\\Users\\svc\\app\\pkg\\mod.py');
    expect(mapper.toLocal('C:\\Users\\svc\\app\\pkg\\mod.py')).toBe('/home/me/win/pkg/mod.py');
  });

  it("sends the client's text with Apply Changes for a mapped file, and maps every path coming back", () => {
    const local = realpathSync(mkdtempSync(join(tmpdir(), 'dapper-map-')));
    writeFileSync(join(local, 'service.py'), 'x = 2\n');
    const translator = new PathTranslator(new PathMapper([{ localRoot: local, remoteRoot: '/srv/app' }]));
    expect(translator.toAgent('hotReload', { path: join(local, 'service.py'), options: {} })).toEqual({
      path: '/srv/app/service.py',
      options: {},
      text: 'x = 2\n',
    });
    expect(translator.toAgent('setBreakpoints', { source: { path: join(local, 'service.py') }, breakpoints: [{ line: 1 }] })).toEqual({
      source: { path: '/srv/app/service.py' },
      breakpoints: [{ line: 1 }],
    });
    const response = translator.fromAgent({
      type: 'response',
      request_seq: 1,
      command: 'stackTrace',
      success: true,
      body: {
        stackFrames: [
          { id: 1, name: 'work', line: 1, column: 1, source: { name: 'service.py', path: '/srv/app/service.py' } },
          { id: 2, name: '<module>', line: 9, column: 1, source: { name: 'main.py', path: '/srv/app/main.py' } },
        ],
      },
    });
    const frames = (response.body as { stackFrames: { source: { path: string; sourceReference?: number } }[] }).stackFrames;
    expect(frames[0].source).toEqual({ name: 'service.py', path: join(local, 'service.py') });
    expect(frames[1].source.path).toBe(join(local, 'main.py'));
    const reference = frames[1].source.sourceReference!;
    expect(reference).toBeGreaterThan(0);
    expect(translator.toAgent('source', { sourceReference: reference, source: frames[1].source })).toEqual({ source: { path: '/srv/app/main.py' } });
  });
});
