import { statSync } from 'node:fs';

/** Whether two paths name one existing regular file (same device and inode, whatever links lead there). */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.isFile() && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
