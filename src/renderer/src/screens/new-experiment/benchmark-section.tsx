import type { BenchmarkPreview } from '../../../../core/protocol/ui-app-requests.ts';
import { useRequest, type Loadable } from '../../client/client-context.tsx';
import { integer } from '../../ui/format.ts';
import { ErrorNotice, Loading } from '../../ui/states.tsx';
import { useDebounced } from '../../ui/use-debounced.ts';
import type { ArchiveFiles } from '../archive-files.ts';
import type { ExperimentDraft, FieldError } from './experiment-draft.ts';
import { FieldErrors } from './field-errors.tsx';

type Options = { bundled: { name: string; problems: number }[]; presets: { name: string; kind: string; description: string }[] };

export function BenchmarkSection({ draft, set, options, files, errors }: {
  draft: ExperimentDraft; set: (change: Partial<ExperimentDraft>) => void; options: Options; files: ArchiveFiles; errors: FieldError[];
}) {
  const spec = draft.source === 'file' && draft.file.trim() !== ''
    ? { benchmark: { file: draft.file.trim(), ...(draft.read === 'preset' ? { preset: draft.preset } : draft.read === 'map' && draft.map.trim() ? { map: draft.map.trim() } : {}) } }
    : null;
  const settled = useDebounced(spec, 400);
  const preview = useRequest('benchmark:preview', settled);
  const bundled = options.bundled[0];
  return (
    <fieldset className="form-section">
      <legend>Benchmark</legend>
      <div className="radio-row">
        <label className="radio"><input type="radio" name="source" checked={draft.source === 'bundled'} onChange={() => set({ source: 'bundled' })} /> Bundled: {bundled?.name} ({integer(bundled?.problems ?? 0)} problems)</label>
        <label className="radio"><input type="radio" name="source" checked={draft.source === 'file'} onChange={() => set({ source: 'file' })} /> A file (JSONL, JSON, CSV, Parquet)</label>
      </div>
      {draft.source === 'file' && (
        <>
          <div className="field-row">
            <label className="field grow">File on the coordinator's machine <input value={draft.file} onChange={(e) => set({ file: e.target.value })} placeholder="/data/benchmarks/math500-test.jsonl" spellCheck={false} /></label>
            {files.native && <button type="button" onClick={() => void files.chooseBenchmark().then((f) => f && set({ file: f }))}>Choose…</button>}
          </div>
          <div className="field-row">
            <label className="field">Read it with
              <select value={draft.read} onChange={(e) => set({ read: e.target.value as ExperimentDraft['read'] })}>
                <option value="preset">a preset</option><option value="map">a field map</option><option value="as-is">its own fields (id, problem, answer)</option>
              </select>
            </label>
            {draft.read === 'preset' && (
              <label className="field">Preset
                <select value={draft.preset} onChange={(e) => set({ preset: e.target.value })}>
                  {options.presets.map((p) => <option key={p.name} value={p.name}>{p.name} ({p.kind})</option>)}
                </select>
              </label>
            )}
            {draft.read === 'map' && <label className="field grow">Field map <input value={draft.map} onChange={(e) => set({ map: e.target.value })} placeholder="problem=question,answer=final,id=uid" spellCheck={false} /></label>}
          </div>
          {draft.read === 'preset' && <p className="muted small">{options.presets.find((p) => p.name === draft.preset)?.description}</p>}
          {spec !== null && <Preview preview={preview} />}
        </>
      )}
      <div className="field-row">
        <label className="field">Problems <input inputMode="numeric" value={draft.limit} onChange={(e) => set({ limit: e.target.value })} aria-describedby="limit-help" /></label>
        <p id="limit-help" className="muted small">spread evenly over the benchmark; 0 = all</p>
      </div>
      <FieldErrors errors={errors} />
    </fieldset>
  );
}

function Preview({ preview }: { preview: Loadable<BenchmarkPreview> }) {
  if (preview.status === 'loading') return <Loading what="a preview" />;
  if (preview.status === 'error') return <ErrorNotice title="Cannot read this file" error={preview.error} hint="Check the path (it is read on the coordinator's machine) and the format." />;
  const p = preview.value;
  return (
    <div className="preview">
      <p className="small">{integer(p.records)} records · fields: {p.fields.map((f) => <code key={f} className="field-name">{f}</code>)}</p>
      {p.error && <ErrorNotice title="The records do not map to problems" error={p.error} hint="Pick another preset, or write a field map from the fields above (problem=…, answer=…, id=…)." />}
      {p.problems.length > 0 && (
        <table className="table compact">
          <caption>First problems as the run will read them</caption>
          <thead><tr><th scope="col">id</th><th scope="col">problem</th><th scope="col">gold</th></tr></thead>
          <tbody>{p.problems.map((q) => <tr key={q.id}><td><code>{q.id}</code></td><td className="clip">{q.problem}</td><td><code>{q.answer ?? '(tests)'}</code></td></tr>)}</tbody>
        </table>
      )}
      <details><summary>Raw records</summary>{p.raw.map((r) => <pre key={r.line} className="raw-record">{r.line}: {r.json}</pre>)}</details>
    </div>
  );
}
