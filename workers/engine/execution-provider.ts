import ort from 'onnxruntime-node';
import type { Result } from './model-folder.ts';

export const EP_CHOICES = ['auto', 'cpu', 'cuda', 'webgpu'] as const;
export type EpChoice = (typeof EP_CHOICES)[number];
export type EpName = Exclude<EpChoice, 'auto'>;

const HINTS: Record<EpName, string> = {
  cpu: '',
  cuda: 'The CUDA EP is not installed by `npm install`; run `npm run setup:cuda` (needs an NVIDIA driver and CUDA 12 or 13 libraries).',
  webgpu: 'This onnxruntime-node build may lack the WebGPU EP on this platform; use --ep cpu or cuda.',
};

async function tryCreate(path: string, ep: EpName, threads?: number): Promise<Result<ort.InferenceSession>> {
  try {
    const session = await ort.InferenceSession.create(path, {
      // Only the named EP: if it cannot load, the caller hears so instead of a silent CPU run.
      executionProviders: [ep],
      graphOptimizationLevel: 'all',
      ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
    });
    return { ok: true, value: session };
  } catch (error) {
    const hint = HINTS[ep];
    return { ok: false, error: `${path}: could not open with the ${ep} execution provider: ${(error as Error).message.trim()}${hint ? `\n${hint}` : ''}` };
  }
}

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
  const cuda = await tryCreate(path, 'cuda', threads);
  if (cuda.ok) return { ok: true, value: { session: cuda.value, ep: 'cuda' } };
  const cpu = await tryCreate(path, 'cpu', threads);
  return cpu.ok ? { ok: true, value: { session: cpu.value, ep: 'cpu', fallback: cuda.error } } : cpu;
}
