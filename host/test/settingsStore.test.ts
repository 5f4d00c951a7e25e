import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../common/bridge';
import { MAX_RECENT_FILES, SettingsStore } from '../settings/settingsStore';
import { tempDir } from './helpers';

describe('settings and recent files', () => {
  it('persists changes as JSON and reads them back in a new process', () => {
    const dir = tempDir();
    const store = new SettingsStore(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    store.update({ applyOnSave: false, python: '/usr/bin/python3' });
    store.addRecentFile('/a.py');
    store.addRecentFile('/b.py');
    store.addRecentFile('/a.py');
    const reloaded = new SettingsStore(dir).get();
    expect(reloaded).toMatchObject({ applyOnSave: false, python: '/usr/bin/python3', recentFiles: ['/a.py', '/b.py'] });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).applyOnSave).toBe(false);
  });

  it('keeps at most the last ten recent files', () => {
    const store = new SettingsStore(tempDir());
    for (let i = 0; i < 15; i += 1) store.addRecentFile(`/f${i}.py`);
    expect(store.get().recentFiles).toHaveLength(MAX_RECENT_FILES);
    expect(store.get().recentFiles[0]).toBe('/f14.py');
  });

  it('keeps an unreadable settings file aside and says so, instead of losing it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), '{ "applyOnSave": fal');
    const store = new SettingsStore(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.loadWarning).toMatch(/could not be read .* kept as .*settings\.json\.unreadable-/);
    const aside = fs.readdirSync(dir).find((name) => name.startsWith('settings.json.unreadable-'));
    expect(fs.readFileSync(path.join(dir, aside ?? 'missing'), 'utf8')).toBe('{ "applyOnSave": fal');
  });

  it('keeps prepareApplyWhileEditing; a settings file from before it has it on', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ applyOnSave: false }));
    const store = new SettingsStore(dir);
    expect(store.get().prepareApplyWhileEditing).toBe(true);
    store.update({ prepareApplyWhileEditing: false });
    expect(new SettingsStore(dir).get()).toMatchObject({ applyOnSave: false, prepareApplyWhileEditing: false });
    expect(() => store.update({ prepareApplyWhileEditing: 'no' })).toThrow('Setting "prepareApplyWhileEditing" must be true or false.');
  });

  it('ignores one bad entry but keeps the good ones', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ applyOnSave: false, stopOnEntry: 'sometimes' }));
    expect(new SettingsStore(dir).get()).toMatchObject({ applyOnSave: false, stopOnEntry: DEFAULT_SETTINGS.stopOnEntry });
  });
});
