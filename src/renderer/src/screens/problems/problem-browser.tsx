import { useCallback, useEffect, useState } from 'react';
import type { ProblemRow, SampleListRow } from '../../../../core/protocol/ui-app-requests.ts';
import type { RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { useClient, useRequest } from '../../client/client-context.tsx';
import { navigate, runHref, type ProblemsQuery } from '../../routes.ts';
import { integer } from '../../ui/format.ts';
import { usePagedRows, VirtualList } from '../../ui/paged-list.tsx';
import { Empty, ErrorNotice, Loaded } from '../../ui/states.tsx';
import { RoleChip } from '../../ui/widgets.tsx';
import { SampleViewer } from './sample-viewer.tsx';

type Verdict = 'all' | 'correct' | 'incorrect' | 'unverified';

/**
 * Problems with c/n per model, filtered by who solved them; one problem's samples per
 * model; one sample's text, verdict and label. Lists are windowed and pages come from the
 * coordinator's SQL, so a run of any size scrolls the same.
 */
export function ProblemBrowser({ run, query, notify }: { run: RunSummary; query: ProblemsQuery; notify: (message: string, tone?: 'ok' | 'error') => void }) {
  const client = useClient();
  const go = (change: Partial<ProblemsQuery>) => navigate(runHref(run.id, 'problems', { ...query, ...change }));
  const [search, setSearch] = useState(query.search);
  useEffect(() => setSearch(query.search), [query.search]);
  useEffect(() => {
    if (search === query.search) return;
    const timer = setTimeout(() => go({ search, problem: null, sample: null }), 300);
    return () => clearTimeout(timer);
  });

  const filterKey = JSON.stringify([run.id, query.solvedBy, query.unsolvedBy, query.search, query.level, query.subject]);
  const fetchProblems = useCallback((offset: number, limit: number) => client.request('run:problems', {
    runId: run.id, offset, limit, solvedBy: query.solvedBy, unsolvedBy: query.unsolvedBy, search: query.search,
    ...(query.level !== null ? { level: query.level } : {}), ...(query.subject !== null ? { subject: query.subject } : {}),
  }), [client, filterKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const groups = useRequest('run:problem-groups', { runId: run.id });
  const problems = usePagedRows<ProblemRow>(filterKey, fetchProblems);
  const [selectedIndex, setSelectedIndex] = useState<number | null>(null);
  useEffect(() => setSelectedIndex(null), [filterKey]);

  const models = run.models;
  const stateOf = (id: string) => (query.solvedBy.includes(id) ? 'solved' : query.unsolvedBy.includes(id) ? 'unsolved' : 'any');
  const setModelFilter = (id: string, state: string) => go({
    solvedBy: [...query.solvedBy.filter((m) => m !== id), ...(state === 'solved' ? [id] : [])],
    unsolvedBy: [...query.unsolvedBy.filter((m) => m !== id), ...(state === 'unsolved' ? [id] : [])],
    problem: null, sample: null,
  });

  return (
    <div className="problem-browser">
      <aside className="problem-pane" aria-label="Problems">
        <div className="filters">
          <label className="field">Search <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="id or text" /></label>
          <div className="quick-filters" role="group" aria-label="Quick filters">
            <button type="button" onClick={() => go({ solvedBy: [], unsolvedBy: models.map((m) => m.id), problem: null, sample: null })}>Never solved</button>
            {models.map((m) => (
              <button key={m.id} type="button" onClick={() => go({ solvedBy: [m.id], unsolvedBy: models.filter((o) => o.id !== m.id).map((o) => o.id), problem: null, sample: null })}>Only {m.id}</button>
            ))}
            <button type="button" onClick={() => go({ solvedBy: [], unsolvedBy: [], search: '', level: null, subject: null, problem: null, sample: null })}>All</button>
          </div>
          {groups.status === 'error' && <p className="text-danger small" role="alert">Could not list the levels: {groups.error}</p>}
          {groups.status === 'ok' && (groups.value.levels.length > 0 || groups.value.subjects.length > 0) && (
            <div className="group-filters">
              {groups.value.levels.length > 0 && (
                <label className="field-inline">Level
                  <select aria-label="Level" value={query.level ?? ''} onChange={(e) => go({ level: e.target.value || null, problem: null, sample: null })}>
                    <option value="">any ({integer(groups.value.levels.reduce((sum, l) => sum + l.problems, 0) + groups.value.unlevelled)})</option>
                    {groups.value.levels.map((l) => <option key={l.name} value={l.name}>{l.name} ({integer(l.problems)})</option>)}
                  </select>
                </label>
              )}
              {groups.value.subjects.length > 0 && (
                <label className="field-inline">Subject
                  <select aria-label="Subject" value={query.subject ?? ''} onChange={(e) => go({ subject: e.target.value || null, problem: null, sample: null })}>
                    <option value="">any</option>
                    {groups.value.subjects.map((g) => <option key={g.name} value={g.name}>{g.name} ({integer(g.problems)})</option>)}
                  </select>
                </label>
              )}
            </div>
          )}
          <fieldset className="model-filters">
            <legend>Per model</legend>
            {models.map((m) => (
              <label key={m.id} className="field-inline">
                <RoleChip role={m.role} model={m.id} />
                <select value={stateOf(m.id)} onChange={(e) => setModelFilter(m.id, e.target.value)} aria-label={`${m.id}: solved or not`}>
                  <option value="any">any</option>
                  <option value="solved">solved</option>
                  <option value="unsolved">never solved</option>
                </select>
              </label>
            ))}
          </fieldset>
          <p className="muted small" role="status">{problems.total === null ? 'Counting…' : `${integer(problems.total)} problems`}</p>
          <p className="muted small">Correct of verified samples (c/n), per model: {models.map((m) => m.id).join(', ')}.</p>
        </div>
        {problems.error && <ErrorNotice title="Could not list the problems" error={problems.error} />}
        {problems.total === 0 && <Empty title="No problem matches">Loosen the filters, or press All.</Empty>}
        {problems.total !== null && problems.total > 0 && (
          <VirtualList<ProblemRow> label="Problems" total={problems.total} rowHeight={64} height={520} get={problems.get} ensure={problems.ensure}
            selected={selectedIndex ?? null} idOf={(i) => `problem-row-${i}`}
            onSelect={(i) => {
              setSelectedIndex(i);
              const row = problems.get(i);
              if (row) go({ problem: row.id, sample: null });
            }}
            renderRow={(row) => row === undefined ? <span className="muted">…</span> : (
              <div className={row.id === query.problem ? 'problem-row current' : 'problem-row'}>
                <div className="problem-row-head"><code className="problem-id" title={row.id}>{row.id}</code>
                  <span className="counts">{row.counts.map((c) => <span key={c.modelId} className={`count-chip role-${models.find((m) => m.id === c.modelId)?.role ?? 'other'}`} title={`${c.modelId}: ${c.c} correct of ${c.n}`}>{c.c}/{c.n}</span>)}</span>
                </div>
                <div className="problem-row-text">{row.level !== null && <span className="level-chip" title={`level ${row.level}`}>L{row.level}</span>}{row.text}</div>
              </div>
            )} />
        )}
      </aside>
      <section className="problem-detail" aria-label="Problem">
        {query.problem === null
          ? <Empty title="Pick a problem">Its samples, per model, with their verdicts, appear here.</Empty>
          : <ProblemDetail run={run} problemId={query.problem} query={query} go={go} notify={notify} />}
      </section>
    </div>
  );
}

function ProblemDetail({ run, problemId, query, go, notify }: { run: RunSummary; problemId: string; query: ProblemsQuery; go: (c: Partial<ProblemsQuery>) => void; notify: (message: string, tone?: 'ok' | 'error') => void }) {
  const client = useClient();
  const problem = useRequest('run:problem', { runId: run.id, problemId });
  const modelId = query.model ?? run.models[0]?.id ?? '';
  const [verdict, setVerdict] = useState<Verdict>('all');
  const key = JSON.stringify([run.id, problemId, modelId, verdict]);
  const fetchSamples = useCallback((offset: number, limit: number) => client.request('run:samples', { runId: run.id, problemId, modelId, verdict, offset, limit }), [client, key]); // eslint-disable-line react-hooks/exhaustive-deps
  const samples = usePagedRows<SampleListRow>(key, fetchSamples);
  const [selected, setSelected] = useState<number | null>(null);
  useEffect(() => setSelected(null), [key]);

  return (
    <Loaded data={problem} what="the problem">
      {(p) => (
        <div className="problem-detail-inner">
          <header className="problem-head">
            <h2><code>{p.id}</code>{p.level !== null && <span className="level-chip">level {p.level}</span>}{p.subject !== null && <span className="level-chip">{p.subject}</span>}</h2>
            <p className="problem-text">{p.text}</p>
            <p><span className="muted">Gold:</span> <code className="gold">{p.gold}</code></p>
            <div className="chips">{p.counts.map((c) => {
              const model = run.models.find((m) => m.id === c.modelId);
              return <span key={c.modelId} className="count-summary"><RoleChip role={model?.role ?? 'other'} model={c.modelId} /> {c.c}/{c.n} correct</span>;
            })}</div>
          </header>
          <div className="sample-area">
            <div className="sample-pane">
              <div className="toolbar">
                <label className="field-inline">Model
                  <select value={modelId} onChange={(e) => go({ model: e.target.value, sample: null })}>
                    {run.models.map((m) => <option key={m.id} value={m.id}>{m.id} ({m.role})</option>)}
                  </select>
                </label>
                <label className="field-inline">Verdict
                  <select value={verdict} onChange={(e) => setVerdict(e.target.value as Verdict)}>
                    <option value="all">all</option><option value="correct">correct</option><option value="incorrect">incorrect</option><option value="unverified">not verified</option>
                  </select>
                </label>
              </div>
              <p className="muted small" role="status">{samples.total === null ? 'Counting…' : `${integer(samples.total)} samples`}</p>
              {samples.error && <ErrorNotice title="Could not list the samples" error={samples.error} />}
              {samples.total === 0 && <Empty title="No sample here">{verdict === 'all' ? 'This model has drawn none for this problem yet.' : 'None with this verdict.'}</Empty>}
              {samples.total !== null && samples.total > 0 && (
                <VirtualList<SampleListRow> label={`Samples of ${modelId}`} total={samples.total} rowHeight={40} height={440} get={samples.get} ensure={samples.ensure}
                  selected={selected} idOf={(i) => `sample-row-${i}`}
                  onSelect={(i) => {
                    setSelected(i);
                    const row = samples.get(i);
                    if (row) go({ model: modelId, sample: row.index });
                  }}
                  renderRow={(row) => row === undefined ? <span className="muted">…</span> : (
                    <div className={row.index === query.sample ? 'sample-row current' : 'sample-row'}>
                      <span className={`verdict verdict-${row.correct === null ? 'none' : row.correct ? 'yes' : 'no'}`} aria-label={row.correct === null ? 'not verified' : row.correct ? 'correct' : 'incorrect'}>{row.correct === null ? '…' : row.correct ? '✓' : '✗'}</span>
                      <span className="sample-index">#{row.index}</span>
                      <code className="extracted">{row.extracted ?? '—'}</code>
                      {row.label && <span className={`label-chip label-${row.label}`}>{row.label}</span>}
                    </div>
                  )} />
              )}
            </div>
            <div className="sample-view">
              {query.sample === null
                ? <Empty title="Pick a sample">Its text, with the extracted answer marked, appears here.</Empty>
                : <SampleViewer run={run} problemId={problemId} modelId={modelId} index={query.sample} gold={p.gold} notify={notify} onLabelled={samples.refresh} />}
            </div>
          </div>
        </div>
      )}
    </Loaded>
  );
}
