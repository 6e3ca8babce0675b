import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'PassK Lab';

/**
 * Where runs live: the platform's place for application data, the same folder Electron's
 * `app.getPath('userData')` gives the desktop app (appData/PassK Lab), so `passk` and the app
 * share one database. PASSK_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.PASSK_DATA_DIR) return env.PASSK_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}

/** Where a worker keeps downloaded models: a cache (safe to delete), not data. PASSK_CACHE_DIR overrides it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.PASSK_CACHE_DIR) return env.PASSK_CACHE_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', APP_NAME);
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), APP_NAME, 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'passk-lab');
}
