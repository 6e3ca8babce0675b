import { useState } from 'react';
import { RUN_STATUSES, type RunSummary } from '../../../core/protocol/ui-protocol.ts';
import { useClient, useRequest } from '../client/client-context.tsx';
import { navigate, routeHref, runHref } from '../routes.ts';
import { dateTime, integer } from '../ui/format.ts';
import { Empty, Loaded } from '../ui/states.tsx';
import { ConfirmDialog, RoleChip, StatusBadge } from '../ui/widgets.tsx';
import type { ArchiveFiles } from './archive-files.ts';

/**
 * Every run in the coordinator's store: search, status filter, open (no worker needed to
 * read a finished run), compare two, delete with confirmation, import and export `.passk`.
 */
export function ArchiveScreen({ files, notify }: { files: ArchiveFiles; notify: (message: string, tone?: 'ok' | 'error') => void }) {
  const client = useClient();
  const runs = useRequest('runs:list', {});
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'all' | RunSummary['status']>('all');
  const [picked, setPicked] = useState<string[]>([]);
  const [deleting, setDeleting] = useState<RunSummary | null>(null);

  const remove = async (run: RunSummary) => {
    setDeleting(null);
    const answer = await client.request('runs:delete', { runId: run.id });
    if (answer.ok) {
      notify(`Deleted run ${run.name}.`);
      setPicked((p) => p.filter((id) => id !== run.id));
      runs.reload();
    } else {
      notify(answer.error, 'error');
    }
  };
  const importArchive = async () => {
    const file = await files.chooseArchive();
    if (file === null) return;
    const answer = await client.request('runs:import', { file });
    if (answer.ok) {
      notify(`Imported run ${answer.value.name}.`);
      navigate(runHref(answer.value.runId, 'results'));
    } else {
      notify(answer.error, 'error');
    }
  };
  const exportRun = async (run: RunSummary) => {
    const file = await files.chooseExportTarget(`${run.name}.passk`);
    if (file === null) return;
    const answer = await client.request('runs:export', { runId: run.id, file });
    notify(answer.ok ? `Wrote ${answer.value.file} (${integer(answer.value.bytes)} bytes).` : answer.error, answer.ok ? 'ok' : 'error');
  };
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));

  return (
    <div className="screen">
      <header className="screen-header">
        <h1>Runs</h1>
        <div className="screen-actions">
          <button type="button" onClick={() => void importArchive()}>Import .passk…</button>
          <button type="button" disabled={picked.length !== 2} onClick={() => navigate(routeHref({ screen: 'compare', a: picked[0], b: picked[1] }))}>
            Compare {picked.length === 2 ? 'the two' : '(pick two)'}
          </button>
          <a className="button primary" href="#/new">New experiment</a>
        </div>
      </header>
      <div className="toolbar" role="search">
        <label className="field-inline">Search <input type="search" className="wide" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name, benchmark or model" /></label>
        <label className="field-inline">Status
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="all">all</option>
            {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </div>
      <Loaded data={runs} what="the runs" hint="The coordinator keeps runs in passk.sqlite in its data directory; check that it is running.">
        {(list) => {
          const needle = search.trim().toLowerCase();
          const shown = [...list].reverse().filter((r) => (status === 'all' || r.status === status)
            && (needle === '' || [r.name, r.benchmark, ...r.models.map((m) => m.id)].some((t) => t.toLowerCase().includes(needle))));
          if (list.length === 0) return <Empty title="No runs yet">Launch one from <a href="#/new">New experiment</a>, or import a <code>.passk</code> file.</Empty>;
          if (shown.length === 0) return <Empty title="No run matches">Clear the search or pick another status.</Empty>;
          return (
            <table className="table runs-table">
              <caption className="visually-hidden">Runs, newest first</caption>
              <thead><tr><th scope="col"><span className="visually-hidden">Compare</span></th><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Models</th><th scope="col">Benchmark</th><th scope="col" className="num">Problems × n</th><th scope="col">Created</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.id}>
                    <td><input type="checkbox" checked={picked.includes(r.id)} onChange={() => toggle(r.id)} aria-label={`Compare ${r.name}`} /></td>
                    <td><a href={runHref(r.id, r.status === 'done' ? 'results' : 'progress')}>{r.name}</a></td>
                    <td><StatusBadge status={r.status} /></td>
                    <td className="chips">{r.models.map((m) => <RoleChip key={m.id} role={m.role} model={m.id} />)}</td>
                    <td>{r.benchmark}</td>
                    <td className="num">{integer(r.problems)} × {integer(r.n)}</td>
                    <td>{dateTime(r.createdAt)}</td>
                    <td>
                      <div className="row-actions">
                        <a href={runHref(r.id, 'problems')}>Problems</a>
                        <button type="button" className="link" onClick={() => void exportRun(r)}>Export</button>
                        <button type="button" className="link danger" onClick={() => setDeleting(r)}>Delete</button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Loaded>
      {deleting && (
        <ConfirmDialog title={`Delete run ${deleting.name}?`} confirmLabel="Delete the run" danger onCancel={() => setDeleting(null)} onConfirm={() => void remove(deleting)}>
          <p>Its {integer(deleting.problems * deleting.n * deleting.models.length)} samples, their verdicts and labels are removed from the coordinator's store. This cannot be undone; export it first to keep a copy.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
