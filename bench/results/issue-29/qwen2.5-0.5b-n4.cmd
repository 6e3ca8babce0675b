npm run bench:sampler -- --json --model /tmp/passk-shapes/qwen2.5-0.5b --n 4 --prompts 1 --max-new-tokens 32 --reps 3 --batches 4 --threads 1 --engines passk,llamacpp
