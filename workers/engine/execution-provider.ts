import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { Result } from '../../src/core/result.ts';

export const EP_CHOICES = ['auto', 'cpu', 'cuda', 'webgpu'] as const;
export type EpChoice = (typeof EP_CHOICES)[number];
export type EpName = Exclude<EpChoice, 'auto'>;

const HINTS: Record<EpName, string> = {
  cpu: '',
  cuda: 'The CUDA EP is not installed by `npm install`; run `npm run setup:cuda` (needs an NVIDIA driver and CUDA 12 or 13 libraries).',
  webgpu: 'This onnxruntime-node build may lack the WebGPU EP on this platform; use --ep cpu or cuda.',
};

async function tryCreate(path: string, ep: EpName, threads?: number, quiet = false): Promise<Result<ort.InferenceSession>> {
  try {
    const session = await ort.InferenceSession.create(path, {
      // Only the named EP: if it cannot load, the caller hears so instead of a silent CPU run.
      executionProviders: [ep],
      graphOptimizationLevel: 'all',
      // A probe in `auto` mode fails on every machine without a GPU: keep its log off stderr.
      ...(quiet ? { logSeverityLevel: 4 as const } : {}),
      ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
    });
    return { ok: true, value: session };
  } catch (error) {
    const message = (error as Error).message.trim();
    if (UNREADABLE_MODEL.test(message)) return { ok: false, error: unreadableModel(path, message) };
    const hint = HINTS[ep];
    return { ok: false, error: `${path}: could not open with the ${ep} execution provider: ${message}${hint ? `\n${hint}` : ''}` };
  }
}

/**
 * onnxruntime's words for bytes that do not parse as an ONNX model, whatever the EP. Not
 * every "Load model … failed": an operator an EP lacks fails there too, and is no corruption.
 */
const UNREADABLE_MODEL = /protobuf parsing failed|no graph was found in the protobuf|ModelProto does not have a graph/i;

/** A model file onnxruntime could not parse: most often cut short by a download or a full disk. */
function unreadableModel(path: string, why: string): string {
  let size = '';
  try {
    size = ` (${statSync(path).size} bytes)`;
  } catch {
    // Only the size is missing from the message.
  }
  return `${path}${size}: not a valid ONNX model, truncated or corrupt (${why.replace(/\s+/g, ' ')}); download it again and check its sha256 against the source`;
}

/** Where onnxruntime-node loads its native libraries (and EP plug-ins) from. */
export function ortBinaryDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

export const CUDA_PROVIDER_LIB = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';

/**
 * Opens a session on the chosen EP. `auto` tries CUDA and falls back to the CPU; the
 * result names the EP that actually loaded, and `fallback` why CUDA did not.
 */
export async function openSession(path: string, choice: EpChoice, threads?: number):
  Promise<Result<{ session: ort.InferenceSession; ep: EpName; fallback?: string }>> {
  if (choice !== 'auto') {
    const r = await tryCreate(path, choice, threads);
    return r.ok ? { ok: true, value: { session: r.value, ep: choice } } : r;
  }
  // Without the plug-in library the probe can only fail, after printing an error: skip it.
  let fallback = `CUDA EP not installed (${CUDA_PROVIDER_LIB} is not in ${ortBinaryDir()}; run \`npm run setup:cuda\`)`;
  if (existsSync(join(ortBinaryDir(), CUDA_PROVIDER_LIB))) {
    const cuda = await tryCreate(path, 'cuda', threads, true);
    if (cuda.ok) return { ok: true, value: { session: cuda.value, ep: 'cuda' } };
    fallback = cuda.error;
  }
  const cpu = await tryCreate(path, 'cpu', threads);
  return cpu.ok ? { ok: true, value: { session: cpu.value, ep: 'cpu', fallback } } : cpu;
}
