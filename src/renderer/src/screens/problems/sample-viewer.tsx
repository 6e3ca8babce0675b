import { useEffect, useState } from 'react';
import { SAMPLE_LABELS, type SampleDetail, type SampleLabel } from '../../../../core/protocol/ui-app-requests.ts';
import type { RunSummary } from '../../../../core/protocol/ui-protocol.ts';
import { useClient, useRequest } from '../../client/client-context.tsx';
import { integer } from '../../ui/format.ts';
import { Loaded } from '../../ui/states.tsx';

/**
 * Where the extracted answer sits in the text: the last `\boxed{…}` holding it, else its
 * last occurrence (verifiers read the last statement). null when it is not there verbatim
 * (it was normalised), and then nothing is marked.
 */
export function answerSpan(text: string, extracted: string | null): [number, number] | null {
  if (!extracted) return null;
  const boxed = text.lastIndexOf(`\\boxed{${extracted}}`);
  if (boxed >= 0) return [boxed, boxed + extracted.length + 8];
  const at = text.lastIndexOf(extracted);
  return at >= 0 ? [at, at + extracted.length] : null;
}

export function SampleViewer({ run, problemId, modelId, index, gold, notify, onLabelled }: {
  run: RunSummary; problemId: string; modelId: string; index: number; gold: string;
  notify: (message: string, tone?: 'ok' | 'error') => void; onLabelled: () => void;
}) {
  const sample = useRequest('sample:get', { runId: run.id, problemId, modelId, index });
  return (
    <Loaded data={sample} what={`sample ${index}`}>
      {(s) => <SampleText s={s} gold={gold} modelId={modelId} run={run} problemId={problemId} notify={notify} onLabelled={() => { sample.reload(); onLabelled(); }} />}
    </Loaded>
  );
}

function SampleText({ s, gold, modelId, run, problemId, notify, onLabelled }: {
  s: SampleDetail; gold: string; modelId: string; run: RunSummary; problemId: string;
  notify: (message: string, tone?: 'ok' | 'error') => void; onLabelled: () => void;
}) {
  const client = useClient();
  const [label, setLabel] = useState<SampleLabel | null>(s.label?.label ?? null);
  const [note, setNote] = useState(s.label?.note ?? '');
  useEffect(() => { setLabel(s.label?.label ?? null); setNote(s.label?.note ?? ''); }, [s.index, s.label?.label, s.label?.note]);
  const span = answerSpan(s.text, s.extracted);
  const save = async (value: SampleLabel | null) => {
    const answer = await client.request('sample:label', { runId: run.id, problemId, modelId, index: s.index, label: value, note: value === null ? '' : note });
    if (answer.ok) {
      notify(value === null ? `Removed the label of sample ${s.index}.` : `Labelled sample ${s.index} ${value}.`);
      onLabelled();
    } else {
      notify(answer.error, 'error');
    }
  };
  return (
    <article className="sample" aria-label={`Sample ${s.index} of ${modelId}`}>
      <header className="sample-head">
        <h3>Sample #{s.index} <span className="muted">of {modelId}</span></h3>
        <p>
          <span className={`verdict-badge verdict-${s.correct === null ? 'none' : s.correct ? 'yes' : 'no'}`}>{s.correct === null ? 'not verified' : s.correct ? 'correct' : 'incorrect'}</span>
          {s.fallback && <span className="badge badge-paused" title="No stated answer: the verifier judged the last number in the text">fallback</span>}
          {' '}<span className="muted small">{s.tokens === null ? 'imported: tokens not recorded' : `${integer(s.tokens)} tokens · ${s.finish === 'length' ? 'cut at the token limit' : 'stopped'}`}{s.workerId ? ` · worker ${s.workerId}` : ''}</span>
        </p>
        <dl className="answer-pair">
          <div><dt>Extracted</dt><dd><code className="extracted">{s.extracted ?? '—'}</code></dd></div>
          <div><dt>Gold</dt><dd><code className="gold">{gold}</code></dd></div>
        </dl>
        {s.reason && <p className="muted small">Verifier: {s.reason}</p>}
      </header>
      <pre className="sample-text" tabIndex={0} aria-label="Sample text">
        {span === null ? s.text : <>{s.text.slice(0, span[0])}<mark className="answer-mark">{s.text.slice(span[0], span[1])}</mark>{s.text.slice(span[1])}</>}
      </pre>
      <form className="label-form" onSubmit={(e) => { e.preventDefault(); if (label) void save(label); }}>
        <fieldset>
          <legend>Chain of thought</legend>
          <div className="radio-row">
            {SAMPLE_LABELS.map((l) => (
              <label key={l} className={`radio label-${l}`}><input type="radio" name="label" value={l} checked={label === l} onChange={() => setLabel(l)} /> {l}</label>
            ))}
          </div>
          <label className="field">Note <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={4000} placeholder="what is right or wrong in the reasoning" /></label>
          <div className="button-row">
            <button type="submit" className="primary" disabled={label === null}>Save label</button>
            {s.label && <button type="button" onClick={() => void save(null)}>Remove label</button>}
            {s.label && <span className="muted small">labelled {s.label.label}</span>}
          </div>
        </fieldset>
      </form>
    </article>
  );
}
