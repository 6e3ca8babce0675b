import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { ACCURACY_BINS } from '../stats/accuracy-histogram.ts';
import type { StatsReport } from '../stats/stats-report.ts';

/**
 * The report of `run:report` (`passk stats --json`, computed by src/core/stats) as a
 * schema, so a client parses it at its edge instead of trusting `Record<string, unknown>`.
 * Typed as `z.ZodType<StatsReport>`: when the report grows a field, this file stops
 * compiling until the schema says it too.
 */
export const intervalSchema = z.tuple([z.number(), z.number()]);
const interval = intervalSchema;
const role = z.enum(ROLES);

/** One model's pass@k with its intervals (a `models` entry; per-level curves reuse it). */
export const modelSummarySchema = z.strictObject({
  model: z.string(), role, problems: z.number().int(), minN: z.number().int(),
  passAtK: z.record(z.string(), z.number()),
  ci: z.record(z.string(), interval),
});

const coverageSchema = z.strictObject({
  a: z.string(), b: z.string(), k: z.number().int(),
  both: z.array(z.string()), onlyA: z.array(z.string()), onlyB: z.array(z.string()), neither: z.array(z.string()),
  samplesDiffer: z.boolean(),
  expected: z.strictObject({ both: z.number(), onlyA: z.number(), onlyB: z.number(), neither: z.number() }),
});

const verdictLine = z.strictObject({ k: z.number().int(), difference: z.number(), ci: interval, side: z.enum(['base', 'rl', 'neither']), reading: z.string() });

const crossoverSchema = z.strictObject({
  base: z.string(), rl: z.string(), kMax: z.number().int(), k: z.number().int().nullable(),
  difference: z.number().nullable(), ci: interval.nullable(),
  atKMax: z.strictObject({ difference: z.number(), ci: interval }).nullable(),
  verdict: z.strictObject({ atKMax: verdictLine.nullable(), atCrossover: verdictLine.nullable() }),
  deltaSE: z.strictObject({ value: z.number(), ci: interval, k: z.number().int() }).nullable(),
});

export const statsReportSchema: z.ZodType<StatsReport> = z.strictObject({
  problems: z.number().int(),
  ks: z.array(z.number().int()),
  level: z.number(),
  resamples: z.number().int(),
  seed: z.number(),
  models: z.array(modelSummarySchema),
  histogram: z.array(z.strictObject({
    model: z.string(), role,
    bins: z.array(z.strictObject({ label: z.enum(ACCURACY_BINS), count: z.number().int(), fraction: z.number() })),
  })),
  coverage: z.array(coverageSchema),
  crossover: z.strictObject({ pairs: z.array(crossoverSchema), note: z.string().nullable() }),
});
export type { StatsReport };
