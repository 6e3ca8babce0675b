import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rect { x: number; y: number; width: number; height: number }

const stateSchema = z.object({
  x: z.number().int().optional(), y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000), height: z.number().int().min(300).max(20000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.output<typeof stateSchema>;

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 860, maximized: false };

/** Enough of the window's title bar on some display that the user can grab it. */
function reachable(state: WindowState, displays: readonly Rect[]): boolean {
  if (state.x === undefined || state.y === undefined) return true;
  const { x, y } = state;
  return displays.some((d) => x + 100 > d.x && x < d.x + d.width - 50 && y >= d.y - 10 && y < d.y + d.height - 50);
}

/**
 * The window where it was last closed, if that place is still on a display (a monitor
 * unplugged since would leave it off-screen); else the default size, placed by the system.
 * A damaged file is the default too: window placement is not worth an error.
 */
export function loadWindowState(file: string, displays: readonly Rect[]): WindowState {
  if (!existsSync(file)) return DEFAULT_WINDOW;
  let parsed;
  try {
    parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return DEFAULT_WINDOW;
  }
  if (!parsed.success) return DEFAULT_WINDOW;
  const state = parsed.data;
  if (!reachable(state, displays)) return { width: state.width, height: state.height, maximized: state.maximized };
  return state;
}

export function saveWindowState(file: string, bounds: Rect, maximized: boolean): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...bounds, maximized }) + '\n');
}
