import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';

// Kept thin on purpose: the Electron binary cannot be downloaded in CI, so everything this
// file calls lives in Node modules tested on their own (DESIGN §6).
function createWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'PassK Lab',
    webPreferences: { preload: join(__dirname, '../preload/index.mjs'), sandbox: false },
  });
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl) void window.loadURL(devUrl);
  else void window.loadFile(join(__dirname, '../renderer/index.html'));
}

app.whenReady().then(createWindow);
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
