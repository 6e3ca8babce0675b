import { errorsFor, type ExperimentDraft, type FieldError } from './experiment-draft.ts';
import { FieldErrors } from './field-errors.tsx';

const FIELDS: { key: keyof ExperimentDraft; label: string; placeholder: string }[] = [
  { key: 'n', label: 'Samples per problem (n)', placeholder: '256' },
  { key: 'temperature', label: 'Temperature', placeholder: 'model, else 0.6' },
  { key: 'topP', label: 'Top-p', placeholder: 'model, else 0.95' },
  { key: 'topK', label: 'Top-k', placeholder: 'model, else off' },
  { key: 'maxNewTokens', label: 'Max new tokens', placeholder: 'model, else 16384' },
  { key: 'seed', label: 'Seed', placeholder: '0' },
];

export function SamplingSection({ draft, set, errors }: { draft: ExperimentDraft; set: (change: Partial<ExperimentDraft>) => void; errors: FieldError[] }) {
  return (
    <fieldset className="form-section">
      <legend>Sampling and k</legend>
      <div className="field-grid">
        {FIELDS.map((f) => (
          <label key={f.key} className="field">{f.label}
            <input inputMode={f.key === 'seed' ? 'text' : 'decimal'} value={String(draft[f.key])} placeholder={f.placeholder} onChange={(e) => set({ [f.key]: e.target.value } as Partial<ExperimentDraft>)} />
          </label>
        ))}
      </div>
      <p className="muted small">Empty settings come from each model's generation_config.json, then the paper's (T 0.6, top-p 0.95). The same seed draws the same samples on any worker.</p>
      <label className="field">k grid <input value={draft.ks} onChange={(e) => set({ ks: e.target.value })} placeholder={`1, 2, 4, … up to n (default)`} aria-describedby="ks-help" /></label>
      <p id="ks-help" className="muted small">Leave empty for powers of two up to n; with the default, pass@k fills in while the run goes.</p>
      <FieldErrors errors={[...errorsFor(errors, 'sampling'), ...errorsFor(errors, 'ks')]} />
    </fieldset>
  );
}
