// The Electron shell, kept to wiring: everything it calls lives in modules tested under
// Node (security.ts, app-protocol.ts, window-state.ts, app-menu.ts, app-settings.ts,
// bridge-handlers.ts, embedded-lab.ts, open-archive.ts), since the Electron binary cannot
// be downloaded where the tests run (docs/architecture.md, "Tests: what is real").
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, shell, type OpenDialogOptions } from 'electron';
import { BRIDGE_CHANNELS, type Connection, type ConnectionChoice, type DesktopCommand } from '../core/protocol/desktop-bridge.ts';
import { defaultDataDir } from '../node/app-dirs.ts';
import { appMenuTemplate } from './app-menu.ts';
import { appFileResponse } from './app-protocol.ts';
import { loadAppSettings, saveAppSettings, withConnection, withRecentRun, type AppSettings } from './app-settings.ts';
import { bridgeHandlers } from './bridge-handlers.ts';
import { startEmbeddedLab, type EmbeddedLab } from './embedded-lab.ts';
import { archiveArgument } from './open-archive.ts';
import { APP_ENTRY, APP_SCHEME, externalUrlAllowed, navigationAllowed, secureWebPreferences, senderTrusted } from './security.ts';
import { loadWindowState, saveWindowState } from './window-state.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const RENDERER_DIR = here('../renderer/');
const PRELOAD = here('../preload/index.cjs');
const CLI_ENTRY = here('../cli/passk.mjs');
// better-sqlite3 built for Electron's ABI by `npm run build:electron-sqlite`; packaged, it sits
// unpacked beside the archive (native code cannot be loaded from inside app.asar).
const ELECTRON_SQLITE = here('../native/better_sqlite3.node').replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
if (!app.requestSingleInstanceLock()) app.quit();

const userData = app.getPath('userData');
const settingsFile = join(userData, 'app-settings.json');
const windowFile = join(userData, 'window-state.json');
let settings: AppSettings = loadAppSettings(settingsFile);
let lab: EmbeddedLab | null = null;
let connection: Connection = { mode: 'embedded', url: '', token: '', error: 'starting' };
let currentRun: { id: string; name: string } | null = null;
let window: BrowserWindow | null = null;
let pendingArchive = archiveArgument(process.argv);

async function connect(choice: ConnectionChoice): Promise<Connection> {
  await lab?.stop();
  lab = null;
  if (choice.mode === 'remote') return { mode: 'remote', url: choice.url.replace(/^ws/, 'http'), token: choice.token, error: null };
  try {
    lab = await startEmbeddedLab({
      dataDir: process.env.PASSK_DATA_DIR ?? defaultDataDir(), version: app.getVersion(),
      sqliteBinding: existsSync(ELECTRON_SQLITE) ? ELECTRON_SQLITE : undefined,
      worker: existsSync(CLI_ENTRY) ? { execPath: process.execPath, entry: CLI_ENTRY, env: { ELECTRON_RUN_AS_NODE: '1' } } : null,
    });
    return { mode: 'embedded', url: lab.coordinator.url, token: lab.coordinator.tokens.ui, error: null };
  } catch (error) {
    return { mode: 'embedded', url: '', token: '', error: `the app's coordinator did not start: ${(error as Error).message}. Attach to a lab's coordinator instead, or see the README (better-sqlite3 for Electron).` };
  }
}

const send = (command: DesktopCommand) => window?.webContents.send(BRIDGE_CHANNELS.command, command);

function rebuildMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({
    newExperiment: () => send({ type: 'new-experiment' }),
    showRuns: () => send({ type: 'archive' }),
    openRun: (runId) => send({ type: 'open-run', runId }),
    showWorkers: () => send({ type: 'workers' }),
    showConnection: () => send({ type: 'connection' }),
    importArchive: async () => {
      const file = await chooseFile('Import a run', [{ name: 'PassK Lab run', extensions: ['passk'] }]);
      if (file) send({ type: 'import-archive', file });
    },
    exportRun: async () => {
      if (!currentRun || !window) return;
      const result = await dialog.showSaveDialog(window, { title: 'Export the run', defaultPath: `${currentRun.name}.passk`, filters: [{ name: 'PassK Lab run', extensions: ['passk'] }] });
      if (!result.canceled && result.filePath) send({ type: 'export-run', runId: currentRun.id, file: result.filePath });
    },
  }, { recentRuns: settings.recentRuns, currentRun, platform: process.platform, dev: !app.isPackaged })));
}

async function chooseFile(title: string, filters: { name: string; extensions: string[] }[], properties: OpenDialogOptions['properties'] = ['openFile']): Promise<string | null> {
  if (!window) return null;
  const result = await dialog.showOpenDialog(window, { title, filters, properties });
  return result.canceled ? null : result.filePaths[0] ?? null;
}

function createWindow(): void {
  const state = loadWindowState(windowFile, screen.getAllDisplays().map((d) => d.workArea));
  window = new BrowserWindow({ ...state, title: 'PassK Lab', show: false, webPreferences: secureWebPreferences(PRELOAD) });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window?.show());
  const remember = () => { if (window && !window.isMinimized()) saveWindowState(windowFile, window.getNormalBounds(), window.isMaximized()); };
  window.on('close', remember);
  window.webContents.on('will-navigate', (event, url) => { if (!navigationAllowed(url, window!.webContents.getURL())) event.preventDefault(); });
  window.webContents.on('will-redirect', (event, url) => { if (!navigationAllowed(url, window!.webContents.getURL())) event.preventDefault(); });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (externalUrlAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('did-finish-load', () => {
    if (pendingArchive) send({ type: 'import-archive', file: pendingArchive });
    pendingArchive = null;
  });
  void window.loadURL(APP_ENTRY);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('open-file', (event, file) => {
  event.preventDefault();
  if (window) send({ type: 'import-archive', file });
  else pendingArchive = file;
});
app.on('second-instance', (_event, argv) => {
  const file = archiveArgument(argv);
  if (file) send({ type: 'import-archive', file });
  if (window?.isMinimized()) window.restore();
  window?.focus();
});

app.whenReady().then(async () => {
  connection = await connect(settings.connection);
  protocol.handle(APP_SCHEME, (request) => {
    const origin = connection.url ? new URL(connection.url).origin : null;
    const file = appFileResponse(RENDERER_DIR, request.url, origin);
    return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), { status: file.status, headers: file.headers });
  });
  const handlers = bridgeHandlers({
    connection: () => connection,
    chooseFolder: (title) => chooseFile(title, [], ['openDirectory']),
    chooseFile: (o) => chooseFile(o.title, o.filters),
    chooseSaveFile: async (o) => {
      if (!window) return null;
      const result = await dialog.showSaveDialog(window, { title: o.title, defaultPath: o.defaultName, filters: o.filters });
      return result.canceled ? null : result.filePath ?? null;
    },
    useCoordinator: async (choice) => {
      connection = await connect(choice);
      if (!connection.error) {
        settings = withConnection(settings, choice);
        await saveAppSettings(settingsFile, settings);
        // The page's CSP names the coordinator it may reach: a new one needs the page served again.
        setTimeout(() => window?.webContents.reload(), 100);
      }
      return connection;
    },
    setCurrentRun: (run) => {
      currentRun = run;
      if (run) {
        settings = withRecentRun(settings, run);
        void saveAppSettings(settingsFile, settings);
      }
      rebuildMenu();
    },
  });
  for (const [channel, handle] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!senderTrusted(event.senderFrame)) throw new Error(`${channel}: refused, the request did not come from the app's own page`);
      return handle(payload);
    });
  }
  rebuildMenu();
  createWindow();
});

app.on('window-all-closed', () => {
  void lab?.stop().finally(() => app.quit());
  if (!lab) app.quit();
});
