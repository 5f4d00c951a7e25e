/**
 * Security decisions of the Electron shell, kept out of electron/ so they are unit-tested
 * without the Electron binary: the window's webPreferences, which URLs the window may show,
 * and which IPC senders are trusted (GitHub Desktop's rule: every handler checks its sender).
 */

/** The subset of Electron's BrowserWindowConstructorOptions that Dapper sets. */
export interface MainWindowOptions {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly show: boolean;
  readonly title: string;
  readonly backgroundColor: string;
  readonly webPreferences: {
    readonly preload: string;
    readonly contextIsolation: true;
    readonly sandbox: true;
    readonly nodeIntegration: false;
    readonly nodeIntegrationInWorker: false;
    readonly nodeIntegrationInSubFrames: false;
    readonly webSecurity: true;
    readonly allowRunningInsecureContent: false;
    readonly webviewTag: false;
    readonly navigateOnDragDrop: false;
    readonly spellcheck: false;
  };
}

export function mainWindowOptions(preloadPath: string): MainWindowOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Dapper Desktop',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A file dropped on the window must reach the renderer's drop handler, not replace the page.
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * Sent as a response header on top of renderer/index.html's meta tag (same policy): the
 * header also covers responses the meta tag cannot, such as the Vite dev server's.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "connect-src 'self' ws://localhost:*",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function withoutQueryAndHash(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** True when `url` is the app's own page (same file, or same dev-server origin). */
export function isAppUrl(url: string, appUrl: string): boolean {
  let candidate: URL;
  let app: URL;
  try {
    candidate = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return candidate.protocol === 'file:' && withoutQueryAndHash(candidate) === withoutQueryAndHash(app);
  return candidate.origin === app.origin;
}

/** The window never navigates away from the app (links, drops, scripts); window.open is denied. */
export function mayNavigate(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl);
}

/** External links (http/https only) may go to the user's browser instead of a new window. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export interface IpcSender {
  /** webContents id of the sender. */
  readonly webContentsId: number;
  /** URL of the frame that sent the message (null when the frame is gone). */
  readonly frameUrl: string | null;
  /** Whether the sending frame is the top-level frame. */
  readonly isMainFrame: boolean;
}

/** Only the main window's own top-level page may use the bridge. */
export function isTrustedSender(sender: IpcSender, mainWebContentsId: number | null, appUrl: string): boolean {
  return (
    mainWebContentsId !== null &&
    sender.webContentsId === mainWebContentsId &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    isAppUrl(sender.frameUrl, appUrl)
  );
}

/** Web permissions the window may use: writing the clipboard (copy in the editor), nothing else. */
export function isPermissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}
