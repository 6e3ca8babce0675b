import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { tokenMatches } from '../access-tokens.ts';

/**
 * The desktop app's renderer served to a browser (`passk coordinator --ui`): the same
 * bundle the Electron window loads, talking to /ui like it. A browser cannot put the UI
 * token in socket.io's `auth` without keeping it in script-readable storage, so the token
 * is exchanged once for a session cookie (HttpOnly, SameSite=Strict) that the /ui
 * handshake accepts, from this origin only.
 *
 * The cookie is `nonce.mac`, mac = HMAC-SHA256(UI token, nonce): it survives a coordinator
 * restart (the token is in tokens.json) and dies with the token.
 */
export const SESSION_COOKIE = 'passk_session';
const SESSION_DAYS = 30;
const MAX_BODY = 4096;

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.json': 'application/json', '.woff2': 'font/woff2', '.map': 'application/json',
};

/**
 * The policy every page of the app is served with. `connect-src` lists the coordinator's
 * http and ws origins; 'self' alone would do in a browser, but the Electron shell loads the
 * app from its own scheme and passes the coordinator it talks to.
 */
export function appContentSecurityPolicy(coordinatorOrigin: string | null): string {
  const connect = coordinatorOrigin === null ? "'self'" : `'self' ${coordinatorOrigin} ${coordinatorOrigin.replace(/^http/, 'ws')}`;
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'",
    `connect-src ${connect}`, "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'",
  ].join('; ');
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export interface WebUi {
  /** Answers the request when it is the web UI's (a page, an asset, /session) and returns true; `url` is the request's, parsed. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /** A /ui handshake's cookie is a live session, and it came from this origin (not a page elsewhere). */
  acceptsHandshake(headers: IncomingHttpHeaders): boolean;
}

const mac = (token: string, nonce: string) => createHmac('sha256', token).update(`passk-ui-session:${nonce}`).digest('base64url');

export function sessionCookieValue(uiToken: string): string {
  const nonce = randomBytes(18).toString('base64url');
  return `${nonce}.${mac(uiToken, nonce)}`;
}

export function sessionValid(value: string, uiToken: string): boolean {
  const [nonce, given, ...rest] = value.split('.');
  if (!nonce || !given || rest.length > 0) return false;
  const expected = Buffer.from(mac(uiToken, nonce));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function cookieOf(headers: IncomingHttpHeaders, name: string): string | null {
  for (const part of (headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

/** A request from a page of this server: its Origin (when sent) is this host's. */
function sameOrigin(headers: IncomingHttpHeaders, secure: boolean): boolean {
  if (headers.origin === undefined) return true;
  return headers.origin === `${secure ? 'https' : 'http'}://${headers.host ?? ''}`;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function webUi(options: { dir: string; uiToken: () => string; secure: boolean }): WebUi {
  const root = normalize(options.dir + sep);
  const cookie = (value: string, maxAge: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${options.secure ? '; Secure' : ''}`;

  const serveFile = (res: ServerResponse, file: string, html: boolean) => {
    const bytes = readFileSync(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(bytes.length),
      // Assets carry a content hash in their names; the page must be fetched fresh to find the new ones.
      'Cache-Control': html ? 'no-cache' : 'public, max-age=31536000, immutable',
      ...(html ? { 'Content-Security-Policy': appContentSecurityPolicy(null) } : {}),
    });
    res.end(bytes);
  };

  const startSession = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    let tooLong = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) { tooLong = true; req.destroy(); }
    });
    req.on('end', () => {
      if (tooLong) return;
      let token: unknown;
      try {
        token = (JSON.parse(body) as { token?: unknown }).token;
      } catch {
        token = undefined;
      }
      if (typeof token !== 'string' || !tokenMatches(token.trim(), options.uiToken())) {
        res.writeHead(401, { 'Content-Type': 'application/json', ...SECURITY_HEADERS });
        res.end(JSON.stringify({ error: 'that is not this coordinator\'s UI token' }));
        return;
      }
      res.writeHead(204, { 'Set-Cookie': cookie(sessionCookieValue(options.uiToken()), SESSION_DAYS * 86400), ...SECURITY_HEADERS });
      res.end();
    });
  };

  return {
    handle(req, res, url) {
      if (url.pathname === '/session' && req.method === 'POST') {
        if (!sameOrigin(req.headers, options.secure)) {
          res.writeHead(403, SECURITY_HEADERS);
          res.end();
        } else {
          startSession(req, res);
        }
        return true;
      }
      if (url.pathname === '/session' && req.method === 'DELETE') {
        res.writeHead(204, { 'Set-Cookie': cookie('', 0), ...SECURITY_HEADERS });
        res.end();
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      // The link `passk coordinator --ui` prints: the token in the query, traded for a cookie and dropped from the address.
      const token = url.searchParams.get('token');
      if (url.pathname === '/' && token !== null) {
        const headers: Record<string, string> = { Location: '/', ...SECURITY_HEADERS };
        if (tokenMatches(token, options.uiToken())) headers['Set-Cookie'] = cookie(sessionCookieValue(options.uiToken()), SESSION_DAYS * 86400);
        res.writeHead(303, headers);
        res.end();
        return true;
      }
      let relative: string;
      try {
        relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      } catch {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
        res.end(`bad request: ${url.pathname.slice(0, 200)} is not a valid percent-encoded path\n`);
        return true;
      }
      // A NUL cannot be in a file name (fs would throw); such a path names no file of the bundle.
      if (relative.includes('\0')) return false;
      const file = normalize(join(root, relative));
      // Only files under the bundle's folder: a path with `..` or an absolute one never leaves it.
      if (!file.startsWith(root) || !isFile(file)) return false;
      serveFile(res, file, extname(file) === '.html');
      return true;
    },
    acceptsHandshake(headers) {
      const value = cookieOf(headers, SESSION_COOKIE);
      return value !== null && sameOrigin(headers, options.secure) && sessionValid(value, options.uiToken());
    },
  };
}
