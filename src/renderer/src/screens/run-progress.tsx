import { useEffect, useRef, useState } from 'react';
import { isRunOpen, type RunAction, type RunProgress, type RunSummary } from '../../../core/protocol/ui-protocol.ts';
import { useClient } from '../client/client-context.tsx';
import { useRunProgress, useWorkers } from '../client/live-data.ts';
import { runHref } from '../routes.ts';
import { duration, integer, ratio } from '../ui/format.ts';
import { Loaded } from '../ui/states.tsx';
import { Card, ConfirmDialog, ProgressBar, RoleChip, StatusBadge } from '../ui/widgets.tsx';
import { LiveCurves } from './results/live-curves.tsx';

/** A run as it goes: progress per model and overall, speed, ETA, shards, workers, failures, and pass@k filling in. */
export function RunProgressScreen({ run, onStatusChange, notify }: { run: RunSummary; onStatusChange: () => void; notify: (message: string, tone?: 'ok' | 'error') => void }) {
  const progress = useRunProgress(run.id);
  const status = progress.status === 'ok' ? progress.value.status : null;
  const seen = useRef(status);
  useEffect(() => {
    if (status !== null && seen.current !== null && status !== seen.current) onStatusChange();
    seen.current = status;
  }, [status, onStatusChange]);
  return (
    <Loaded data={progress} what="the run's progress">
      {(p) => <ProgressView run={run} p={p} notify={notify} />}
    </Loaded>
  );
}

