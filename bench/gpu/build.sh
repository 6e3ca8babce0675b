#!/usr/bin/env bash
# Bundles the Node side of the GPU measurement into one file that needs only
# onnxruntime-node at run time (resolved through NODE_PATH on the device, which the
# workplace's GPU staging scripts set up; they are not part of this repository). Output: bench/gpu/dist/resident-bench.cjs (untracked; it
# travels to the device with the working tree).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx esbuild bench/gpu/resident-bench.ts --bundle --platform=node --format=cjs --target=node20 \
  --external:onnxruntime-node --define:import.meta.url=__passk_url \
  --banner:js="const __passk_url = require('url').pathToFileURL(__filename).href;" \
  --log-level=warning --outfile=bench/gpu/dist/resident-bench.cjs
ls -l bench/gpu/dist/resident-bench.cjs
