import type { Result } from '../result.ts';

/** A problem as another tool's results describe it. */
export interface ImportedProblem {
  id: string;
  text: string;
  /** The gold answer (math), or the task record (code), as the tool kept it. */
  gold: unknown;
  level?: string;
  subject?: string;
}

/** One sampled answer with its verdict, as another tool's results give them. */
export interface ImportedSample {
  problem: string;
  text: string;
  correct: boolean;
  extracted: string | null;
  /** Says who judged it: the other tool's grader, or PassK Lab's verifier on import. */
  reason: string;
}

/** Everything one results file holds about one model. */
export interface ImportedModelResults {
  problems: ImportedProblem[];
  samples: ImportedSample[];
  /** The tool's own name for the model or run, when the file says. */
  modelHint: string | null;
}

export type ParseImport = (text: string, file: string) => Result<ImportedModelResults>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
