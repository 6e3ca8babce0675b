npm run bench:sampler -- --json --model /tmp/passk-shapes/20m --n 16 --prompts 2 --max-new-tokens 32 --reps 3 --batches 16 --threads 1 --engines passk,llamacpp
