/** Display only: every number shown comes from the coordinator; these only print it. */

/** pass@k and its interval ends, as `passk stats` prints them (three decimals). */
export const fixed3 = (x: number): string => x.toFixed(3);
export const interval3 = ([lo, hi]: readonly [number, number]): string => `[${fixed3(lo)}, ${fixed3(hi)}]`;
/** Means of counts (distinct answers per problem): two decimals. */
export const fixed2 = (x: number): string => x.toFixed(2);
/** At most two decimals, none when whole (a mean of samples per problem: 16, 15.5). */
export const upTo2 = (x: number): string => String(Number(x.toFixed(2)));
/** A difference with its sign; the sign is the printed value's, so −1e-17 reads +0.000, never −0.000. */
export const signed3 = (x: number): string => (Math.round(x * 1000) >= 0 ? '+' : '−') + Math.abs(x).toFixed(3);

export const integer = (x: number): string => Math.round(x).toLocaleString('en-US');

/** A count with its noun: "1 problem", "6 problems". */
export const counted = (n: number, noun: string): string => `${integer(n)} ${noun}${n === 1 ? '' : 's'}`;

export function compact(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(1)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)} M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)} k`;
  return integer(x);
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  if (seconds < 86400 * 2) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

export function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(0)} KiB`;
  return `${n} B`;
}

/** Local time, year first (sorts as it reads). */
export function dateTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export const ratio = (part: number, whole: number): number => (whole > 0 ? Math.min(1, part / whole) : 0);
