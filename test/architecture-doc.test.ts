import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Comments cite the design as docs/architecture.md followed by a heading in double quotes;
// each must name a section that exists, so renaming one cannot leave the code pointing at nothing.
const DOC = readFileSync('docs/architecture.md', 'utf8');
const headings = [...DOC.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist' || name === 'out') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|cjs|mjs|py|sh)$/.test(name) ? [path] : [];
  });
}

describe('docs/architecture.md', () => {
  it('has every section the code cites', () => {
    const files = ['src', 'workers', 'cli', 'bin', 'scripts', 'tools', 'bench', 'test'].flatMap(sources).concat('.dependency-cruiser.cjs');
    const cited: string[] = [];
    const missing: string[] = [];
    for (const file of files) {
      // A citation may wrap onto the next comment line.
      const text = readFileSync(file, 'utf8').replace(/\n\s*(?:\*|\/\/|#)?\s*/g, ' ');
      for (const m of text.matchAll(/docs\/architecture\.md, "([^"]+)"/g)) {
        cited.push(`${file}: ${m[1]}`);
        if (!headings.some((h) => h.startsWith(m[1]))) missing.push(`${file}: "${m[1]}"`);
      }
    }
    expect(missing).toEqual([]);
    expect(cited.length).toBeGreaterThanOrEqual(8);
  });
});
