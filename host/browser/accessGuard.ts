/**
 * Who may talk to `dapper serve`: a request must carry the session token (in the URL the
 * server printed, or in the cookie set when that URL was opened), and a WebSocket upgrade
 * must also come from the server's own origin. When bound to loopback, the Host header must
 * name loopback too, which stops DNS-rebinding pages from posing as same-origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createToken(): string {
  return randomBytes(24).toString('hex');
}

export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly status: number; readonly message: string };

const OK: Verdict = { ok: true };

export class AccessGuard {
  constructor(
    readonly token: string,
    private readonly port: () => number,
    private readonly boundToLoopback: boolean,
  ) {}

  /** Cookie name carries the port so two servers on one machine do not clobber each other. */
  get cookieName(): string {
    return `dapper_token_${this.port()}`;
  }

  cookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  tokenFromRequest(request: IncomingMessage): { fromQuery: string | null; fromCookie: string | null } {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const cookies = (request.headers.cookie ?? '').split(';').map((part) => part.trim());
    const prefix = `${this.cookieName}=`;
    const cookie = cookies.find((part) => part.startsWith(prefix));
    return { fromQuery: url.searchParams.get('token'), fromCookie: cookie ? cookie.slice(prefix.length) : null };
  }

  checkHost(request: IncomingMessage): Verdict {
    if (!this.boundToLoopback) return OK;
    const host = request.headers.host ?? '';
    const name = host.replace(/:\d+$/, '');
    if (isLoopbackHost(name)) return OK;
    return { ok: false, status: 403, message: `Dapper only answers requests addressed to this machine (Host "${host}" refused).` };
  }

  checkHttp(request: IncomingMessage): Verdict {
    const host = this.checkHost(request);
    if (!host.ok) return host;
    const { fromQuery, fromCookie } = this.tokenFromRequest(request);
    if (tokensEqual(this.token, fromQuery) || tokensEqual(this.token, fromCookie)) return OK;
    return {
      ok: false,
      status: 403,
      message: fromQuery || fromCookie
        ? 'Dapper: wrong token. Open the full address printed by `dapper serve` (it includes ?token=…).'
        : 'Dapper: this address needs a token. Open the full address printed by `dapper serve` (it includes ?token=…).',
    };
  }

  checkWebSocket(request: IncomingMessage): Verdict {
    const host = this.checkHost(request);
    if (!host.ok) return host;
    const origin = request.headers.origin;
    const expectedOrigin = `http://${request.headers.host ?? ''}`;
    if (origin !== expectedOrigin) {
      return { ok: false, status: 403, message: `Dapper: WebSocket from a foreign origin (${origin ?? 'none'}) refused.` };
    }
    const { fromQuery } = this.tokenFromRequest(request);
    if (!tokensEqual(this.token, fromQuery)) {
      return { ok: false, status: 401, message: 'Dapper: the WebSocket needs the token from the page address.' };
    }
    return OK;
  }
}
