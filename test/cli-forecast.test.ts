import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const passk = (...args: string[]) => spawnSync(process.execPath, ['bin/passk.js', ...args], { encoding: 'utf8' });
const FIXTURE = 'test/fixtures/forecast/trio-n16-seed1.jsonl';

interface ForecastJson { to: number; ks: number[]; models: { model: string; role: string; n: number; family: string; passAtK: Record<string, number>; ci: Record<string, [number, number]> }[] }

describe('--forecast-to (CLI, separate processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passk-forecast-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passk stats --json adds "forecast" for k = 1, 2, 4, … K, measured curves unchanged', () => {
    const plain = passk('stats', '--input', FIXTURE, '--json', '--resamples', '50');
    const run = passk('stats', '--input', FIXTURE, '--json', '--resamples', '50', '--forecast-to', '64');
    expect(run.status, run.stderr).toBe(0);
    const { forecast, ...stats } = JSON.parse(run.stdout) as { forecast: ForecastJson };
    expect(stats).toEqual(JSON.parse(plain.stdout));
    expect(forecast.ks).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(forecast.models.map((m) => [m.model, m.role, m.n, m.family])).toEqual([
      ['base', 'base', 16, 'zero-inflated-beta'], ['rl', 'rl', 16, 'zero-inflated-beta'], ['distilled', 'distilled', 16, 'zero-inflated-beta'],
    ]);
    for (const m of forecast.models) expect(m.ci['64'][0]).toBeLessThanOrEqual(m.passAtK['64']);
  });

  it('passk stats prints the forecast table, and refuses a bad K or family naming the option', () => {
    const text = passk('stats', '--input', FIXTURE, '--resamples', '20', '--forecast-to', '32', '--forecast-family', 'beta');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('Forecast pass@k beyond n');
    expect(text.stdout).toContain('rl (beta)');
    const zero = passk('stats', '--input', FIXTURE, '--forecast-to', '0');
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--forecast-to');
    const family = passk('stats', '--input', FIXTURE, '--forecast-to', '32', '--forecast-family', 'gamma');
    expect(family.status).toBe(2);
    expect(family.stderr).toContain('--forecast-family gamma');
  });

  it('passk report of an imported counts run: "forecast" in --json, forecast.csv and the dashed curves in report.html', () => {
    const data = join(dir, 'data');
    const imported = passk('import', '--format', 'counts', '--input', FIXTURE, '--name', 'trio16', '--data-dir', data);
    expect(imported.status, imported.stderr).toBe(0);
    const out = join(dir, 'report');
    const report = passk('report', 'trio16', '--json', '--forecast-to', '128', '--out', out, '--data-dir', data);
    expect(report.status, report.stderr).toBe(0);
    const json = JSON.parse(report.stdout) as { forecast: ForecastJson; models: unknown[] };
    expect(json.models).toHaveLength(3);
    expect(json.forecast.to).toBe(128);
    expect(Object.keys(json.forecast.models[0].passAtK)).toEqual(['1', '2', '4', '8', '16', '32', '64', '128']);
    expect(readFileSync(join(out, 'forecast.csv'), 'utf8').split('\n')[0]).toBe('model,role,family,n,k,forecast_pass_at_k,ci_low,ci_high');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="forecast">');
    expect(html).toContain('stroke-dasharray="5 4"');
    expect((JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')) as { forecast: ForecastJson }).forecast).toEqual(json.forecast);
  }, 180_000); // the report's own bootstrap (B = 2000) and the forecast's refits (B = 1000), in separate processes
});
