import { describe, expect, it } from 'vitest';
import { renderPassAtKSvg, ROLE_COLOURS } from './pass-at-k-svg.ts';

const curve = (model: string, role: 'base' | 'rl' | 'distilled' | 'other', offset: number) => ({
  model, role,
  points: [1, 2, 4, 8, 16].map((k, i) => ({ k, value: 0.2 + 0.1 * i + offset, ci: [0.15 + 0.1 * i + offset, 0.25 + 0.1 * i + offset] as [number, number] })),
});

describe('renderPassAtKSvg', () => {
  const svg = renderPassAtKSvg([curve('Qwen <base>', 'base', 0), curve('rl-a', 'rl', 0.05), curve('rl-b', 'rl', -0.05)], { title: 'AIME & co' });

  it('is one svg element with a line, band and legend entry per model', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg.match(/<polygon /g)).toHaveLength(3);
    expect(svg).toContain('>Qwen &lt;base&gt; (base)</text>');
    expect(svg).toContain('<title>AIME &amp; co</title>');
  });

  it('colours by role and tells two models of one role apart by dash', () => {
    const lines = svg.match(/<polyline [^>]*>/g) ?? [];
    expect(lines[0]).toContain(`stroke="${ROLE_COLOURS.base}"`);
    expect(lines[1]).toContain(`stroke="${ROLE_COLOURS.rl}"`);
    expect(lines[1]).not.toContain('stroke-dasharray');
    expect(lines[2]).toContain(`stroke="${ROLE_COLOURS.rl}"`);
    expect(lines[2]).toContain('stroke-dasharray');
  });

  it('places k on a log₂ axis: equal steps between doublings, ticks labelled with k', () => {
    const xs = [...(svg.match(/<polyline points="([^"]+)"/)?.[1] ?? '').matchAll(/([\d.]+),/g)].map((m) => Number(m[1]));
    const steps = xs.slice(1).map((x, i) => x - xs[i]);
    for (const step of steps) expect(step).toBeCloseTo(steps[0], 0);
    for (const k of [1, 2, 4, 8, 16]) expect(svg).toContain(`text-anchor="middle">${k}</text>`);
    expect(svg).toContain('k (log₂ scale)');
  });

  it('draws a forecast dashed from the model\'s largest measured k on, beside the solid measured line', () => {
    const measured = curve('base', 'base', 0);
    const forecast = { model: 'base', role: 'base' as const, points: [1, 2, 4, 8, 16, 32, 64].map((k) => ({ k, value: 0.5 + k / 200, ci: [0.45 + k / 200, 0.55 + k / 200] as [number, number] })) };
    const withForecast = renderPassAtKSvg([measured], { forecast: [forecast] });
    const lines = withForecast.match(/<polyline [^>]*>/g) ?? [];
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain('stroke-dasharray');
    expect(lines[1]).toContain('stroke-dasharray');
    // The dashed line starts at the measured k = 16 point and adds 32 and 64, nothing below.
    expect(lines[1].match(/\d+(\.\d+)?,\d+(\.\d+)?/g)).toHaveLength(3);
    expect(withForecast).toContain('base forecast pass@64 = 0.820');
    expect(withForecast).not.toContain('base forecast pass@8 ');
    for (const k of [32, 64]) expect(withForecast).toContain(`text-anchor="middle">${k}</text>`);
    expect(withForecast).toContain('>forecast beyond n</text>');
  });
});
