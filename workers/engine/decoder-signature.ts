import type { Result } from '../../src/core/result.ts';

/** What the engine learned about an ONNX decoder's inputs and outputs. */
export interface DecoderSignature {
  numLayers: number;
  kvType: 'float32' | 'float16';
  logitsType: 'float32' | 'float16';
  hasPositionIds: boolean;
  /** Optimum "merged" decoders switch branches on this bool input. */
  hasUseCacheBranch: boolean;
  /** Newer exports take how many final positions to return logits for (0 = all). */
  logitsToKeepName: 'logits_to_keep' | 'num_logits_to_keep' | null;
}

export interface IoInfo {
  name: string;
  type?: string;
}

const OPTIONAL_INPUTS = new Set(['position_ids', 'use_cache_branch', 'logits_to_keep', 'num_logits_to_keep']);

/**
 * Checks an Optimum "text-generation-with-past" signature (docs/architecture.md, "The engine
 * and its paths") against the layer count from config.json and names everything missing or
 * unexpected in one message.
 */
export function checkDecoderSignature(
  inputs: readonly IoInfo[], outputs: readonly IoInfo[], numLayers: number, where: string,
): Result<DecoderSignature> {
  const problems: string[] = [];
  const inNames = new Set(inputs.map((i) => i.name));
  const outNames = new Set(outputs.map((o) => o.name));
  const wantIn = ['input_ids', 'attention_mask'];
  const wantOut = ['logits'];
  for (let l = 0; l < numLayers; l++) {
    wantIn.push(`past_key_values.${l}.key`, `past_key_values.${l}.value`);
    wantOut.push(`present.${l}.key`, `present.${l}.value`);
  }
  const missingIn = wantIn.filter((n) => !inNames.has(n));
  const missingOut = wantOut.filter((n) => !outNames.has(n));
  const known = new Set([...wantIn, ...OPTIONAL_INPUTS]);
  const unexpectedIn = [...inNames].filter((n) => !known.has(n));
  const unexpectedOut = [...outNames].filter((n) => !wantOut.includes(n));
  if (missingIn.length) problems.push(`missing inputs: ${abbreviate(missingIn)}`);
  if (missingOut.length) problems.push(`missing outputs: ${abbreviate(missingOut)}`);
  if (unexpectedIn.length) problems.push(`unexpected inputs: ${abbreviate(unexpectedIn)}`);
  if (unexpectedOut.length) problems.push(`unexpected outputs: ${abbreviate(unexpectedOut)}`);
  const kvType = inputs.find((i) => i.name === 'past_key_values.0.key')?.type ?? 'float32';
  const logitsType = outputs.find((o) => o.name === 'logits')?.type ?? 'float32';
  if (kvType !== 'float32' && kvType !== 'float16') problems.push(`past_key_values type ${kvType} (engine supports float32, float16)`);
  if (logitsType !== 'float32' && logitsType !== 'float16') problems.push(`logits type ${logitsType} (engine supports float32, float16)`);
  if (problems.length > 0) {
    return {
      ok: false,
      error: `${where}: not an Optimum decoder-with-past for ${numLayers} layers (config.json): ${problems.join('; ')}. `
        + 'Export with `optimum-cli export onnx --task text-generation-with-past`.',
    };
  }
  return {
    ok: true,
    value: {
      numLayers,
      kvType: kvType as 'float32' | 'float16',
      logitsType: logitsType as 'float32' | 'float16',
      hasPositionIds: inNames.has('position_ids'),
      hasUseCacheBranch: inNames.has('use_cache_branch'),
      logitsToKeepName: inNames.has('logits_to_keep') ? 'logits_to_keep' : inNames.has('num_logits_to_keep') ? 'num_logits_to_keep' : null,
    },
  };
}

function abbreviate(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 6).join(', ')}, … (${names.length} in all)`;
}
