import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../node/fs/write-file-atomic.ts';

/** Workers join with one token; people (passk run, the app) use another, so a lab machine given the join command cannot launch or delete runs. */
export interface AccessTokens {
  worker: string;
  ui: string;
}

const tokensSchema = z.object({ worker: z.string().min(16), ui: z.string().min(16) });

export const newToken = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

/** The data directory's tokens, made on first use and kept (mode 0600), so workers reconnect after a coordinator restart. */
export async function loadAccessTokens(dataDir: string): Promise<AccessTokens> {
  const path = join(dataDir, 'tokens.json');
  if (existsSync(path)) {
    const parsed = tokensSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: not a PassK Lab tokens file; move it away and a new one is made (workers then need the new join command)`);
    return parsed.data;
  }
  mkdirSync(dataDir, { recursive: true });
  const tokens = { worker: newToken('pkw'), ui: newToken('pku') };
  await saveAccessTokens(dataDir, tokens);
  return tokens;
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
