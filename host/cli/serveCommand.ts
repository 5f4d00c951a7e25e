/**
 * Runs `dapper serve`: starts the browser host, prints the address (token included) as the
 * first stdout line containing `http://` (scripts and tests read it from there), optionally opens it in
 * an app window, and stops everything on Ctrl+C.
 */
import type { BrowserServer } from '../browser/browserServer';
import { startBrowserServer } from '../browser/browserServer';
import { findChromium, openAppWindow, type AppWindow } from './browserLauncher';
import type { DebugSessionFactory } from '../bridge/bridgeService';
import { createHostContext } from '../bridge/hostContext';
import type { PackageLayout } from './packageRoot';
import { isLoopbackHost } from '../browser/accessGuard';

const BROWSER_START_GRACE_MS = 5000;

function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly script: string | null;
  readonly folder?: string | null;
  /** Open the UI in an installed Chromium/Chrome app window. */
  readonly open: boolean;
  readonly layout: PackageLayout;
  readonly createDebugSession: DebugSessionFactory;
}

export interface RunningServe {
  readonly server: BrowserServer;
  readonly window: AppWindow | null;
  /** Resolves when the user stopped it (Ctrl+C) or closed the app window. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

export async function runServe(options: ServeOptions): Promise<RunningServe> {
  const context = createHostContext({
    host: 'browser',
    layout: options.layout,
    initialScript: options.script,
    initialFolder: options.folder ?? null,
    createDebugSession: options.createDebugSession,
  });
  if (context.settings.loadWarning) console.error(`dapper: ${context.settings.loadWarning}`);
  const server = await startBrowserServer({
    host: options.host,
    port: options.port,
    staticRoot: options.layout.rendererDir,
    context,
  });
  console.log(`Dapper Desktop is at ${server.url}`);
  if (!isLoopbackHost(options.host)) {
    console.log(`dapper: listening on ${options.host}; anyone who can reach this machine and knows the token can debug here.`);
  }

  let window: AppWindow | null = null;
  if (options.open) {
    const chromium = findChromium();
    if (!hasDisplay()) {
      console.log('dapper: no display to open a window on; open the address above in a browser. Press Ctrl+C to stop.');
    } else if (chromium) {
      window = openAppWindow(chromium, server.url);
      console.log(`dapper: opened the app in ${chromium}. Press Ctrl+C to stop.`);
    } else {
      console.log('dapper: no Chromium or Chrome found; open the address above in your browser. Press Ctrl+C to stop.');
    }
  } else {
    console.log('dapper: open the address above in a browser. Press Ctrl+C to stop.');
  }

  let stopping: Promise<void> | null = null;
  let markFinished: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    markFinished = resolve;
  });
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      window?.close();
      await server.close();
      markFinished();
    })();
    return stopping;
  };
  const onSignal = (): void => {
    void stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const openedAt = Date.now();
  window?.process.once('exit', (code) => {
    // A browser that dies at once (no display, broken profile) is not the user closing the window.
    if (code !== 0 && Date.now() - openedAt < BROWSER_START_GRACE_MS) {
      console.log(`dapper: the browser window could not be opened (exit code ${code}); open the address above in a browser. Press Ctrl+C to stop.`);
      return;
    }
    if (stopping) return;
    console.log('dapper: the app window was closed; stopping.');
    void stop();
  });
  void finished.then(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  return { server, window, finished, stop };
}
