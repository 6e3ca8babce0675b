import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { parseFieldMapping } from '../src/core/datasets/field-mapping.ts';
import { findPreset, presetFromMapping, presets, type DatasetPreset } from '../src/core/datasets/presets.ts';
import { datasetSources, findSource } from '../src/core/datasets/registry.ts';
import { datasetCacheDir } from '../src/node/datasets/dataset-files.ts';
import { fetchDataset } from '../src/node/datasets/fetch-dataset.ts';
import { DEFAULT_MAX_RECORD_BYTES, loadDataset, writeProblems } from '../src/node/datasets/import-dataset.ts';
import { FileWriteError } from '../src/node/fs/write-file-atomic.ts';
import { num } from './options.ts';
import { sameFile } from '../src/node/fs/same-file.ts';
import type { DatasetFormat } from '../src/node/datasets/read-records.ts';

const usage = `Usage: passk datasets <list | preview | import | fetch> …

  passk datasets list
      presets and the public sources fetch knows (with their pinned sha256)
  passk datasets preview FILE (--preset NAME | --map SPEC) [--limit N] [--format F] [--max-record-mb M]
      map FILE and print the first N records (default 3) as JSON
  passk datasets import FILE (--preset NAME | --map SPEC) --out OUT.jsonl [--format F] [--max-record-mb M]
      map every record and write them as JSONL; one bad record refuses the whole file
      (file:line in the message) and OUT is not touched. OUT is replaced when it is a
      regular file (atomically: temp file + rename); its folder must exist, and anything
      else there (a device such as /dev/null, a FIFO, a folder, a symbolic link, FILE
      itself) is refused
  passk datasets fetch NAME [--url URL] [--out DIR] [--allow-unpinned]
      download a registry file into DIR (default: datasets/ in the cache folder, where the
      tests look: ~/.cache/passk-lab/datasets on Linux, PASSK_CACHE_DIR/datasets when set),
      verify its sha256 and write it atomically; --url downloads from a mirror, still checked
      against the pin. It prints the file's path

Formats: .jsonl, .json, .csv, .parquet, each optionally .gz (or --format jsonl|json|csv|parquet).
FILE must be a regular file of at most 512 MiB, also once inflated (a FIFO or a device is refused).
--max-record-mb M: the most one record's compressed payload (LiveCodeBench's private tests)
may inflate to, in MiB (default ${DEFAULT_MAX_RECORD_BYTES / 1048576}); past it the file is refused.
--map SPEC is TARGET=SOURCE pairs for a math set, e.g. "problem=question,answer=final,id=uid"
(SOURCE may be a dot path such as meta.id).

Exit codes: 0 done, 1 bad file or failed download, 2 bad options.`;

function presetOption(values: Record<string, unknown>): DatasetPreset {
  if (typeof values.preset === 'string') {
    const preset = findPreset(values.preset);
    if (!preset) throw new UsageError(`unknown preset "${values.preset}"; one of: ${presets.map((p) => p.name).join(', ')}`);
    return preset;
  }
  if (typeof values.map === 'string') {
    const mapping = parseFieldMapping(values.map);
    if (!mapping.ok) throw new UsageError(`--map: ${mapping.error}`);
    return presetFromMapping(mapping.value);
  }
  throw new UsageError('give --preset NAME or --map SPEC; see `passk datasets --help`');
}

function formatOption(value: unknown): DatasetFormat | undefined {
  if (value === undefined) return undefined;
  if (value === 'jsonl' || value === 'json' || value === 'csv' || value === 'parquet') return value;
  throw new UsageError(`--format must be jsonl, json, csv or parquet, not "${String(value)}"`);
}

function fileArgument(positionals: string[], action: string): string {
  const file = positionals[1];
  if (file === undefined || positionals.length > 2) throw new UsageError(`usage: passk datasets ${action} FILE …`);
  return file;
}

function list(): number {
  const lines = ['Presets:'];
  for (const p of presets) lines.push(`  ${p.name.padEnd(15)} ${p.kind.padEnd(5)} ${p.description}`);
  lines.push('', 'Sources (passk datasets fetch NAME):');
  for (const s of datasetSources) {
    lines.push(`  ${s.name.padEnd(15)} ${s.sha256 ?? 'unverified (needs --allow-unpinned)'}`, `  ${''.padEnd(15)} ${s.url}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

export const datasets: Command = {
  summary: 'import, preview and fetch benchmark files (JSONL, JSON, CSV, Parquet)',
  usage,
  allowPositionals: true,
  options: {
    preset: { type: 'string' },
    map: { type: 'string' },
    limit: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    url: { type: 'string' },
    'allow-unpinned': { type: 'boolean' },
    'max-record-mb': { type: 'string' },
  },
  async run(values, positionals) {
    const action = positionals[0];
    if (action === 'list') return list();
    if (action === 'preview' || action === 'import') {
      const file = fileArgument(positionals, action);
      const preset = presetOption(values);
      const format = formatOption(values.format);
      const out = values.out;
      if (action === 'import' && (typeof out !== 'string' || out === '')) throw new UsageError('import needs --out FILE.jsonl');
      let limit = 3;
      if (typeof values.limit === 'string') {
        limit = Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, not "${values.limit}"`);
      }
      if (action === 'import' && sameFile(file, out as string)) {
        throw new UsageError(`--out ${String(out)} is the input file; write the problems to another file`);
      }
      const maxRecordMb = num(values, 'max-record-mb', false, 1);
      const maxRecordBytes = maxRecordMb === undefined ? undefined : Math.round(maxRecordMb * 1048576);
      const loaded = await loadDataset(file, preset, format, { maxRecordBytes });
      if (!loaded.ok) {
        process.stderr.write(`passk datasets: ${loaded.error}\n`);
        return 1;
      }
      if (action === 'preview') {
        for (const p of loaded.value.slice(0, limit)) process.stdout.write(JSON.stringify(p, null, 2) + '\n');
        process.stderr.write(`${loaded.value.length} records map cleanly with preset ${preset.name}\n`);
        return 0;
      }
      try {
        await writeProblems(out as string, loaded.value);
      } catch (error) {
        if (!(error instanceof FileWriteError)) throw error;
        process.stderr.write(`passk datasets: --out ${error.message}; nothing was written\n`);
        return 1;
      }
      process.stderr.write(`wrote ${loaded.value.length} ${preset.kind} problems to ${String(out)}\n`);
      return 0;
    }
    if (action === 'fetch') {
      const name = positionals[1];
      if (name === undefined || positionals.length > 2) throw new UsageError('usage: passk datasets fetch NAME [--url URL] [--out DIR]');
      const source = findSource(name);
      if (!source) throw new UsageError(`unknown dataset "${name}"; one of: ${datasetSources.map((s) => s.name).join(', ')}`);
      const result = await fetchDataset(source, {
        url: typeof values.url === 'string' ? values.url : undefined,
        outDir: typeof values.out === 'string' ? values.out : datasetCacheDir(),
        allowUnpinned: values['allow-unpinned'] === true,
      });
      if (!result.ok) {
        process.stderr.write(`passk datasets fetch: ${result.error}\n`);
        return 1;
      }
      const { path, sha256, bytes, verified } = result.value;
      process.stdout.write(`${path}\n`);
      process.stderr.write(`${bytes} bytes, sha256 ${sha256} ${verified ? '(matches the pin)' : '(UNVERIFIED: no pin)'}\n`);
      return 0;
    }
    throw new UsageError('give an action: list, preview, import or fetch; see `passk datasets --help`');
  },
};
