/**
 * Serves the built renderer (dist/renderer) and nothing else: the request path is decoded,
 * normalised and must stay inside the root after symlinks are resolved.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticLookup =
  | { readonly kind: 'file'; readonly file: string; readonly contentType: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'forbidden' };

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function resolveStaticFile(root: string, urlPath: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'forbidden' };
  }
  if (decoded.includes('\0')) return { kind: 'forbidden' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const realRoot = fs.realpathSync.native(root);
  const candidate = path.resolve(realRoot, relative);
  if (!isInside(realRoot, candidate)) return { kind: 'forbidden' };
  let real: string;
  try {
    real = fs.realpathSync.native(candidate);
  } catch {
    return { kind: 'missing' };
  }
  if (!isInside(realRoot, real)) return { kind: 'forbidden' };
  if (!fs.statSync(real).isFile()) return { kind: 'missing' };
  return {
    kind: 'file',
    file: real,
    contentType: CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
  };
}
