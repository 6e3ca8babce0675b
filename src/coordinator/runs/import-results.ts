import { randomBytes } from 'node:crypto';
import type { ImportedModelResults } from '../../core/import/imported-results.ts';
import type { Role } from '../../core/roles.ts';
import type { ProblemCount } from '../../core/stats/types.ts';
import type { VerifierKind } from '../../core/spec/experiment-spec.ts';
import { addModel, type RunModel } from '../store/models.ts';
import { sql, type Store } from '../store/open-store.ts';
import { addProblems, type RunProblem } from '../store/problems.ts';
import { createRun, freeRunName, getRun, setRunStatus, setSamplesDigest, type Run } from '../store/runs.ts';
import { recordSamples, recordVerdicts, samplesDigest } from '../store/samples.ts';

export interface ImportSource {
  /** How the user names the run (a free name is taken if it is used). */
  name: string;
  benchmark: string;
  verifier: VerifierKind;
  /** The tool and files the results come from, kept as the run's origin. */
  tool: string;
  files: string[];
}

const model = (id: string, role: Role): RunModel => ({
  id, role, name: id, label: null, folder: '', dtype: '', sha256: null, files: [], config: {},
  prompt: { format: 'raw', template: null }, settings: null, served: null,
});

function newRun(db: Store, source: ImportSource, n: number, spec: unknown, now: number): { id: string; name: string } {
  const id = `imp-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-')}-${randomBytes(3).toString('hex')}`;
  const name = freeRunName(db, source.name);
  createRun(db, {
    id, name, spec, resolved: {}, seed: '', verifier: source.verifier, benchmark: source.benchmark, n,
    origin: { tool: source.tool, files: source.files, importedAt: new Date(now).toISOString() },
  }, now);
  return { id, name };
}

/**
 * Results of another tool as a run like any other (stats, report, GUI, export): models,
 * problems, and each sample with its verdict, in one transaction. Token counts, finish
 * reasons and log-probabilities stay unknown (NULL): no other tool's file gives them all.
 * Several results of one model (seeds) are concatenated in the order given.
 */
export function importSampleResults(db: Store, source: ImportSource, models: readonly { id: string; role: Role; results: ImportedModelResults[] }[], now: number): Run {
  const problems = new Map<string, RunProblem>();
  let n = 0;
  const runId = db.transaction(() => {
    for (const m of models) for (const r of m.results) for (const p of r.problems) {
      if (!problems.has(p.id)) problems.set(p.id, { id: p.id, benchmark: source.benchmark, text: p.text, gold: p.gold, level: p.level ?? null, subject: p.subject ?? null });
    }
    const perProblem = models.map((m) => {
      const counts = new Map<string, number>();
      for (const r of m.results) for (const s of r.samples) counts.set(s.problem, (counts.get(s.problem) ?? 0) + 1);
      return counts;
    });
    n = Math.max(0, ...perProblem.flatMap((c) => [...c.values()]));
    const run = newRun(db, source, n, { imported: source.tool, files: source.files, models: models.map((m) => ({ id: m.id, role: m.role })) }, now);
    for (const m of models) addModel(db, run.id, model(m.id, m.role));
    addProblems(db, run.id, [...problems.values()]);
    for (const m of models) {
      const next = new Map<string, number>();
      const rows = m.results.flatMap((r) => r.samples).map((s) => {
        const index = next.get(s.problem) ?? 0;
        next.set(s.problem, index + 1);
        return { s, key: { runId: run.id, modelId: m.id, problemId: s.problem, sampleIndex: index } };
      });
      recordSamples(db, rows.map(({ s, key }) => ({ ...key, text: s.text, tokens: null, finish: null, logprob: null, workerId: null, ep: null })), now);
      recordVerdicts(db, rows.map(({ s, key }) => ({ ...key, correct: s.correct, extracted: s.extracted, reason: s.reason, verifier: source.verifier })), now);
    }
    setRunStatus(db, run.id, 'done', now);
    setSamplesDigest(db, run.id, samplesDigest(db, run.id).digest);
    return run.id;
  })();
  return getRun(db, runId)!;
}

/** Counts only (`passk stats`'s formats): n and c per (model, problem), no sample behind them. */
export function importCounts(db: Store, source: ImportSource, counts: readonly ProblemCount[], now: number): Run {
  const runId = db.transaction(() => {
    const order: string[] = [];
    const seen = new Set<string>();
    for (const row of counts) if (!seen.has(row.problem)) { seen.add(row.problem); order.push(row.problem); }
    const run = newRun(db, source, Math.max(...counts.map((c) => c.n)), { imported: source.tool, files: source.files }, now);
    const models = new Map<string, Role>();
    for (const row of counts) if (!models.has(row.model)) models.set(row.model, row.role ?? 'other');
    for (const [id, role] of models) addModel(db, run.id, model(id, role));
    addProblems(db, run.id, order.map((id) => ({ id, benchmark: source.benchmark, text: '', gold: null })));
    const insert = sql(db, 'INSERT INTO problem_counts (run_id, model_id, problem_id, n, c) VALUES (?, ?, ?, ?, ?)');
    for (const row of counts) insert.run(run.id, row.model, row.problem, row.n, row.c);
    setRunStatus(db, run.id, 'done', now);
    setSamplesDigest(db, run.id, samplesDigest(db, run.id).digest);
    return run.id;
  })();
  return getRun(db, runId)!;
}
