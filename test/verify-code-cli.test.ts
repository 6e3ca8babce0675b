import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const HUMANEVAL = join(process.cwd(), '../shared/data/benchmarks/HumanEval.jsonl.gz');
const codeVerifier = existsSync(join(process.cwd(), 'workers/verify/code/index.ts'));
const bwrap = spawnSync('sh', ['-c', 'command -v bwrap']).status === 0;
const ready = existsSync(HUMANEVAL) && codeVerifier && bwrap;
if (!ready) {
  console.warn(`skipping passk verify --kind code: needs ${HUMANEVAL}, workers/verify/code and bubblewrap (have: ${existsSync(HUMANEVAL)}, ${codeVerifier}, ${bwrap})`);
}

const dir = mkdtempSync(join(tmpdir(), 'passk-verify-code-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!ready)('passk verify --kind code (separate process, bubblewrap)', () => {
  it('canonical HumanEval solutions pass and `pass` bodies fail, in input order', () => {
    const tasks = gunzipSync(readFileSync(HUMANEVAL)).toString('utf8').trim().split('\n').slice(0, 8).map((l) => JSON.parse(l) as Record<string, string>);
    const lines = tasks.flatMap((task) => [
      { task, completion: task.canonical_solution },
      { task, completion: '    pass\n' },
    ]);
    const input = join(dir, 'code.jsonl');
    writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = spawnSync(process.execPath, ['bin/passk.js', 'verify', '--kind', 'code', '--input', input, '--concurrency', '2', '--json'], { encoding: 'utf8' });
    expect(r.stderr).toContain('"summary"');
    expect(r.status).toBe(0);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { correct: boolean });
    expect(verdicts.map((v) => v.correct)).toEqual(lines.map((_, i) => i % 2 === 0));
    console.info(`code: ${(JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}') as { summary?: { perSecond?: number } }).summary?.perSecond?.toFixed(1)} verifications/s`);
  });
});
