// Writes the shipped test split from the TypeScript generator (the source of truth).
// usage: npx tsx tools/modelzoo/write-benchmark.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { TEST_SPLIT_FILE, generateTestSplit, toJsonl } from '../../src/core/benchmarks/chain-arithmetic.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const problems = generateTestSplit();
writeFileSync(path.join(root, TEST_SPLIT_FILE), toJsonl(problems));
console.log(`wrote ${problems.length} problems to ${TEST_SPLIT_FILE}`);
