import type { Stats } from 'node:fs';

/** What a path that is not a regular file is, in words for an error message. */
export function describeFileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** An errno error as "no such file (ENOENT)": the words first, the code for a search. */
export function describeErrno(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'a folder',
    ELOOP: 'too many symbolic links',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
    EXDEV: 'across file systems',
    EEXIST: 'something of that name is there already',
  };
  if (code === undefined) return message;
  return `${words[code] ?? message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '')} (${code})`;
}

/** A byte count for messages: "512 MiB", "1.5 MiB", or "300 bytes" below one MiB. */
export function mebibytes(bytes: number): string {
  if (bytes < 1048576) return `${bytes} bytes`;
  const mib = bytes / 1048576;
  return `${mib >= 10 || Number.isInteger(mib) ? Math.round(mib) : mib.toFixed(1)} MiB`;
}
