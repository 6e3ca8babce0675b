import { PROMPT_FORMATS, ROLES } from '../../../../core/protocol/ui-app-requests.ts';
import type { Role } from '../../../../core/roles.ts';
import { useRequest } from '../../client/client-context.tsx';
import { bytes } from '../../ui/format.ts';
import { useDebounced } from '../../ui/use-debounced.ts';
import type { ArchiveFiles } from '../archive-files.ts';
import { errorsFor, newModelDraft, type ExperimentDraft, type FieldError, type ModelDraft } from './experiment-draft.ts';
import { FieldErrors } from './field-errors.tsx';

export function ModelsSection({ draft, set, bundledModels, files, errors }: {
  draft: ExperimentDraft; set: (change: Partial<ExperimentDraft>) => void;
  bundledModels: { role: Role; folder: string }[]; files: ArchiveFiles; errors: FieldError[];
}) {
  const update = (key: number, change: Partial<ModelDraft>) => set({ models: draft.models.map((m) => (m.key === key ? { ...m, ...change } : m)) });
  const remove = (key: number) => set({ models: draft.models.filter((m) => m.key !== key) });
  const add = async () => {
    const folder = files.native ? await files.chooseFolder('Model folder (Hugging Face layout with an ONNX decoder)') : '';
    if (files.native && folder === null) return;
    set({ models: [...draft.models, newModelDraft(folder ?? '', draft.models.some((m) => m.role === 'base') ? 'rl' : 'base')] });
  };
  return (
    <fieldset className="form-section">
      <legend>Models</legend>
      {draft.models.length === 0 && <p className="muted">No model yet. Add a folder, or start from the bundled base / RL / distilled trio.</p>}
      <ol className="model-list">
        {draft.models.map((m, i) => <ModelRow key={m.key} index={i} model={m} update={(c) => update(m.key, c)} remove={() => remove(m.key)} files={files} errors={errorsFor(errors, `models[${i}]`)} />)}
      </ol>
      <div className="button-row">
        <button type="button" onClick={() => void add()}>Add a model{files.native ? ' folder…' : ''}</button>
        <button type="button" onClick={() => set({ models: bundledModels.map((b) => newModelDraft(b.folder, b.role)) })}>Use the bundled trio</button>
      </div>
      <FieldErrors errors={errors.filter((e) => e.field === 'models')} />
    </fieldset>
  );
}

function ModelRow({ index, model, update, remove, files, errors }: {
  index: number; model: ModelDraft; update: (c: Partial<ModelDraft>) => void; remove: () => void; files: ArchiveFiles; errors: FieldError[];
}) {
  const folder = useDebounced(model.folder.trim(), 400);
  const check = useRequest('model:check', folder === '' ? null : { folder });
  const n = index + 1;
  return (
    <li className="model-row">
      <div className="field-row">
        <label className="field grow">Folder <input value={model.folder} onChange={(e) => update({ folder: e.target.value })} placeholder="/models/qwen2.5-7b" spellCheck={false} aria-label={`Model ${n} folder`} /></label>
        {files.native && <button type="button" onClick={() => void files.chooseFolder('Model folder').then((f) => f && update({ folder: f }))}>Choose…</button>}
        <label className="field">Role
          <select value={model.role} onChange={(e) => update({ role: e.target.value as Role })} aria-label={`Model ${n} role`}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="button" className="link danger" onClick={remove} aria-label={`Remove model ${n}`}>Remove</button>
      </div>
      <div className="model-check" role="status">
        {folder === '' ? null : check.status === 'loading' ? <span className="muted small">Reading the folder…</span>
          : check.status === 'error' ? <span className="text-danger small">{check.error}</span>
          : <span className="small ok-text">✓ {check.value.modelType}, {check.value.layers} layers, {check.value.dtype} ({bytes(check.value.bytes)}){check.value.variants.length > 1 ? `; variants ${check.value.variants.join(', ')}` : ''} · {check.value.hasChatTemplate ? 'chat template' : 'no chat template (raw prompts)'}
              {check.value.generation.temperature !== null && ` · its generation_config: T ${check.value.generation.temperature}${check.value.generation.topP !== null ? `, top-p ${check.value.generation.topP}` : ''}`}</span>}
      </div>
      <details>
        <summary>Id, label, prompt</summary>
        <div className="field-row">
          <label className="field">Id <input value={model.id} onChange={(e) => update({ id: e.target.value })} placeholder={check.status === 'ok' ? check.value.id : 'the folder name'} spellCheck={false} /></label>
          <label className="field grow">Label <input value={model.label} onChange={(e) => update({ label: e.target.value })} placeholder="e.g. GRPO step 400" /></label>
          <label className="field">Prompt format
            <select value={model.promptFormat} onChange={(e) => update({ promptFormat: e.target.value as ModelDraft['promptFormat'] })}>
              <option value="">default (chat when the model has a template)</option>
              {PROMPT_FORMATS.map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          </label>
        </div>
        <label className="field">Template (the user message; {'{problem}'} is replaced) <textarea rows={2} value={model.template} onChange={(e) => update({ template: e.target.value })} placeholder={'{problem}\\nPlease reason step by step, and put your final answer within \\boxed{}.'} /></label>
      </details>
      <FieldErrors errors={errors} />
    </li>
  );
}
