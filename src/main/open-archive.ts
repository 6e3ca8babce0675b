/**
 * The `.passk` file the app was asked to open: on Linux and Windows a command-line
 * argument (a double-click, "Open with"), on macOS an `open-file` event. Flags and
 * Electron's own arguments are skipped.
 */
export function archiveArgument(argv: readonly string[]): string | null {
  for (const arg of argv.slice(1)) {
    if (!arg.startsWith('-') && arg.toLowerCase().endsWith('.passk')) return arg;
  }
  return null;
}
