import { useEffect, useState } from 'react';
import { useClient, useRequest } from '../../client/client-context.tsx';
import { navigate, runHref } from '../../routes.ts';
import { compact, duration, integer } from '../../ui/format.ts';
import { ErrorNotice, Loaded } from '../../ui/states.tsx';
import { useDebounced } from '../../ui/use-debounced.ts';
import { Card } from '../../ui/widgets.tsx';
import type { ArchiveFiles } from '../archive-files.ts';
import { BenchmarkSection } from './benchmark-section.tsx';
import { draftOfRun, errorsByField, isBundledBenchmark, errorsFor, initialDraft, newModelDraft, specOfDraft, type ExperimentDraft, type FieldError } from './experiment-draft.ts';
import { FieldErrors } from './field-errors.tsx';
import { ModelsSection } from './models-section.tsx';
import { SamplingSection } from './sampling-section.tsx';

/** Benchmark, models, sampling and k; the cost and ETA as the coordinator works them out; Launch. */
export function NewExperimentScreen({ files, from = null }: { files: ArchiveFiles; from?: string | null }) {
  const options = useRequest('experiment:options', {});
  // Clone as new experiment: the run's own record of how it was made (run:analysis carries it).
  const source = useRequest('run:analysis', from === null ? null : { runId: from });
  return (
    <div className="screen">
      <header className="screen-header"><h1>New experiment</h1></header>
      <Loaded data={options} what="the benchmarks and presets">
        {(o) => from === null ? <ExperimentForm options={o} files={files} />
          : source.status === 'ok' ? (
            <>
              <p className="notice" role="status" data-testid="clone-notice">
                Cloned from run <a href={runHref(source.value.run.id, 'results')}>{source.value.run.name}</a>: its models, prompts, n, problems, sampling seed and the settings it resolved
                {isBundledBenchmark(source.value.run.benchmark, o.bundled.map((b) => b.name)) ? `, on the bundled ${o.bundled.map((b) => b.name).join(', ')}.` : <> — choose the benchmark file again (the run keeps its name, {source.value.run.benchmark}, not its path).</>}
              </p>
              <ExperimentForm options={o} files={files} initial={draftOfRun(source.value.run, o.bundled.map((b) => b.name))} />
            </>
          )
          : source.status === 'error' ? <ErrorNotice title="Could not read the run to clone" error={source.error} onRetry={source.reload} />
          : <p className="muted" role="status">Reading the run to clone…</p>}
      </Loaded>
    </div>
  );
}

type Options = { bundled: { name: string; problems: number }[]; bundledModels: { role: 'base' | 'rl' | 'distilled' | 'other'; folder: string }[]; presets: { name: string; kind: 'math' | 'code'; description: string }[] };

function ExperimentForm({ options, files, initial }: { options: Options; files: ArchiveFiles; initial?: ExperimentDraft }) {
  const client = useClient();
  const [draft, setDraft] = useState<ExperimentDraft>(() => initial ?? ({ ...initialDraft(), models: options.bundledModels.map((b) => newModelDraft(b.folder, b.role)) }));
  const set = (change: Partial<ExperimentDraft>) => setDraft((d) => ({ ...d, ...change }));
  const spec = specOfDraft(draft);
  const settled = useDebounced(spec.ok ? spec.value : null, 500);
  const check = useRequest('experiment:check', settled === null ? null : { spec: settled });
  const [launching, setLaunching] = useState(false);
  const [launchError, setLaunchError] = useState<string | null>(null);
  useEffect(() => setLaunchError(null), [JSON.stringify(spec)]); // eslint-disable-line react-hooks/exhaustive-deps

  const errors: FieldError[] = !spec.ok ? spec.errors
    : launchError !== null ? errorsByField(launchError.split('\n'))
    : check.status === 'error' ? errorsByField(check.error.split('\n')) : [];
  // The answer is about what the form holds now (not a spec from before the last keystroke).
  const current = spec.ok && settled !== null && JSON.stringify(settled) === JSON.stringify(spec.value);
  const checked = current && check.status === 'ok';

  const launch = async () => {
    if (!spec.ok) return;
    setLaunching(true);
    const answer = await client.request('run:create', { spec: spec.value });
    setLaunching(false);
    if (answer.ok) navigate(runHref(answer.value.id));
    else setLaunchError(answer.error);
  };

  return (
    <form className="experiment-form" onSubmit={(e) => { e.preventDefault(); void launch(); }}>
      <div className="form-main">
        <label className="field">Name <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="default: the benchmark and the time" /></label>
        <BenchmarkSection draft={draft} set={set} options={options} files={files} errors={[...errorsFor(errors, 'benchmark'), ...errorsFor(errors, 'limit'), ...errorsFor(errors, 'verifier')]} />
        <ModelsSection draft={draft} set={set} bundledModels={options.bundledModels} files={files} errors={errors} />
        <SamplingSection draft={draft} set={set} errors={errors} />
      </div>
      <aside className="form-side">
        <Card title="Cost" className="cost-card">
          {!spec.ok ? <p className="muted">Complete the form to see the cost.</p>
            : check.status === 'loading' || !current ? <p className="muted" role="status">Checking the experiment on the coordinator…</p>
            : check.status === 'error' ? <p className="text-danger">The coordinator would refuse this experiment; see below.</p>
            : (
              <dl className="cost">
                <div><dt>Problems</dt><dd>{integer(check.value.problems)}</dd></div>
                <div><dt>Samples</dt><dd>{integer(check.value.samples)} <span className="muted small">({check.value.models.length} models × n)</span></dd></div>
                <div><dt>Tokens, at most</dt><dd>{compact(check.value.maxTokens)}</dd></div>
                <div><dt>Workers</dt><dd>{check.value.workers === 0 ? 'none connected' : `${check.value.workers} connected`}{check.value.samplesPerSecond !== null ? `, ${check.value.samplesPerSecond.toFixed(1)} samples/s measured` : ''}</dd></div>
                <div><dt>ETA</dt><dd>{check.value.etaSeconds === null ? <span className="muted small">unknown until a worker has finished a shard</span> : duration(check.value.etaSeconds)}</dd></div>
              </dl>
            )}
          {checked && check.status === 'ok' && (
            <ul className="plain-list small settings-used">
              {check.value.models.map((m) => <li key={m.id}><strong>{m.id}</strong> ({m.role}): {m.promptFormat}, T {m.temperature}, top-p {m.topP}{m.topK ? `, top-k ${m.topK}` : ''}, ≤ {integer(m.maxNewTokens)} tokens</li>)}
            </ul>
          )}
          <FieldErrors errors={errors.filter((e) => e.field === '(spec)')} />
          {launchError && <p className="text-danger small" role="alert">Not launched: fix the fields marked above.</p>}
          <button type="submit" className="primary launch" disabled={!checked || check.status !== 'ok' || launching}>{launching ? 'Launching…' : 'Launch'}</button>
        </Card>
      </aside>
    </form>
  );
}
