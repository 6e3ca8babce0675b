import { FORECAST_FAMILIES, type ForecastFamily } from '../src/core/stats/beta-binomial-fit.ts';
import { DEFAULT_FORECAST_FAMILY, MAX_FORECAST_K } from '../src/core/stats/forecast.ts';
import { UsageError } from './command.ts';
import { num, oneOf, type Values } from './options.ts';

/** `--forecast-to K` and `--forecast-family F` of `passk stats` and `passk report`, shared so the two say the same. */
export const FORECAST_OPTIONS = { 'forecast-to': { type: 'string' }, 'forecast-family': { type: 'string' } } as const;

export function forecastOption(values: Values): { to: number; family: ForecastFamily } | undefined {
  const to = num(values, 'forecast-to', true, 1);
  const family = oneOf(values, 'forecast-family', FORECAST_FAMILIES);
  if (to === undefined) {
    if (family !== undefined) throw new UsageError('--forecast-family needs --forecast-to K (how far to forecast)');
    return undefined;
  }
  if (to > MAX_FORECAST_K) throw new UsageError(`--forecast-to ${to}: at most ${MAX_FORECAST_K}`);
  return { to, family: family ?? DEFAULT_FORECAST_FAMILY };
}
