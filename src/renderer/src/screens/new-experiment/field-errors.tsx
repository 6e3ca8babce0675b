import type { FieldError } from './experiment-draft.ts';

export function FieldErrors({ errors }: { errors: readonly FieldError[] }) {
  if (errors.length === 0) return null;
  return <ul className="field-errors" role="alert">{errors.map((e) => <li key={`${e.field}:${e.message}`}><code>{e.field}</code>: {e.message}</li>)}</ul>;
}
