/**
 * Requests waiting for the engine, grouped by what a cohort must share: the prompt's tokens
 * and the sampling settings. The engine's cohorts hold rows of one prompt at one position
 * (the invariant behind its determinism), so concurrent requests with the same prompt and
 * settings run as one batch, each row with its own random stream; requests with different
 * prompts wait their turn. Groups leave in the order their first request came.
 */
export class CohortQueue<T> {
  private readonly groups = new Map<string, T[]>();

  add(key: string, rows: readonly T[]): void {
    const group = this.groups.get(key);
    if (group) group.push(...rows);
    else this.groups.set(key, [...rows]);
  }

  /** The oldest group with every row it has gathered, or null when nothing waits. */
  take(): { key: string; rows: T[] } | null {
    for (const [key, rows] of this.groups) {
      this.groups.delete(key);
      return { key, rows };
    }
    return null;
  }

  /** Drops waiting rows (their client went away); empty groups go. */
  remove(drop: (row: T) => boolean): number {
    let removed = 0;
    for (const [key, rows] of this.groups) {
      const kept = rows.filter((row) => !drop(row));
      removed += rows.length - kept.length;
      if (kept.length === 0) this.groups.delete(key);
      else this.groups.set(key, kept);
    }
    return removed;
  }

  get rows(): number {
    let n = 0;
    for (const rows of this.groups.values()) n += rows.length;
    return n;
  }
}

/** The key of a cohort: prompt tokens and settings, each exactly. */
export function cohortKey(promptIds: readonly number[], params: object): string {
  return `${promptIds.join(',')}|${JSON.stringify(params)}`;
}
