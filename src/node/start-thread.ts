import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` that sits beside the caller (`from`: its
 * import.meta.url). From source (tsx), a thread does not inherit the main thread's
 * TypeScript loader, so it registers tsx before importing `name`.ts; bundled, `bundled`
 * (an entry of cli/bundle.ts) sits beside the caller's chunk.
 */
export function startThread(from: string, name: string, bundled: string, workerData: unknown): Worker {
  if (from.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(new URL(`./${name}.ts`, from).href)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData });
  }
  return new Worker(new URL(`./${bundled}.mjs`, from), { workerData });
}
