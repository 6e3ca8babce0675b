import type { WebPreferences } from 'electron';

/**
 * Electron's security checklist, as values the shell applies and tests check: the renderer
 * is an untrusted web page that happens to be ours. It gets no Node, runs sandboxed and
 * context-isolated, loads only from the app's own scheme, cannot navigate or open windows,
 * and only its frames may call the bridge.
 */
export const APP_SCHEME = 'passk-app';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/** A URL of the app's own pages (the custom scheme, this origin), nothing else. */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}

/** Screens change in the hash; any other navigation (a link, a drop, a script) is refused. */
export function navigationAllowed(target: string, current: string): boolean {
  if (!isAppUrl(target) || !isAppUrl(current)) return false;
  const a = new URL(target);
  const b = new URL(current);
  return a.pathname === b.pathname && a.search === b.search;
}

/** Links to documentation may open in the user's browser; nothing but https ever leaves the app. */
export function externalUrlAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** IPC is answered only for the app's own top frame (not a frame it might embed, not another page). */
export function senderTrusted(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}
