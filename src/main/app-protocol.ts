import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_TYPES, appContentSecurityPolicy } from '../coordinator/server/web-ui.ts';
import { isAppUrl } from './security.ts';

export interface AppFile { status: number; headers: Record<string, string>; body: Buffer | string }

/**
 * What the app's scheme answers: files of the built renderer only, every page with the
 * strict CSP whose connect-src names the one coordinator the app talks to.
 */
export function appFileResponse(rendererDir: string, requestUrl: string, coordinatorOrigin: string | null): AppFile {
  if (!isAppUrl(requestUrl)) return { status: 403, headers: {}, body: 'not an app URL' };
  const root = normalize(rendererDir + sep);
  const path = decodeURIComponent(new URL(requestUrl).pathname);
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return { status: 404, headers: {}, body: 'not found' };
  const html = extname(file) === '.html';
  return {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      ...(html ? { 'Content-Security-Policy': appContentSecurityPolicy(coordinatorOrigin) } : {}),
    },
    body: readFileSync(file),
  };
}
