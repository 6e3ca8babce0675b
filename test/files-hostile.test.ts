import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mebibytes } from '../src/node/fs/file-kind.ts';
import { REPO_ROOT, testModelDir } from './support/test-model.ts';

/**
 * Files in and out of the CLI, given as a hostile (or careless) user would: FIFOs, devices,
 * folders, missing folders, an output onto the input, a model cut short, a chat template
 * with an unknown filter. Each must end in a message naming the file, never a hang, a
 * stack trace or a replaced file.
 */
const dir = mkdtempSync(join(tmpdir(), 'passk-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function passk(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'passk.js'), ...args], {
    encoding: 'utf8',
    // A command that waits on a FIFO would hang: the timeout turns that into a failure.
    timeout: 30_000,
    env: { ...process.env, PASSK_RESIDENT_CACHE: join(dir, 'resident-cache') },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

const noStackTrace = (stderr: string): void => expect(stderr).not.toMatch(/\n\s+at /);

const problems = join(dir, 'problems.jsonl');
writeFileSync(problems, `${JSON.stringify({ unique_id: 'a', problem: 'What is 1+1?', answer: '2' })}\n`);
const verdicts = join(dir, 'verdicts.jsonl');
writeFileSync(verdicts, ['base', 'rl'].flatMap((model) => [0, 1, 2].map((p) => JSON.stringify({ model, role: model, problem: `p${p}`, n: 4, c: p }))).join('\n') + '\n');

describe('passk datasets with hostile files', () => {
  it('refuses --out onto a FIFO and leaves it a FIFO', () => {
    const out = fifo('out-fifo.jsonl');
    const r = passk('datasets', 'import', problems, '--preset', 'math500', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`passk datasets: --out ${out}: a FIFO (named pipe), not a regular file; refusing to replace it (passk writes a new file and renames it into place); nothing was written\n`);
    expect(lstatSync(out).isFIFO()).toBe(true);
  });

  it('says a missing --out folder is missing, and refuses --out onto the input', () => {
    const missing = join(dir, 'no-such-folder', 'out.jsonl');
    const r = passk('datasets', 'import', problems, '--preset', 'math500', '--out', missing);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--out ${missing}: cannot write into ${join(dir, 'no-such-folder')}: no such file or folder (ENOENT); create the folder first`);
    noStackTrace(r.stderr);
    const before = readFileSync(problems, 'utf8');
    const same = passk('datasets', 'import', problems, '--preset', 'math500', '--out', problems);
    expect(same.status).toBe(2);
    expect(same.stderr).toBe(`passk datasets: --out ${problems} is the input file; write the problems to another file\n`);
    expect(readFileSync(problems, 'utf8')).toBe(before);
  });

  it('says a FIFO input is a FIFO instead of waiting for a writer', () => {
    const input = fifo('in-fifo.jsonl');
    const r = passk('datasets', 'preview', input, '--preset', 'math500');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`passk datasets: ${input}: a FIFO (named pipe), not a regular file; passk reads only regular files (save the data to a file first)\n`);
  });

  it('fetch --out onto a file says it is not a folder before downloading anything', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = passk('datasets', 'fetch', 'math500', '--out', file, '--url', 'http://127.0.0.1:9/never-contacted');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`passk datasets fetch: ${file}: cannot make this folder to download into: something of that name is there already (EEXIST)\n`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('passk stats with hostile files', () => {
  it('says a FIFO input is a FIFO instead of waiting for a writer', () => {
    const input = fifo('verdicts-fifo.jsonl');
    const r = passk('stats', '--input', input);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`passk stats: ${input}: a FIFO (named pipe), not a regular file; passk reads only regular files (save the data to a file first)\n`);
  });

  it('refuses --svg into a missing folder, onto a FIFO or onto the input before computing anything', () => {
    const missing = join(dir, 'missing', 'plot.svg');
    const r = passk('stats', '--input', verdicts, '--svg', missing);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`passk stats: --svg ${missing}: cannot write into ${join(dir, 'missing')}: no such file or folder (ENOENT); create the folder first\n`);
    const plotFifo = fifo('plot.svg');
    expect(passk('stats', '--input', verdicts, '--svg', plotFifo).stderr).toContain(`--svg ${plotFifo}: a FIFO (named pipe), not a regular file; refusing to replace it`);
    const before = readFileSync(verdicts, 'utf8');
    const same = passk('stats', '--input', verdicts, '--svg', verdicts);
    expect(same.status).toBe(2);
    expect(same.stderr).toBe(`passk stats: --svg ${verdicts} is the input file; write the plot to another file\n`);
    expect(readFileSync(verdicts, 'utf8')).toBe(before);
  });

  it('replaces an existing --svg file whole: the plot is output, made again on every run', () => {
    const plots = join(dir, 'plots');
    mkdirSync(plots);
    const svg = join(plots, 'plot.svg');
    writeFileSync(svg, 'an older plot');
    const r = passk('stats', '--input', verdicts, '--svg', svg, '--resamples', '50');
    expect(r.status).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg /);
    expect(readdirSync(plots)).toEqual(['plot.svg']);
  });
});

describe('passk import, worker and coordinator with hostile files', () => {
  const refusal = (path: string) => `${path}: a FIFO (named pipe), not a regular file; passk reads only regular files (save the data to a file first)\n`;

  it('passk import says a FIFO or a folder input is what it is, and imports nothing', () => {
    const dataDir = join(dir, 'import-data');
    const input = fifo('import-fifo.jsonl');
    const r = passk('import', '--format', 'counts', '--input', input, '--name', 'x', '--data-dir', dataDir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`passk import: ${refusal(input)}`);
    const folder = passk('import', '--format', 'limit-of-rlvr', '--input', `m=${dir}`, '--name', 'x', '--data-dir', dataDir);
    expect(folder.stderr).toBe(`passk import: ${dir}: a folder, not a regular file; passk reads only regular files (save the data to a file first)\n`);
    // Refused before the data directory is opened: not even created.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('passk import refuses a gzip that inflates past 512 MiB instead of running out of memory', () => {
    const bomb = join(dir, 'bomb.jsonl.gz');
    execFileSync('sh', ['-c', `head -c 600M /dev/zero | gzip -1 > ${JSON.stringify(bomb)}`]);
    const r = passk('import', '--format', 'counts', '--input', bomb, '--name', 'x', '--data-dir', join(dir, 'import-bomb'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`passk import: ${bomb}: its ${mebibytes(statSync(bomb).size)} of gzip inflate to more than 512 MiB, the most passk reads from one file; refused (if the data is genuine, split it into smaller files)\n`);
  });

  it('passk coordinator refuses a tokens.json others may read, saying how to keep or replace it, and starts nothing', () => {
    const dataDir = join(dir, 'open-tokens');
    mkdirSync(dataDir);
    const tokens = join(dataDir, 'tokens.json');
    writeFileSync(tokens, JSON.stringify({ worker: 'pkw_0123456789abcdef', ui: 'pku_0123456789abcdef' }), { mode: 0o644 });
    const r = passk('coordinator', '--data-dir', dataDir, '--port', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`passk coordinator: ${tokens} is readable or writable by others than its owner (mode 0644): anyone on this machine may have read the tokens. `
      + `Run \`chmod 600 ${tokens}\` to keep them, or delete the file to make new ones (workers then need the new join command)\n`);
    expect(existsSync(join(dataDir, 'passk.sqlite'))).toBe(false);
  });

  it('passk worker --ca and passk coordinator --tls-cert/--tls-key name a FIFO instead of waiting for a writer', () => {
    const pem = fifo('cert-fifo.pem');
    const worker = passk('worker', '--join', 'ws://127.0.0.1:9', '--token', 'pkw_x', '--ca', pem);
    expect(worker.status).toBe(2);
    expect(worker.stderr).toBe(`passk worker: --ca: ${refusal(pem)}`);
    const cert = join(dir, 'cert.pem');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\n');
    const coordinator = passk('coordinator', '--tls-cert', cert, '--tls-key', pem, '--data-dir', join(dir, 'tls-data'));
    expect(coordinator.status).toBe(2);
    expect(coordinator.stderr).toBe(`passk coordinator: --tls-key: ${refusal(pem)}`);
  });
});

const model = testModelDir();

describe.skipIf(!model)('passk sample and score with a broken model folder', () => {
  it('says a FIFO --input is a FIFO before opening the model', () => {
    const input = fifo('problems-fifo.jsonl');
    for (const command of ['sample', 'score']) {
      const r = passk(command, '--model', model!, '--input', input);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`passk ${command}: --input ${input}: a FIFO (named pipe), not a regular file; passk reads only regular files (save the data to a file first)\n`);
    }
  });

  it('names a truncated model.onnx and says what to do, with no stack trace', () => {
    const folder = join(dir, 'truncated-model');
    cpSync(model!, folder, { recursive: true });
    const onnx = join(folder, 'onnx', 'model.onnx');
    truncateSync(onnx, 1_000_000);
    const r = passk('sample', '--model', folder, '--prompt', 'What is 1+1?', '--n', '1', '--ep', 'cpu', '--max-new-tokens', '2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^passk sample: ${onnx} \\(1000000 bytes\\): not a valid ONNX model, truncated or corrupt \\(.*\\); download it again and check its sha256 against the source\\n$`));
  });

  it('names a chat template with an unknown filter before sampling, and raw prompts still work', () => {
    const folder = join(dir, 'bad-template-model');
    cpSync(model!, folder, { recursive: true });
    const template = join(folder, 'chat_template.jinja');
    writeFileSync(template, "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content | frobnicate }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n");
    const args = ['--model', folder, '--prompt', 'What is 1+1?', '--n', '1', '--ep', 'cpu', '--max-new-tokens', '2'];
    const chat = passk('sample', ...args);
    expect(chat.status).toBe(2);
    expect(chat.stdout).toBe('');
    expect(chat.stderr).toBe(`passk sample: ${template}: the chat template fails: Unknown StringValue filter: frobnicate; fix the template or use --prompt-format raw or qwen-boxed\n`);
    const raw = passk('sample', ...args, '--prompt-format', 'raw');
    expect(raw.status).toBe(0);
    expect(raw.stdout).toContain('--- problem prompt · sample 0');
  });
});
