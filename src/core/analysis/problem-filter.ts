/** c/n per model on one problem, and where it sits, as the problem browser lists it. */
export interface ProblemCounts {
  id: string;
  level: string | null;
  subject: string | null;
  counts: Record<string, { n: number; c: number }>;
}

/**
 * What the problem browser filters by: solved (at least one correct sample) only by some
 * models and not by others ("solved only by base": solvedBy [base], unsolvedBy [rl]),
 * never solved by anyone, a level or subject, words in the id.
 */
export interface ProblemFilter {
  solvedBy?: string[];
  unsolvedBy?: string[];
  neverSolved?: boolean;
  level?: string;
  subject?: string;
  idContains?: string;
}

export function matchesFilter(p: ProblemCounts, f: ProblemFilter): boolean {
  const solved = (model: string) => (p.counts[model]?.c ?? 0) > 0;
  if (f.solvedBy?.some((m) => !solved(m))) return false;
  if (f.unsolvedBy?.some((m) => solved(m))) return false;
  if (f.neverSolved && Object.values(p.counts).some((x) => x.c > 0)) return false;
  if (f.level !== undefined && p.level !== f.level) return false;
  if (f.subject !== undefined && p.subject !== f.subject) return false;
  if (f.idContains && !p.id.toLowerCase().includes(f.idContains.toLowerCase())) return false;
  return true;
}
