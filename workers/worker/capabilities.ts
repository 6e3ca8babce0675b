import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Capabilities, ServerInfo } from '../../src/core/protocol/worker-protocol.ts';
import { CUDA_PROVIDER_LIB, ortBinaryDir } from '../engine/execution-provider.ts';
import { bwrapWorks } from '../verify/code/index.ts';

/**
 * What this machine offers: execution providers (CUDA when its EP library is installed; the
 * engine still falls back to the CPU, and says so, if it will not load), the first GPU as
 * nvidia-smi names it, cores, memory, and code verification only where the sandbox starts;
 * for a worker drawing from an inference server, that server as it found it.
 */
export function detectCapabilities(options: { slots: number; models: string[]; ep: 'auto' | 'cpu' | 'cuda' | 'webgpu'; server?: ServerInfo | null }): Capabilities {
  const cudaInstalled = existsSync(join(ortBinaryDir(), CUDA_PROVIDER_LIB));
  const eps: Capabilities['eps'] = options.ep === 'cpu' ? ['cpu'] : options.ep === 'cuda' ? ['cuda'] : options.ep === 'webgpu' ? ['webgpu'] : cudaInstalled ? ['cuda', 'cpu'] : ['cpu'];
  const sandbox = bwrapWorks();
  return {
    eps,
    gpu: detectGpu(),
    cores: availableParallelism(),
    memoryMb: Math.round(totalmem() / 2 ** 20),
    verify: sandbox ? ['math', 'code'] : ['math'],
    sandboxProblem: sandbox ? null : 'bubblewrap (bwrap) is missing or cannot create namespaces here, so this worker verifies math only',
    models: options.models,
    slots: options.slots,
    server: options.server ?? null,
  };
}

function detectGpu(): Capabilities['gpu'] {
  const smi = spawnSync('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 5000 });
  if (smi.status !== 0 || !smi.stdout) return null;
  const [name, memory] = smi.stdout.trim().split('\n')[0].split(',').map((s) => s.trim());
  return name ? { name, memoryMb: Number(memory) || 0 } : null;
}
