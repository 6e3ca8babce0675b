npm run bench:sampler -- --json --model /tmp/passk-shapes/20m-acc4 --n 1 --prompts 2 --max-new-tokens 32 --reps 3 --batches 1 --threads 1 --engines passk,llamacpp --dtypes q8_0,q4_0
