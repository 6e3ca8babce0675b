import { fileURLToPath } from 'node:url';

/**
 * The bundled models and benchmark. Resolved from this file, which sits two levels under the
 * project root both as source (src/node/) and bundled (out/cli/).
 */
export const RESOURCES_DIR = fileURLToPath(new URL('../../resources/', import.meta.url))
  // In the packaged app they are unpacked beside app.asar (electron-builder.yml): onnxruntime reads model files natively, past Electron's asar layer.
  .replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
export const BUNDLED_BENCHMARK = `${RESOURCES_DIR}benchmarks/chain-arithmetic-test.jsonl`;
export const bundledModelDir = (role: 'base' | 'rl' | 'distilled'): string => `${RESOURCES_DIR}models/${role}`;
/** The app's renderer as built by `npm run build` (out/renderer): what `passk coordinator --ui` serves to browsers. */
export const WEB_UI_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
