/**
 * Where Dapper keeps settings and recent files: the platform's per-user config folder,
 * or `DAPPER_CONFIG_DIR` when set (tests point it at a temporary folder).
 */
import * as os from 'node:os';
import * as path from 'node:path';

const APP_FOLDER = 'dapper-desktop';

export function userConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.DAPPER_CONFIG_DIR) return path.resolve(env.DAPPER_CONFIG_DIR);
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_FOLDER);
}
