npm run bench:sampler -- --json --model /tmp/passk-shapes/20m --n 64 --prompts 2 --max-new-tokens 32 --reps 3 --batches 64 --threads 1 --engines passk,llamacpp
