import { z } from 'zod';
import type { RunAnalysis } from '../../../../core/protocol/run-analysis-schema.ts';
import { routeHref } from '../../routes.ts';
import { Card, RoleChip } from '../../ui/widgets.tsx';

/** The store keeps a model's settings and prompt as the run resolved them; read what the card shows, tolerate the rest (imports record none). */
const settingsSchema = z.looseObject({
  temperature: z.number().optional(), topP: z.number().optional(), topK: z.number().optional(), maxNewTokens: z.number().optional(),
  stop: z.array(z.string()).optional(),
});
const promptSchema = z.looseObject({ format: z.string().optional(), template: z.string().nullable().optional() });

const shown = (v: number | undefined) => (v === undefined ? '—' : String(v));

/**
 * How the run was made, as the coordinator resolved it (`run:analysis`): the sampling seed
 * (not the bootstrap's), the verifier, and per model its folder with the sha256 of its files,
 * dtype, sampling settings and prompt format and template. What `passk runs show` gives.
 */
export function RunConfigSection({ analysis }: { analysis: RunAnalysis }) {
  const { run } = analysis;
  return (
    <Card title="How this run was made" className="run-config" actions={<a className="button" href={routeHref({ screen: 'new', from: run.id })}>Clone as new experiment</a>}>
      <dl className="stats-row">
        <div><dt>benchmark</dt><dd>{run.benchmark}</dd></div>
        <div><dt>verifier</dt><dd>{run.verifier}</dd></div>
        <div><dt>problems × n</dt><dd>{run.problems} × {run.n}</dd></div>
        <div><dt>sampling seed</dt><dd><code>{run.seed}</code></dd></div>
        <div><dt>made by</dt><dd>{run.origin.tool}</dd></div>
      </dl>
      <div className="table-scroll">
        <table className="table compact" data-testid="run-config-table">
          <caption>Each model as the run resolved it: settings from the spec, else the folder's generation_config.json</caption>
          <thead>
            <tr>
              <th scope="col">model</th><th scope="col">folder</th><th scope="col">dtype</th>
              <th scope="col" className="num">temperature</th><th scope="col" className="num">top-p</th><th scope="col" className="num">top-k</th><th scope="col" className="num">max tokens</th>
              <th scope="col">prompt</th>
            </tr>
          </thead>
          <tbody>
            {run.models.map((m) => {
              const s = settingsSchema.safeParse(m.settings ?? {});
              const p = promptSchema.safeParse(m.prompt ?? {});
              const settings = s.success ? s.data : {};
              const prompt = p.success ? p.data : {};
              return (
                <tr key={m.id} data-model={m.id}>
                  <th scope="row"><RoleChip role={m.role} model={m.label ?? m.id} /></th>
                  <td><code className="path">{m.folder || '—'}</code>{m.sha256 && <div className="muted small digest" title={m.sha256}>sha256 <code>{m.sha256.slice(0, 16)}…</code></div>}</td>
                  <td>{m.dtype || '—'}</td>
                  <td className="num" data-field="temperature">{shown(settings.temperature)}</td>
                  <td className="num" data-field="topP">{shown(settings.topP)}</td>
                  <td className="num" data-field="topK">{shown(settings.topK)}</td>
                  <td className="num" data-field="maxNewTokens">{shown(settings.maxNewTokens)}</td>
                  <td data-field="prompt">
                    {prompt.format ?? '—'}
                    {prompt.template && <details><summary>template</summary><pre className="prompt-template">{prompt.template}</pre></details>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small">Execution providers and the workers that drew each shard are not shown here yet: <code>passk runs show {run.name}</code> lists the shards and their workers.</p>
    </Card>
  );
}
