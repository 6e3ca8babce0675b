import type { RunIncidents, WorkerAttribution } from '../../core/protocol/ui-protocol.ts';
import { sql, type Store } from '../store/open-store.ts';
import { listQuarantines } from '../store/quarantines.ts';
import { countRunEvents } from '../store/run-events.ts';
import { workerNames } from '../store/workers.ts';

/** Quarantines, expired leases and coordinator restarts of a run: read from its events (an index), cheap enough for every progress push. */
export function runIncidents(db: Store, runId: string): RunIncidents {
  const quarantines = listQuarantines(db, runId);
  const names = workerNames(db, quarantines.map((q) => q.workerId));
  const events = countRunEvents(db, runId);
  const total = (kind: string) => events.filter((e) => e.kind === kind).reduce((n, e) => n + e.events, 0);
  return {
    quarantines: quarantines.map((q) => ({ workerId: q.workerId, name: names.get(q.workerId) ?? null, reason: q.reason, at: q.at })),
    expiredLeases: total('lease-expired'),
    coordinatorRestarts: total('coordinator-restart'),
  };
}

/**
 * Who produced the run's results, per worker: every sample, verdict and score row records its
 * worker and lease (schema v6), and the events record disagreements and expiries. Reads the
 * run's rows once (for `passk runs show` and the report, not for progress pushes).
 */
export function runAttribution(db: Store, runId: string): WorkerAttribution[] {
  const rows = new Map<string, WorkerAttribution>();
  const row = (workerId: string) => {
    let r = rows.get(workerId);
    if (!r) rows.set(workerId, (r = { workerId, name: null, samples: 0, verdictsJudged: 0, verdictsChecked: 0, scores: 0, disagreements: 0, expiredLeases: 0, quarantined: null }));
    return r;
  };
  for (const r of sql(db, 'SELECT worker_id AS w, COUNT(*) AS n FROM samples WHERE run_id = ? AND worker_id IS NOT NULL GROUP BY worker_id').all(runId) as { w: string; n: number }[]) row(r.w).samples = r.n;
  for (const r of sql(db, `SELECT worker_id AS w, SUM(judge = 'worker') AS judged, SUM(judge = 'coordinator') AS checked FROM verdicts WHERE run_id = ? AND worker_id IS NOT NULL GROUP BY worker_id`)
    .all(runId) as { w: string; judged: number; checked: number }[]) Object.assign(row(r.w), { verdictsJudged: r.judged, verdictsChecked: r.checked });
  for (const r of sql(db, 'SELECT worker_id AS w, COUNT(*) AS n FROM scores WHERE run_id = ? AND worker_id IS NOT NULL GROUP BY worker_id').all(runId) as { w: string; n: number }[]) row(r.w).scores = r.n;
  for (const e of countRunEvents(db, runId)) {
    if (e.workerId === '') continue;
    if (e.kind === 'disagreement') row(e.workerId).disagreements += e.count;
    if (e.kind === 'lease-expired') row(e.workerId).expiredLeases += e.events;
  }
  for (const q of listQuarantines(db, runId)) row(q.workerId).quarantined = q.reason;
  const names = workerNames(db, [...rows.keys()]);
  return [...rows.values()].map((r) => ({ ...r, name: names.get(r.workerId) ?? null })).sort((a, b) => b.samples - a.samples || a.workerId.localeCompare(b.workerId));
}

/** `passk runs show`'s lines for them. */
export function describeTrust(incidents: RunIncidents, workers: readonly WorkerAttribution[]): string[] {
  const who = (w: { workerId: string; name: string | null }) => (w.name ? `${w.name} (${w.workerId})` : w.workerId);
  return [
    `leases expired: ${incidents.expiredLeases}; coordinator restarts while it ran: ${incidents.coordinatorRestarts}`,
    ...incidents.quarantines.map((q) => `quarantined: ${who(q)}: ${q.reason}`),
    ...(workers.length > 0 ? ['workers:', ...workers.map((w) => `  ${who(w)}: ${w.samples} samples, ${w.verdictsJudged} verdicts judged, ${w.verdictsChecked} checked by the coordinator, ${w.scores} scores, `
      + `${w.disagreements} disagreements, ${w.expiredLeases} leases expired${w.quarantined ? ' — quarantined' : ''}`)] : []),
  ];
}
