import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../node/fs/write-file-atomic.ts';

/** Workers join with one token; people (passk run, the app) use another, so a lab machine given the join command cannot launch or delete runs. */
export interface AccessTokens {
  worker: string;
  ui: string;
}

/** tokens.json cannot be used as it is; the message says why and what to do. */
export class AccessTokensError extends Error {}

const tokensSchema = z.object({ worker: z.string().min(16), ui: z.string().min(16) });

export const newToken = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

/** The data directory's tokens, made on first use and kept (mode 0600), so workers reconnect after a coordinator restart. */
export async function loadAccessTokens(dataDir: string): Promise<AccessTokens> {
  const path = join(dataDir, 'tokens.json');
  if (existsSync(path)) {
    refuseOpenPermissions(path);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      json = null;
    }
    const parsed = tokensSchema.safeParse(json);
    if (!parsed.success) throw new AccessTokensError(`${path}: not a PassK Lab tokens file; move it away and a new one is made (workers then need the new join command)`);
    return parsed.data;
  }
  mkdirSync(dataDir, { recursive: true });
  const tokens = { worker: newToken('pkw'), ui: newToken('pku') };
  await saveAccessTokens(dataDir, tokens);
  return tokens;
}

/**
 * Tokens that others on the machine could read are refused rather than quietly narrowed: by
 * the time the coordinator starts they may have been read already, so the owner decides
 * whether to keep them (chmod) or make new ones. Windows has no such mode bits.
 */
function refuseOpenPermissions(path: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  throw new AccessTokensError(`${path} is readable or writable by others than its owner (mode 0${mode.toString(8)}): anyone on this machine may have read the tokens. `
    + `Run \`chmod 600 ${path}\` to keep them, or delete the file to make new ones (workers then need the new join command)`);
}

export async function saveAccessTokens(dataDir: string, tokens: AccessTokens): Promise<void> {
  const path = join(dataDir, 'tokens.json');
  await writeFileAtomic(path, JSON.stringify(tokens, null, 2) + '\n', 0o600);
}

/** Compares in constant time (over fixed-length digests, so the length leaks nothing either). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
