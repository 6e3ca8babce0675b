import { useEffect, useState } from 'react';

/**
 * Screens live in the address's hash (#/runs/ID/results), so the same bundle routes the
 * same way from Electron's app:// page and from the coordinator's http:// page, and a
 * reload or a link reopens the same screen.
 */
export type RunTab = 'progress' | 'results' | 'problems';

export interface ProblemsQuery {
  solvedBy: string[];
  unsolvedBy: string[];
  search: string;
  /** Only problems of this level or subject (the benchmark's names); null: any. */
  level: string | null;
  subject: string | null;
  problem: string | null;
  model: string | null;
  sample: number | null;
}

export type Route =
  /** `from`: a run whose settings prefill the form (Clone as new experiment). */
  | { screen: 'new'; from?: string }
  | { screen: 'archive' }
  | { screen: 'workers' }
  | { screen: 'connection' }
  | { screen: 'run'; runId: string; tab: RunTab; problems: ProblemsQuery }
  | { screen: 'compare'; a: string; b: string };

export const emptyProblemsQuery = (): ProblemsQuery => ({ solvedBy: [], unsolvedBy: [], search: '', level: null, subject: null, problem: null, model: null, sample: null });

const list = (value: string | null) => (value ? value.split(',').filter(Boolean) : []);

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts[0] === 'new') return params.get('from') ? { screen: 'new', from: params.get('from')! } : { screen: 'new' };
  if (parts[0] === 'workers') return { screen: 'workers' };
  if (parts[0] === 'connection') return { screen: 'connection' };
  if (parts[0] === 'compare' && parts[1] && parts[2]) return { screen: 'compare', a: parts[1], b: parts[2] };
  if (parts[0] === 'runs' && parts[1]) {
    const tab: RunTab = parts[2] === 'results' || parts[2] === 'problems' ? parts[2] : 'progress';
    const sample = params.get('sample');
    return {
      screen: 'run', runId: parts[1], tab,
      problems: {
        solvedBy: list(params.get('solved')), unsolvedBy: list(params.get('unsolved')), search: params.get('q') ?? '',
        level: params.get('level') || null, subject: params.get('subject') || null,
        problem: params.get('problem'), model: params.get('model'),
        sample: sample !== null && /^\d+$/.test(sample) ? Number(sample) : null,
      },
    };
  }
  return { screen: 'archive' };
}

export function routeHref(route: Route): string {
  switch (route.screen) {
    case 'new': return route.from ? `#/new?from=${encodeURIComponent(route.from)}` : '#/new';
    case 'archive': return '#/runs';
    case 'workers': return '#/workers';
    case 'connection': return '#/connection';
    case 'compare': return `#/compare/${encodeURIComponent(route.a)}/${encodeURIComponent(route.b)}`;
    case 'run': {
      const base = `#/runs/${encodeURIComponent(route.runId)}${route.tab === 'progress' ? '' : `/${route.tab}`}`;
      if (route.tab !== 'problems') return base;
      const q = route.problems;
      const params = new URLSearchParams();
      if (q.solvedBy.length) params.set('solved', q.solvedBy.join(','));
      if (q.unsolvedBy.length) params.set('unsolved', q.unsolvedBy.join(','));
      if (q.search) params.set('q', q.search);
      if (q.level) params.set('level', q.level);
      if (q.subject) params.set('subject', q.subject);
      if (q.problem) params.set('problem', q.problem);
      if (q.model) params.set('model', q.model);
      if (q.sample !== null) params.set('sample', String(q.sample));
      const text = params.toString();
      return text ? `${base}?${text}` : base;
    }
  }
}

export const runHref = (runId: string, tab: RunTab = 'progress', problems: Partial<ProblemsQuery> = {}) =>
  routeHref({ screen: 'run', runId, tab, problems: { ...emptyProblemsQuery(), ...problems } });

export function navigate(route: Route | string): void {
  window.location.hash = typeof route === 'string' ? route : routeHref(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
