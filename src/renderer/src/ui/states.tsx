import type { ReactNode } from 'react';
import type { Loadable } from '../client/client-context.tsx';

export function Loading({ what }: { what: string }) {
  return <p className="state state-loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />Loading {what}…</p>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}

/** An error as the coordinator worded it (it says what happened and where), with what the user can do next. */
export function ErrorNotice({ title, error, hint, onRetry }: { title: string; error: string; hint?: ReactNode; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <pre className="error-text">{error}</pre>
      {hint && <div className="state-body">{hint}</div>}
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}

/** Renders the loading and error states of a request, and `children` with its value. */
export function Loaded<T>({ data, what, hint, children }: { data: Loadable<T> & { reload?: () => void }; what: string; hint?: ReactNode; children: (value: T) => ReactNode }) {
  if (data.status === 'loading') return <Loading what={what} />;
  if (data.status === 'error') return <ErrorNotice title={`Could not load ${what}`} error={data.error} hint={hint} onRetry={data.reload} />;
  return <>{children(data.value)}</>;
}
