import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNELS } from '../core/protocol/desktop-bridge.ts';
import { appMenuTemplate, type MenuActions } from './app-menu.ts';
import { appFileResponse } from './app-protocol.ts';
import { loadAppSettings, saveAppSettings, withRecentRun, type AppSettings } from './app-settings.ts';
import { bridgeHandlers, type BridgeDeps } from './bridge-handlers.ts';
import { archiveArgument } from './open-archive.ts';
import { APP_ENTRY, externalUrlAllowed, isAppUrl, navigationAllowed, secureWebPreferences, senderTrusted } from './security.ts';
import { DEFAULT_WINDOW, loadWindowState, saveWindowState } from './window-state.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'passk-main-'));

describe('the security checklist', () => {
  it('gives the renderer no Node, a sandbox and context isolation', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, navigateOnDragDrop: false,
    });
  });

  it('lets the page change screens (the hash) and nothing else; opens only https outside', () => {
    expect(navigationAllowed(`${APP_ENTRY}#/runs`, `${APP_ENTRY}#/new`)).toBe(true);
    for (const target of ['https://evil.example/', 'file:///etc/passwd', 'passk-app://other/index.html', `${APP_ENTRY.replace('index.html', 'x.html')}`, 'javascript:alert(1)']) {
      expect(navigationAllowed(target, APP_ENTRY), target).toBe(false);
    }
    expect(externalUrlAllowed('https://github.com/x')).toBe(true);
    expect(externalUrlAllowed('file:///bin/sh')).toBe(false);
    expect(externalUrlAllowed('smb://host/share')).toBe(false);
  });

  it('answers IPC only for the app\'s own top frame', () => {
    expect(senderTrusted({ url: `${APP_ENTRY}#/runs`, parent: null })).toBe(true);
    expect(senderTrusted({ url: `${APP_ENTRY}`, parent: {} })).toBe(false);
    expect(senderTrusted({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(senderTrusted(null)).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('serves the renderer\'s files only, pages with a CSP naming the one coordinator', () => {
    const dir = temp();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<title>x</title>');
    writeFileSync(join(dir, 'assets', 'a.js'), '1');
    writeFileSync(join(dir, '..', 'secret.txt'), 'no');
    const page = appFileResponse(dir, APP_ENTRY, 'http://127.0.0.1:7077');
    expect(page.status).toBe(200);
    expect(page.headers['Content-Security-Policy']).toContain("connect-src 'self' http://127.0.0.1:7077 ws://127.0.0.1:7077");
    expect(page.headers['Content-Security-Policy']).toContain("script-src 'self'");
    expect(page.headers['Content-Security-Policy']).not.toContain('unsafe');
    expect(appFileResponse(dir, 'passk-app://app/assets/a.js', null)).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
    expect(appFileResponse(dir, 'passk-app://app/assets/a.js', null).headers['Content-Security-Policy']).toBeUndefined();
    expect(appFileResponse(dir, 'passk-app://app/..%2Fsecret.txt', null).status).toBe(404);
    expect(appFileResponse(dir, 'https://app/index.html', null).status).toBe(403);
  });
});

describe('window state', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };
  it('comes back where it was, but not onto a display that is gone, and survives a damaged file', () => {
    const file = join(temp(), 'w.json');
    expect(loadWindowState(file, [display])).toEqual(DEFAULT_WINDOW);
    saveWindowState(file, { x: 100, y: 80, width: 1400, height: 900 }, true);
    expect(loadWindowState(file, [display])).toEqual({ x: 100, y: 80, width: 1400, height: 900, maximized: true });
    saveWindowState(file, { x: 2500, y: 80, width: 1400, height: 900 }, false);
    expect(loadWindowState(file, [display])).toEqual({ width: 1400, height: 900, maximized: false });
    expect(loadWindowState(file, [display, { x: 1920, y: 0, width: 1920, height: 1080 }])).toMatchObject({ x: 2500 });
    writeFileSync(file, '{"x": "left"');
    expect(loadWindowState(file, [display])).toEqual(DEFAULT_WINDOW);
  });
});

describe('app settings', () => {
  it('keeps the coordinator choice and recent runs (newest first, no repeats), private to the user', async () => {
    const file = join(temp(), 's.json');
    expect(loadAppSettings(file)).toEqual({ connection: { mode: 'embedded' }, recentRuns: [] });
    let settings: AppSettings = { connection: { mode: 'remote', url: 'http://lab:7077', token: 'pku_abcdefgh' }, recentRuns: [] };
    for (let i = 0; i < 10; i++) settings = withRecentRun(settings, { id: `r${i % 9}`, name: `run ${i % 9}` });
    await saveAppSettings(file, settings);
    const loaded = loadAppSettings(file);
    expect(loaded.connection).toEqual(settings.connection);
    expect(loaded.recentRuns.map((r) => r.id)).toEqual(['r0', 'r8', 'r7', 'r6', 'r5', 'r4', 'r3', 'r2']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, JSON.stringify({ connection: { mode: 'remote', url: 'file:///x', token: 'short' }, recentRuns: 'no' }));
    expect(loadAppSettings(file)).toEqual({ connection: { mode: 'embedded' }, recentRuns: [] });
  });
});

describe('the native menu', () => {
  const calls: string[] = [];
  const actions: MenuActions = {
    newExperiment: () => calls.push('new'), showRuns: () => calls.push('runs'), openRun: (id) => calls.push(`open ${id}`),
    importArchive: () => calls.push('import'), exportRun: () => calls.push('export'), showWorkers: () => calls.push('workers'), showConnection: () => calls.push('connection'),
  };
  type Item = { label?: string; role?: string; accelerator?: string; enabled?: boolean; click?: () => void; submenu?: Item[] };
  const file = (state: Parameters<typeof appMenuTemplate>[1]) => (appMenuTemplate(actions, state) as Item[]).find((m) => m.label === 'File')!.submenu!;
  const find = (items: Item[], label: string) => items.find((i) => i.label?.startsWith(label))!;

  it('has New experiment, Open run, Recent runs, Import, Export; Export only with a run on screen', () => {
    const items = file({ recentRuns: [{ id: 'r1', name: 'math500 base vs rl' }], currentRun: null, platform: 'linux', dev: false });
    expect(find(items, 'New Experiment').accelerator).toBe('CmdOrCtrl+N');
    expect(find(items, 'Export').enabled).toBe(false);
    find(items, 'Recent Runs').submenu![0].click!();
    find(items, 'Import Archive').click!();
    find(items, 'Open Run').click!();
    expect(calls).toEqual(['open r1', 'import', 'runs']);
    const withRun = file({ recentRuns: [], currentRun: { id: 'r2', name: 'gsm8k' }, platform: 'linux', dev: false });
    expect(find(withRun, 'Export').label).toBe('Export “gsm8k”…');
    expect(find(withRun, 'Export').enabled).toBe(true);
    expect(find(withRun, 'Recent Runs').enabled).toBe(false);
    expect(items.some((i) => i.role === 'quit')).toBe(true);
  });

  it('leaves developer tools out of a packaged app', () => {
    const view = (dev: boolean) => (appMenuTemplate(actions, { recentRuns: [], currentRun: null, platform: 'darwin', dev }) as Item[]).find((m) => m.label === 'View')!.submenu!;
    expect(view(false).some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(view(true).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});

describe('opening a .passk file', () => {
  it('finds the archive among the arguments a double-click gives', () => {
    expect(archiveArgument(['/opt/PassK Lab/passk-lab', '--no-sandbox', '/home/u/runs/math500.passk'])).toBe('/home/u/runs/math500.passk');
    expect(archiveArgument(['/opt/PassK Lab/passk-lab', 'run.PASSK'])).toBe('run.PASSK');
    expect(archiveArgument(['/usr/bin/electron', '.'])).toBeNull();
  });
});

describe('the bridge\'s main-process side', () => {
  const deps: BridgeDeps & { seen: unknown[] } = {
    seen: [],
    connection: () => ({ mode: 'embedded', url: 'http://127.0.0.1:1', token: 't', error: null }),
    chooseFolder: async (title) => { deps.seen.push(title); return '/m'; },
    chooseFile: async (o) => { deps.seen.push(o); return null; },
    chooseSaveFile: async () => null,
    useCoordinator: async (c) => ({ mode: c.mode, url: c.mode === 'remote' ? c.url : '', token: '', error: null }),
    setCurrentRun: (r) => void deps.seen.push(r),
  };
  const handlers = bridgeHandlers(deps);

  it('has a handler for every channel the preload calls', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.values(BRIDGE_CHANNELS).filter((c) => c !== BRIDGE_CHANNELS.command).sort());
  });

  it('parses what the page sends and refuses what does not parse', async () => {
    expect(await handlers[BRIDGE_CHANNELS.chooseFolder]('Model folder')).toBe('/m');
    await handlers[BRIDGE_CHANNELS.chooseFile]({ title: 'x' });
    expect(deps.seen.at(-1)).toEqual({ title: 'x', filters: [] });
    expect(() => handlers[BRIDGE_CHANNELS.chooseFile]({ title: 'x', filters: [{ name: 'a', extensions: ['../../etc'] }] })).toThrow(/malformed request \(filters\.0\.extensions\.0/);
    expect(() => handlers[BRIDGE_CHANNELS.useCoordinator]({ mode: 'remote', url: 'file:///etc/passwd', token: 'pku_12345678' })).toThrow(/url/);
    expect(await handlers[BRIDGE_CHANNELS.useCoordinator]({ mode: 'remote', url: 'http://lab:7077', token: 'pku_12345678' })).toMatchObject({ url: 'http://lab:7077' });
    expect(() => handlers[BRIDGE_CHANNELS.currentRun]({ id: 1 })).toThrow(/malformed/);
  });
});

describe('the preload', () => {
  it('exposes exactly the bridge the renderer types, checked with satisfies', () => {
    const source = readFileSync(join(import.meta.dirname, '..', 'preload', 'index.ts'), 'utf8');
    expect(source).toMatch(/\} satisfies DesktopBridge\);/);
    expect(source).toContain("exposeInMainWorld('passk'");
  });
});
