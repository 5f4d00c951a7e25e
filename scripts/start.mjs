// `npm start [-- script.py]`: builds if dist/ is missing or stale, then opens the app
// (Electron when its binary is installed, otherwise Chromium/Chrome; see host/cli/desktopLauncher.ts).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, [join(root, 'bin', 'dapper.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  // npm runs scripts in the package folder; a relative script path is relative to where the user typed it.
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
// Ctrl+C reaches the child through the terminal's process group; wait for it to clean up.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
