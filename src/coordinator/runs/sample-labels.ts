import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { SAMPLE_LABELS, type SampleLabel } from '../../core/protocol/ui-app-requests.ts';

/**
 * Chain-of-thought labels (valid / invalid / unsure, with a note) by sample.
 *
 * Interim storage: the store's schema has no labels table yet (the archive issue adds
 * one, and migrations are its to write), so labels live in `labels.jsonl` beside the
 * database, one line per change, the last line of a sample winning. Everything else goes
 * through this interface, so moving them into SQLite changes this file only.
 */
export interface LabelKey { runId: string; modelId: string; problemId: string; index: number }
export interface Label { label: SampleLabel; note: string; at: number }

export interface SampleLabels {
  get(key: LabelKey): Label | null;
  /** Sample index → label, for one model's samples of one problem. */
  forSlot(runId: string, modelId: string, problemId: string): Map<number, Label>;
  /** null removes the label. */
  set(key: LabelKey, label: Label | null): void;
  forgetRun(runId: string): void;
}

const lineSchema = z.object({
  runId: z.string(), modelId: z.string(), problemId: z.string(), index: z.number().int().min(0),
  label: z.enum(SAMPLE_LABELS).nullable(), note: z.string().default(''), at: z.number(),
});

const slotKey = (runId: string, modelId: string, problemId: string) => JSON.stringify([runId, modelId, problemId]);

/** Labels kept in `file` (null: in memory only, for tests). A line that does not parse is skipped, not fatal: labels are notes, not results. */
export function openSampleLabels(file: string | null): SampleLabels {
  const slots = new Map<string, Map<number, Label>>();
  const apply = (key: LabelKey, label: Label | null) => {
    const slot = slotKey(key.runId, key.modelId, key.problemId);
    let byIndex = slots.get(slot);
    if (!byIndex) slots.set(slot, (byIndex = new Map()));
    if (label === null) byIndex.delete(key.index);
    else byIndex.set(key.index, label);
  };
  if (file !== null && existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let parsed;
      try {
        parsed = lineSchema.safeParse(JSON.parse(line));
      } catch {
        continue;
      }
      if (!parsed.success) continue;
      const { label, note, at, ...key } = parsed.data;
      apply(key, label === null ? null : { label, note, at });
    }
  }
  return {
    get: (key) => slots.get(slotKey(key.runId, key.modelId, key.problemId))?.get(key.index) ?? null,
    forSlot: (runId, modelId, problemId) => new Map(slots.get(slotKey(runId, modelId, problemId)) ?? []),
    set(key, label) {
      if (file !== null) {
        appendFileSync(file, JSON.stringify({ ...key, label: label?.label ?? null, note: label?.note ?? '', at: label?.at ?? Date.now() }) + '\n', { mode: 0o600 });
      }
      apply(key, label);
    },
    // A removal line per label, so a deleted run's labels do not come back at the next start.
    forgetRun(runId) {
      for (const [slot, byIndex] of [...slots]) {
        const [slotRun, modelId, problemId] = JSON.parse(slot) as string[];
        if (slotRun !== runId) continue;
        for (const index of [...byIndex.keys()]) this.set({ runId, modelId, problemId, index }, null);
        slots.delete(slot);
      }
    },
  };
}
