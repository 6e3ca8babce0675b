npm run bench:sampler -- --json --model /tmp/passk-shapes/20m --n 1 --prompts 2 --max-new-tokens 64 --reps 3 --batches 1 --threads 1 --engines passk,llamacpp
