import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDecoderSignature } from '../../../workers/engine/decoder-signature.ts';
import { DecoderSession } from '../../../workers/engine/decoder-session.ts';
import { externalDataFiles, readModelFolder } from './read-model-folder.ts';
import { openEngine } from '../../../workers/engine/open-engine.ts';
import { testModelDir } from '../../../test/support/test-model.ts';

const model = testModelDir();
const temps: string[] = [];
afterEach(() => {
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});

/** A copy of the test model folder (ONNX linked, not copied) to break in one way. */
function copyModel(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'passk-model-'));
  temps.push(dir);
  for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    copyFileSync(join(src, f), join(dir, f));
  }
  mkdirSync(join(dir, 'onnx'));
  symlinkSync(join(src, 'onnx', 'model.onnx'), join(dir, 'onnx', 'model.onnx'));
  return dir;
}

describe('checkDecoderSignature', () => {
  const io = (names: string[]) => names.map((name) => ({ name, type: 'float32' }));
  const good = (layers: number) => ({
    inputs: io(['input_ids', 'attention_mask', 'position_ids',
      ...Array.from({ length: layers }, (_, l) => [`past_key_values.${l}.key`, `past_key_values.${l}.value`]).flat()]),
    outputs: io(['logits', ...Array.from({ length: layers }, (_, l) => [`present.${l}.key`, `present.${l}.value`]).flat()]),
  });

  it('accepts an Optimum decoder-with-past and reads its KV type', () => {
    const { inputs, outputs } = good(2);
    inputs[3] = { name: 'past_key_values.0.key', type: 'float16' };
    const r = checkDecoderSignature(inputs, outputs, 2, 'm.onnx');
    expect(r).toMatchObject({ ok: true, value: { kvType: 'float16', hasPositionIds: true, hasUseCacheBranch: false } });
  });

  it('lists what is missing and what is unexpected', () => {
    const { inputs, outputs } = good(2);
    const r = checkDecoderSignature(
      [...inputs.filter((i) => i.name !== 'attention_mask'), { name: 'token_type_ids', type: 'int64' }],
      outputs.filter((o) => o.name !== 'present.1.value'), 3, 'm.onnx',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toContain('m.onnx: not an Optimum decoder-with-past for 3 layers');
    expect(r.error).toContain('missing inputs: attention_mask, past_key_values.2.key, past_key_values.2.value');
    expect(r.error).toContain('missing outputs: present.1.value, present.2.key, present.2.value');
    expect(r.error).toContain('unexpected inputs: token_type_ids');
  });
});

describe('readModelFolder', () => {
  it('names a folder that is not there', () => {
    expect(readModelFolder('/nonexistent/model')).toMatchObject({ ok: false, error: expect.stringContaining('/nonexistent/model: not a folder') });
  });

  it('names the external data file an ONNX model needs and lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passk-model-'));
    temps.push(dir);
    // The protobuf bytes of an external-data entry: key "location", value "model.onnx_data".
    const entry = Buffer.concat([Buffer.from([0x0a, 0x08]), Buffer.from('location'), Buffer.from([0x12, 15]), Buffer.from('model.onnx_data')]);
    writeFileSync(join(dir, 'model.onnx'), Buffer.concat([Buffer.from([8, 7]), entry, entry]));
    expect(externalDataFiles(join(dir, 'model.onnx'))).toEqual(['model.onnx_data']);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(dir, f), '{}');
    expect(readModelFolder(dir)).toMatchObject({ ok: false, error: expect.stringContaining('its weights live in model.onnx_data, which is missing') });
  });

  it.skipIf(!model)('lists every missing file of a broken folder', () => {
    const dir = copyModel(model!);
    unlinkSync(join(dir, 'tokenizer.json'));
    unlinkSync(join(dir, 'onnx', 'model.onnx'));
    const r = readModelFolder(dir);
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('missing tokenizer.json, model.onnx or onnx/model*.onnx') });
  });

  it.skipIf(!model)('points at the bad field of config.json and at a non-tokenizer tokenizer.json', () => {
    const dir = copyModel(model!);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 'four' }));
    expect(readModelFolder(dir)).toMatchObject({ ok: false, error: expect.stringMatching(/config\.json: field num_hidden_layers/) });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'tokenizer.json'), '{"vocab": {}}');
    expect(readModelFolder(dir)).toMatchObject({ ok: false, error: expect.stringContaining('not a Hugging Face tokenizers file') });
  });

  it.skipIf(!model)('chooses dtype variants and asks for --dtype when it cannot', () => {
    const dir = copyModel(model!);
    const onnx = join(dir, 'onnx', 'model.onnx');
    symlinkSync(onnx, join(dir, 'onnx', 'model_q4.onnx'));
    symlinkSync(onnx, join(dir, 'onnx', 'model_fp16.onnx'));
    expect(readModelFolder(dir)).toMatchObject({ ok: true, value: { dtype: 'fp32' } });
    expect(readModelFolder(dir, { dtype: 'q4' })).toMatchObject({ ok: true, value: { dtype: 'q4', onnxPath: join(dir, 'onnx', 'model_q4.onnx') } });
    expect(readModelFolder(dir, { dtype: 'int8' })).toMatchObject({ ok: false, error: expect.stringContaining('no ONNX variant for --dtype int8; found onnx/model.onnx (fp32), onnx/model_fp16.onnx (fp16)') });
    unlinkSync(onnx);
    expect(readModelFolder(dir)).toMatchObject({ ok: false, error: expect.stringContaining('several ONNX variants and no model.onnx; choose one with --dtype') });
  });

  it.skipIf(!model)('reads a chat_template.jinja beside the tokenizer', () => {
    const dir = copyModel(model!);
    writeFileSync(join(dir, 'chat_template.jinja'), '{% for m in messages %}Q: {{ m.content }}\n{% endfor %}A:');
    const r = readModelFolder(dir);
    expect(r.ok && r.value.chatTemplate).toContain('Q: {{ m.content }}');
  });

  it.skipIf(!model)('rejects an ONNX model whose I/O does not match config.json, naming the names', async () => {
    const dir = copyModel(model!);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const layers = config.num_hidden_layers as number;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: layers + 1 }));
    const more = await openEngine(dir, { ep: 'cpu' });
    expect(more).toMatchObject({ ok: false, error: expect.stringContaining(`missing inputs: past_key_values.${layers}.key, past_key_values.${layers}.value`) });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: layers - 1 }));
    const folder = readModelFolder(dir);
    if (!folder.ok) throw new Error(folder.error);
    const fewer = await DecoderSession.open(folder.value, 'cpu');
    expect(fewer).toMatchObject({ ok: false, error: expect.stringContaining(`unexpected inputs: past_key_values.${layers - 1}.key`) });
  });

  it.skipIf(!model)('says how to get the CUDA EP when --ep cuda cannot load it', async () => {
    const r = await openEngine(model!, { ep: 'cuda' });
    if (r.ok) {
      expect(r.value.decoder.ep).toBe('cuda');
      await r.value.release();
      return;
    }
    expect(r.error).toContain('could not open with the cuda execution provider');
    expect(r.error).toContain('npm run setup:cuda');
    const auto = await openEngine(model!, { ep: 'auto' });
    expect(auto.ok && auto.value.decoder.ep).toBe('cpu');
    if (auto.ok) await auto.value.release();
  });
});

if (!model) {
  describe('model folder tests', () => {
    it.skip('need resources/models/base (the bundled model) or PASSK_TEST_MODEL', () => {});
  });
}
