import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { connectionChoiceSchema, type ConnectionChoice } from '../core/protocol/desktop-bridge.ts';
import { writeFileAtomic } from '../node/fs/write-file-atomic.ts';

/** What the shell remembers between starts: which coordinator, and the runs last opened (for the menu). */
const settingsSchema = z.object({
  connection: connectionChoiceSchema.catch({ mode: 'embedded' }),
  recentRuns: z.array(z.object({ id: z.string(), name: z.string() })).max(20).catch([]),
});
export type AppSettings = z.output<typeof settingsSchema>;

export const RECENT_RUNS = 8;

export function loadAppSettings(file: string): AppSettings {
  const fallback: AppSettings = { connection: { mode: 'embedded' }, recentRuns: [] };
  if (!existsSync(file)) return fallback;
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** Mode 0600: a remote coordinator's UI token is in it. */
export async function saveAppSettings(file: string, settings: AppSettings): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(settings, null, 2) + '\n', 0o600);
}

export function withRecentRun(settings: AppSettings, run: { id: string; name: string }): AppSettings {
  return { ...settings, recentRuns: [run, ...settings.recentRuns.filter((r) => r.id !== run.id)].slice(0, RECENT_RUNS) };
}

export function withConnection(settings: AppSettings, connection: ConnectionChoice): AppSettings {
  return { ...settings, connection };
}
