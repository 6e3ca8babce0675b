import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../../core/protocol/request-client.ts';
import { uiRequests } from '../../core/protocol/ui-protocol.ts';
import { startCoordinator, type Coordinator } from '../coordinator.ts';
import { appContentSecurityPolicy, sessionCookieValue, sessionValid } from './web-ui.ts';

/** A raw HTTP request (fetch would follow redirects and hide Set-Cookie). */
function http(url: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Connects to /ui as a browser page would (cookie and Origin headers, no token); resolves with coordinator:info or the refusal. */
async function browserSocket(url: string, headers: Record<string, string>): Promise<{ ok: true; joinCommand: string } | { ok: false; error: string }> {
  const socket = io(`${url}/ui`, { transports: ['websocket'], reconnection: false, extraHeaders: headers });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
  } catch (error) {
    socket.close();
    return { ok: false, error: (error as Error).message };
  }
  const info = await sendRequest(socket, uiRequests, 'coordinator:info', {}, 5000);
  socket.close();
  return info.ok ? { ok: true, joinCommand: info.value.joinCommand } : { ok: false, error: info.error };
}

describe('the app served to browsers (passk coordinator --ui)', () => {
  let coordinator: Coordinator;
  const dataDir = mkdtempSync(join(tmpdir(), 'passk-webui-'));
  const webDir = join(dataDir, 'web');
  beforeAll(async () => {
    mkdirSync(join(webDir, 'assets'), { recursive: true });
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>PassK Lab</title>');
    writeFileSync(join(webDir, 'assets', 'app-1234.js'), 'console.log(1)');
    coordinator = await startCoordinator({ dataDir, port: 0, version: 'test', webUiDir: webDir, log: () => {} });
  });
  afterAll(async () => {
    await coordinator?.close();
  });

  it('serves the page with a strict CSP, the assets, and nothing outside its folder', async () => {
    const page = await http(`${coordinator.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>PassK Lab</title>');
    expect(page.headers['content-security-policy']).toBe(appContentSecurityPolicy(null));
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const asset = await http(`${coordinator.url}/assets/app-1234.js`);
    expect([asset.status, asset.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    for (const path of ['/../tokens.json', '/%2e%2e/tokens.json', '/assets/..%2f..%2ftokens.json', '/passk.sqlite']) {
      const res = await http(`${coordinator.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('pkw_');
    }
  });

  it('refuses a browser without a session, and trades the UI token for a session cookie', async () => {
    const origin = { Origin: coordinator.url };
    expect(await browserSocket(coordinator.url, origin)).toMatchObject({ ok: false, error: expect.stringContaining('wrong UI token') });
    const wrong = await http(`${coordinator.url}/session`, { method: 'POST', body: JSON.stringify({ token: 'pku_guess' }), headers: { ...origin, 'Content-Type': 'application/json' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const right = await http(`${coordinator.url}/session`, { method: 'POST', body: JSON.stringify({ token: coordinator.tokens.ui }), headers: { ...origin, 'Content-Type': 'application/json' } });
    expect(right.status).toBe(204);
    const cookie = String(right.headers['set-cookie']).split(';')[0];
    expect(String(right.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(await browserSocket(coordinator.url, { ...origin, Cookie: cookie })).toEqual({ ok: true, joinCommand: coordinator.joinCommand });
    // The same cookie sent by a page of another site (cross-site WebSocket hijacking) is refused.
    expect(await browserSocket(coordinator.url, { Origin: 'http://evil.example', Cookie: cookie })).toMatchObject({ ok: false });
    const foreign = await http(`${coordinator.url}/session`, { method: 'POST', body: JSON.stringify({ token: coordinator.tokens.ui }), headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('signs in from the printed link and drops the token from the address', async () => {
    expect(coordinator.webUiUrl).toBe(`${coordinator.url}/?token=${encodeURIComponent(coordinator.tokens.ui)}`);
    const link = await http(coordinator.webUiUrl!);
    expect([link.status, link.headers.location]).toEqual([303, '/']);
    expect(String(link.headers['set-cookie'])).toContain('passk_session=');
    const guessed = await http(`${coordinator.url}/?token=pku_guess`);
    expect([guessed.status, guessed.headers['set-cookie']]).toEqual([303, undefined]);
  });

  it('makes session cookies that only the UI token signs', () => {
    const value = sessionCookieValue('pku_one');
    expect(sessionValid(value, 'pku_one')).toBe(true);
    expect(sessionValid(value, 'pku_two')).toBe(false);
    expect(sessionValid(`${value.split('.')[0]}.forged`, 'pku_one')).toBe(false);
    expect(sessionValid('', 'pku_one')).toBe(false);
  });

  it('revokes the workers\' token: a new join command, saved for the next start', async () => {
    const before = coordinator.joinCommand;
    const socket = io(`${coordinator.url}/ui`, { transports: ['websocket'], reconnection: false, auth: { token: coordinator.tokens.ui } });
    const revoked = await sendRequest(socket, uiRequests, 'tokens:revoke-worker', {}, 5000);
    socket.close();
    expect(revoked).toMatchObject({ ok: true, value: { joinCommand: coordinator.joinCommand } });
    expect(coordinator.joinCommand).not.toBe(before);
    expect(coordinator.joinCommand).toContain(coordinator.tokens.worker);
  });
});
