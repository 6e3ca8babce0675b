import { z } from 'zod';

/**
 * The Electron shell ↔ renderer boundary: what the preload script exposes as
 * `window.passk` (contextBridge), over these IPC channels. The renderer runs without it too
 * (in a browser, served by `passk coordinator --ui`), so every use of it is optional.
 * Everything the renderer sends is parsed in the main process with these schemas.
 */
export const BRIDGE_CHANNELS = {
  connection: 'passk:connection',
  chooseFolder: 'passk:choose-folder',
  chooseFile: 'passk:choose-file',
  chooseSaveFile: 'passk:choose-save-file',
  useCoordinator: 'passk:use-coordinator',
  currentRun: 'passk:current-run',
  /** Main → renderer: a menu command. */
  command: 'passk:command',
} as const;

/** Which coordinator the app talks to: its own (embedded, with a local worker) or a lab's. */
export const connectionChoiceSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('embedded') }),
  z.strictObject({ mode: z.literal('remote'), url: z.url({ protocol: /^(https?|wss?)$/ }).max(2000), token: z.string().min(8).max(512) }),
]);
export type ConnectionChoice = z.output<typeof connectionChoiceSchema>;

export interface Connection {
  mode: 'embedded' | 'remote';
  /** http(s)://host:port of the coordinator. */
  url: string;
  /** Its UI token (sent in socket.io's auth; never stored by the renderer). */
  token: string;
  /** Why the shell has no coordinator, when it has none (the embedded one failed to start). */
  error: string | null;
}

export const fileFilterSchema = z.strictObject({ name: z.string().max(100), extensions: z.array(z.string().regex(/^[\w*]{1,16}$/)).max(16) });
export const chooseFileSchema = z.strictObject({ title: z.string().max(200), filters: z.array(fileFilterSchema).max(8).default([]) });
export const chooseSaveFileSchema = z.strictObject({ title: z.string().max(200), defaultName: z.string().max(255), filters: z.array(fileFilterSchema).max(8).default([]) });
export const currentRunSchema = z.strictObject({ id: z.string().min(1).max(200), name: z.string().max(200) }).nullable();

/** What the native menu asks the renderer to do. */
export const desktopCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('new-experiment') }),
  z.strictObject({ type: z.literal('open-run'), runId: z.string() }),
  z.strictObject({ type: z.literal('archive') }),
  z.strictObject({ type: z.literal('workers') }),
  /** Import this .passk file (chosen in a dialog, or the file the app was opened with). */
  z.strictObject({ type: z.literal('import-archive'), file: z.string() }),
  z.strictObject({ type: z.literal('export-run'), runId: z.string(), file: z.string() }),
  z.strictObject({ type: z.literal('connection') }),
]);
export type DesktopCommand = z.output<typeof desktopCommandSchema>;

export interface DesktopBridge {
  connection(): Promise<Connection>;
  chooseFolder(title: string): Promise<string | null>;
  chooseFile(options: z.input<typeof chooseFileSchema>): Promise<string | null>;
  chooseSaveFile(options: z.input<typeof chooseSaveFileSchema>): Promise<string | null>;
  /** Switches coordinator; the shell answers with the new connection (the renderer reconnects). */
  useCoordinator(choice: ConnectionChoice): Promise<Connection>;
  /** The run on screen, for the Export menu item and the recent runs. */
  setCurrentRun(run: z.input<typeof currentRunSchema>): void;
  /** Menu commands; returns the unsubscribe. */
  onCommand(listener: (command: DesktopCommand) => void): () => void;
}
