import { z } from 'zod';
import type { RunComparison } from '../analysis/compare-runs.ts';
import type { RunAnalysis } from '../report/run-analysis.ts';
import { ROLES } from '../roles.ts';
import { intervalSchema, modelSummarySchema, statsReportSchema } from './stats-report-schema.ts';
import { generationSettingsSchema } from './worker-protocol.ts';

/**
 * The answers of `run:analysis` (what `passk report --json` prints, src/core/report) and
 * `runs:compare` (src/core/analysis/compare-runs.ts) as schemas, so the app parses them at
 * its edge. Typed as `z.ZodType<…>` of the core types: when the analysis grows a field,
 * this file stops compiling until the schema says it too.
 */
const count = z.number().int().min(0);

const groupsSchema = z.strictObject({
  groups: z.array(z.strictObject({ group: z.string(), problems: count, models: z.array(modelSummarySchema) })),
  /** Problems without a level (or subject): left out of every group. */
  ungrouped: count,
});

const perplexitySchema = z.strictObject({
  scorer: z.string(), model: z.string(), samples: count, problems: count,
  median: z.number(), medianCi: intervalSchema,
  quantiles: z.strictObject({ q10: z.number(), q25: z.number(), q75: z.number(), q90: z.number() }),
  mean: z.number(),
  histogram: z.array(z.strictObject({ from: z.number(), to: z.number(), count })),
});

const meanWithInterval = z.strictObject({ mean: z.number(), ci: intervalSchema });

export const runAnalysisSchema: z.ZodType<RunAnalysis> = z.strictObject({
  run: z.strictObject({
    id: z.string(), name: z.string(), status: z.string(), benchmark: z.string(), verifier: z.string(),
    problems: count, n: count, seed: z.string(),
    // Where the run came from (passk run, or an import's tool and file): free-form beyond `tool`.
    origin: z.looseObject({ tool: z.string() }),
    createdAt: z.number(), finishedAt: z.number().nullable(), samples: count, samplesDigest: z.string(),
    models: z.array(z.strictObject({
      id: z.string(), role: z.enum(ROLES), label: z.string().nullable(), folder: z.string(), dtype: z.string(), sha256: z.string().nullable(),
      settings: generationSettingsSchema.nullable(), prompt: z.unknown(),
    })),
  }),
  stats: statsReportSchema,
  byLevel: groupsSchema.nullable(),
  bySubject: groupsSchema.nullable(),
  perplexity: z.strictObject({ pairs: z.array(perplexitySchema), note: z.string().nullable() }),
  diversity: z.array(z.strictObject({ model: z.string(), problems: count, answers: meanWithInterval, chains: meanWithInterval, samples: z.number() })),
  fallback: z.array(z.strictObject({ model: z.string(), verdicts: count, correct: count })),
  labels: z.strictObject({
    problems: count, labelled: count, correctUnlabelled: count,
    plain: statsReportSchema, validOnly: statsReportSchema,
  }).nullable(),
});
export type { RunAnalysis, RunComparison };

export const runComparisonSchema: z.ZodType<RunComparison> = z.strictObject({
  a: z.string(), b: z.string(),
  sharedProblems: count, onlyA: count, onlyB: count,
  ks: z.array(z.number().int()),
  pairs: z.array(z.strictObject({
    matchedBy: z.enum(['id', 'role']),
    modelA: z.string(), modelB: z.string(),
    points: z.array(z.strictObject({ k: z.number().int(), a: z.number(), b: z.number(), difference: z.number(), ci: intervalSchema, p: z.number().min(0).max(1), survivesHolm: z.boolean() })),
  })),
});
