import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccessTokensError, loadAccessTokens } from './access-tokens.ts';

describe.skipIf(process.platform === 'win32')('tokens.json', () => {
  it('is made at mode 0600 and read back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passk-tokens-'));
    const made = await loadAccessTokens(dir);
    expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(await loadAccessTokens(dir)).toEqual(made);
  });

  it('is refused, saying what to do, when others than its owner may read or write it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passk-tokens-'));
    const path = join(dir, 'tokens.json');
    writeFileSync(path, JSON.stringify({ worker: 'pkw_0123456789abcdef', ui: 'pku_0123456789abcdef' }));
    for (const mode of [0o644, 0o640, 0o602]) {
      chmodSync(path, mode);
      const refused = loadAccessTokens(dir);
      await expect(refused).rejects.toBeInstanceOf(AccessTokensError);
      await expect(refused).rejects.toThrow(`${path} is readable or writable by others than its owner (mode 0${mode.toString(8)}): anyone on this machine may have read the tokens. Run \`chmod 600 ${path}\``);
    }
    chmodSync(path, 0o600);
    expect((await loadAccessTokens(dir)).worker).toBe('pkw_0123456789abcdef');
  });

  it('names a file that is not a tokens file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passk-tokens-'));
    writeFileSync(join(dir, 'tokens.json'), '{not json', { mode: 0o600 });
    await expect(loadAccessTokens(dir)).rejects.toThrow(`${join(dir, 'tokens.json')}: not a PassK Lab tokens file`);
  });
});
