import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, testModelDir } from './support/test-model.ts';

const model = testModelDir();
const dir = mkdtempSync(join(tmpdir(), 'passk-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function passk(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'passk.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface SampleLine { problem: string; sample: number; text: string; tokens: number; finish: string; logprob: number }

describe.skipIf(!model)('passk sample and passk score (separate processes)', () => {
  it('prints one JSONL line per sample, the same for any --batch, and score agrees with it', () => {
    const problems = join(dir, 'problems.jsonl');
    writeFileSync(problems, [
      JSON.stringify({ id: 'a', problem: 'Start with 7, add 5. What is the result?' }),
      JSON.stringify({ unique_id: 'b', problem: 'Start with 3, multiply by 4. What is the result?' }),
    ].join('\n') + '\n');
    // The bundled models' training prompt; 12 new tokens cut most answers short ("7+5=12\n\boxed{12}"
    // is 17), so that some samples end at the length limit and can be rescored exactly.
    const template = '{problem}\nPlease reason step by step, and put your final answer within \\boxed{}.';
    const args = ['sample', '--model', model!, '--input', problems, '--n', '6', '--seed', '3', '--max-new-tokens', '12', '--template', template, '--ep', 'cpu', '--json'];
    const one = passk(...args, '--batch', '1');
    expect(one.stderr).toContain('on cpu');
    expect(one.status).toBe(0);
    const lines = one.stdout.trim().split('\n').map((l) => JSON.parse(l) as SampleLine);
    expect(lines.map((l) => `${l.problem}/${l.sample}`)).toEqual(['a/0', 'a/1', 'a/2', 'a/3', 'a/4', 'a/5', 'b/0', 'b/1', 'b/2', 'b/3', 'b/4', 'b/5']);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['finish', 'logprob', 'problem', 'sample', 'text', 'tokens']);
      expect(['stop', 'length']).toContain(l.finish);
      expect(l.tokens).toBeGreaterThan(0);
      expect(l.tokens).toBeLessThanOrEqual(12);
      expect(l.logprob).toBeLessThan(0);
    }
    // The same samples for any batch size. Log-probabilities agree to float rounding only: the
    // shared-prompt attention runs one GEMM per cohort, whose blocking depends on the batch size.
    const six = passk(...args, '--batch', '6');
    const sixLines = six.stdout.trim().split('\n').map((l) => JSON.parse(l) as SampleLine);
    expect(sixLines.map(({ logprob: _, ...rest }) => rest)).toEqual(lines.map(({ logprob: _, ...rest }) => rest));
    sixLines.forEach((l, i) => expect(Math.abs(l.logprob - lines[i].logprob)).toBeLessThan(1e-9));

    // Score the completions that ran to the length limit (no EOS to add back) under the same prompt.
    const texts = { a: 'Start with 7, add 5. What is the result?', b: 'Start with 3, multiply by 4. What is the result?' };
    const scoreInput = join(dir, 'score.jsonl');
    writeFileSync(scoreInput, lines.map((l) => JSON.stringify({ id: `${l.problem}/${l.sample}`, problem: texts[l.problem as 'a' | 'b'], completion: l.text })).join('\n'));
    const scored = passk('score', '--model', model!, '--input', scoreInput, '--ep', 'cpu', '--prompt-format', 'chat', '--template', template);
    expect(scored.status).toBe(0);
    const scores = scored.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; tokens: number; logprob: number; ppl: number });
    expect(scores).toHaveLength(lines.length);
    let compared = 0;
    lines.forEach((l, i) => {
      expect(scores[i].id).toBe(`${l.problem}/${l.sample}`);
      if (scores[i].tokens > 0) expect(scores[i].ppl).toBeGreaterThan(1);
      // A length-finished sample's text is exactly its tokens (one character per token here).
      if (l.finish === 'length' && scores[i].tokens === l.tokens) {
        expect(Math.abs(scores[i].logprob - l.logprob)).toBeLessThan(1e-3);
        compared++;
      }
    });
    const eosScored = passk('score', '--model', model!, '--input', scoreInput, '--ep', 'cpu', '--template', template, '--eos');
    const withEos = eosScored.stdout.trim().split('\n').map((l) => JSON.parse(l) as { tokens: number; logprob: number });
    // --eos scores one more token, the model's EOS, which has a probability below 1.
    withEos.forEach((w, i) => {
      expect(w.tokens).toBe(scores[i].tokens + 1);
      expect(w.logprob).toBeLessThan(scores[i].logprob);
    });
    expect(compared).toBeGreaterThan(0);
  });

  it('names file and line of a bad problems file, and bad options', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"problem": "ok"}\n{"problem": 5}\n');
    const r = passk('sample', '--model', model!, '--input', bad, '--n', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: no string field "problem"`);
    expect(passk('sample', '--model', model!, '--prompt', 'x', '--n', 'many').stderr).toContain('--n "many": expected an integer');
    expect(passk('sample', '--model', model!, '--prompt', 'x', '--ep', 'tpu').stderr).toContain('--ep tpu: expected one of auto, cpu, cuda, webgpu');
    expect(passk('sample', '--model', join(dir, 'nope'), '--prompt', 'x').stderr).toContain('not a folder');
  });
});

if (!model) {
  describe('passk sample CLI', () => {
    it.skip('needs resources/models/base (the bundled model) or PASSK_TEST_MODEL', () => {});
  });
}