function ProgressView({ run, p, notify }: { run: RunSummary; p: RunProgress; notify: (message: string, tone?: 'ok' | 'error') => void }) {
  const client = useClient();
  const workers = useWorkers();
  const [cancelling, setCancelling] = useState(false);
  const total = p.models.reduce((s, m) => s + m.total, 0);
  const sampled = p.models.reduce((s, m) => s + m.sampled, 0);
  const verified = p.models.reduce((s, m) => s + m.verified, 0);
  const control = async (action: RunAction) => {
    setCancelling(false);
    const answer = await client.request('run:control', { runId: run.id, action });
    if (!answer.ok) notify(answer.error, 'error');
  };
  const mine = workers.status === 'ok' ? workers.value.filter((w) => w.leases.some((l) => l.runId === run.id)) : [];
  const connected = workers.status === 'ok' ? workers.value.filter((w) => w.state !== 'gone').length : 0;

  return (
    <div className="run-progress">
      <div className="toolbar">
        {p.status === 'running' && <button type="button" onClick={() => void control('pause')}>Pause</button>}
        {p.status === 'paused' && <button type="button" onClick={() => void control('resume')}>Resume</button>}
        {isRunOpen(p.status) && <button type="button" className="danger" onClick={() => setCancelling(true)}>Cancel run…</button>}
        {p.status === 'done' && <a className="button primary" href={runHref(run.id, 'results')}>See the results</a>}
      </div>
      {p.error && <div className="state state-error" role="alert"><p className="state-title">The run stopped</p><pre className="error-text">{p.error}</pre></div>}
      {isRunOpen(p.status) && connected === 0 && workers.status === 'ok' && (
        <p className="notice" role="status">No worker is connected, so nothing is being sampled. <a href="#/workers">Add a worker</a>; the run goes on when one joins.</p>
      )}

      <div className="grid-2">
        <Card title="Progress">
          <dl className="stats-row">
            <div><dt>Sampled</dt><dd>{integer(sampled)} <span className="muted">of {integer(total)}</span></dd></div>
            <div><dt>Verified</dt><dd>{integer(verified)}</dd></div>
            <div><dt>Speed</dt><dd>{p.samplesPerSecond.toFixed(1)} samples/s <span className="muted">· {integer(p.tokensPerSecond)} tok/s</span></dd></div>
            <div><dt>ETA</dt><dd>{p.etaSeconds === null ? <span className="muted">unknown until samples arrive</span> : p.etaSeconds === 0 ? '—' : duration(p.etaSeconds)}</dd></div>
          </dl>
          <ProgressBar value={ratio(verified, total)} label="Verified samples of the run" />
          <table className="table compact models-progress">
            <caption className="visually-hidden">Progress per model</caption>
            <thead><tr><th scope="col">Model</th><th scope="col">Sampled</th><th scope="col" className="num">Verified</th><th scope="col" className="num">Correct</th></tr></thead>
            <tbody>
              {p.models.map((m) => (
                <tr key={m.modelId}>
                  <td><RoleChip role={m.role} model={m.modelId} /></td>
                  <td className="bar-cell"><ProgressBar value={ratio(m.sampled, m.total)} label={`${m.modelId} sampled`} tone={`role-${m.role}`} /><span className="small muted">{integer(m.sampled)} / {integer(m.total)}</span></td>
                  <td className="num">{integer(m.verified)}</td>
                  <td className="num">{integer(m.correct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Shards">
          <table className="table compact">
            <caption className="visually-hidden">Shards by kind and state</caption>
            <thead><tr><th scope="col">Kind</th><th scope="col" className="num">Queued</th><th scope="col" className="num">Leased</th><th scope="col" className="num">Done</th><th scope="col" className="num">Failed</th></tr></thead>
            <tbody>
              {(['sample', 'verify', 'score'] as const).map((kind) => (
                <tr key={kind}><th scope="row">{kind}</th>
                  {(['queued', 'leased', 'done', 'failed'] as const).map((s) => <td key={s} className={`num${s === 'failed' && p.shards[kind][s] > 0 ? ' text-danger' : ''}`}>{integer(p.shards[kind][s])}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Workers on this run</h3>
          {mine.length === 0 ? <p className="muted">{isRunOpen(p.status) ? 'None holds a shard of this run right now.' : 'The run is over; no worker is needed to read it.'}</p> : (
            <ul className="plain-list">
              {mine.map((w) => (
                <li key={w.id}><strong>{w.name}</strong> <StatusBadge status={w.state} /> {w.samplesPerSecond === null ? '' : `${w.samplesPerSecond.toFixed(1)} samples/s`}
                  {w.leases.filter((l) => l.runId === run.id).map((l) => <div key={l.leaseId} className="small muted">{l.kind} {l.modelId} / {l.problemId} [{l.start}, {l.end}) · {l.done} done</div>)}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      {p.failures.length > 0 && (
        <Card title={`Failed shards (${p.failures.length})`}>
          <p className="muted">Each was tried {p.failures[0].attempts} times; the last error is kept. Fix the cause (often the model folder or the verifier) and launch again.</p>
          <ul className="plain-list failures">
            {p.failures.slice(0, 20).map((f) => <li key={f.shardId}><code>{f.kind} {f.modelId}/{f.problemId} [{f.start},{f.end})</code> <span className="text-danger">{f.error}</span></li>)}
          </ul>
        </Card>
      )}

      {p.incidents.quarantines.length > 0 && (
        <Card title={`Quarantined workers (${p.incidents.quarantines.length})`}>
          <p className="muted">Their results disagreed with the coordinator's own checks: everything they produced in this run was discarded and done again by other workers, and they get no more of its shards.</p>
          <ul className="plain-list failures">
            {p.incidents.quarantines.map((q) => <li key={q.workerId}><strong>{q.name ?? q.workerId}</strong> <code>{q.workerId}</code> <span className="text-danger">{q.reason}</span></li>)}
          </ul>
        </Card>
      )}
      {(p.incidents.expiredLeases > 0 || p.incidents.coordinatorRestarts > 0) && (
        <p className="muted small">{integer(p.incidents.expiredLeases)} lease{p.incidents.expiredLeases === 1 ? '' : 's'} expired and went back to the queue; the coordinator restarted {integer(p.incidents.coordinatorRestarts)} time{p.incidents.coordinatorRestarts === 1 ? '' : 's'} during the run (its results are unaffected: see <code>passk runs show</code>).</p>
      )}

      <Card title={isRunOpen(p.status) ? 'pass@k so far' : 'pass@k'}>
        <LiveCurves run={run} verified={verified} open={isRunOpen(p.status)} />
      </Card>

      {cancelling && (
        <ConfirmDialog title={`Cancel run ${run.name}?`} confirmLabel="Cancel the run" danger onCancel={() => setCancelling(false)} onConfirm={() => void control('cancel')}>
          <p>Workers stop its shards. The samples drawn so far stay in the store and can be read, but the run cannot be resumed.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
