import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('guardProcess', () => {
  it('logs what nothing caught and keeps the process going; once removed, a fault ends it as before', () => {
    const script = `
      import { guardProcess } from ${JSON.stringify(new URL('./process-guard.ts', import.meta.url).href)};
      const unguard = guardProcess((line) => process.stderr.write(line + '\\n'));
      setTimeout(() => { throw new TypeError('Invalid URL'); }, 1);
      setTimeout(() => { void Promise.reject(new URIError('URI malformed')); }, 5);
      setTimeout(() => {
        process.stdout.write('still here\\n');
        unguard();
        setTimeout(() => { throw new Error('after the guard'); }, 1);
      }, 50);
    `;
    const root = fileURLToPath(new URL('..', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout, r.stderr).toBe('still here\n');
    expect(r.stderr).toContain('an exception that nothing caught; the coordinator goes on: TypeError: Invalid URL');
    expect(r.stderr).toContain('a promise rejection that nothing caught; the coordinator goes on: URIError: URI malformed');
    expect(r.stderr).toContain('Error: after the guard');
    expect(r.status).toBe(1);
  });
});
