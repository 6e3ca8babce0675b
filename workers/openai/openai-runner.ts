import type OpenAI from 'openai';
import type { Lease, LeaseOfKind, ModelRef, SampleLease, SampleServer, ScoreLease, ShardKind } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import { substituteProblem } from '../../src/core/sampling/prompt-format.ts';
import { codePoints } from '../../src/core/sampling/detokenize.ts';
import { answerScore, requestGroups, requestSeed, samplesFromChoices, samplingParameters, type SampleResult } from '../../src/core/serving/server-sampling.ts';
import { readPromptTemplate } from '../../src/node/model-folder/read-model-folder.ts';
import { createPromptRenderer, type PromptRenderer } from '../engine/prompt-renderer.ts';
import type { LeaseRunner, RunnerHost } from '../worker/lease-runner.ts';
import { Batcher } from '../worker/result-batcher.ts';
import { ABORTED, type ServerClient } from './server-client.ts';

/**
 * Runs sample and score leases against an inference server. Sample i of (run seed, model,
 * problem) is asked for with its own seed (server-sampling.ts), `perRequest` samples per
 * request; every request of a lease is in flight at once, up to the worker's concurrency,
 * and a lease called back aborts its requests. The prompt is rendered here from the model
 * folder's files (the onnx engine's renderer), unless the model asks for the chat endpoint.
 */
export class OpenAiRunner implements LeaseRunner {
  private readonly renderers = new Map<string, PromptRenderer>();
  private readonly aborts = new Map<number, AbortController>();
  private lastModel: string | null = null;

  constructor(private readonly server: ServerClient, private readonly host: RunnerHost, private readonly perRequest: number) {}

  loaded(): string | null {
    return this.lastModel;
  }

  /** How this runner runs each kind of lease; null: not here (its worker verifies on a slot lane). */
  private readonly kinds: { [K in ShardKind]: ((lease: LeaseOfKind[K], progress: (done: number) => void, signal: AbortSignal) => Promise<Result<{ tokens: number }>>) | null } = {
    sample: (lease, progress, signal) => this.sample(lease, progress, signal),
    score: (lease, progress, signal) => this.score(lease, progress, signal),
    verify: null,
  };

  run(lease: Lease, progress: (done: number) => void): Promise<Result<{ tokens: number }>> {
    return this.runOfKind(lease.kind, lease, progress);
  }

  private async runOfKind<K extends ShardKind>(kind: K, lease: LeaseOfKind[K], progress: (done: number) => void): Promise<Result<{ tokens: number }>> {
    const runKind = this.kinds[kind];
    if (runKind === null) return { ok: false, error: `an openai-backend lane does not run ${kind} leases (its worker has a slot lane for them)` };
    const abort = new AbortController();
    this.aborts.set(lease.leaseId, abort);
    try {
      return await runKind(lease, progress, abort.signal);
    } finally {
      this.aborts.delete(lease.leaseId);
    }
  }

  cancel(leaseId: number): void {
    this.aborts.get(leaseId)?.abort();
  }

  async terminate(): Promise<void> {
    for (const abort of this.aborts.values()) abort.abort();
  }

  private async renderer(model: ModelRef): Promise<Result<PromptRenderer>> {
    const known = this.renderers.get(model.sha256);
    this.lastModel = model.sha256;
    if (known) return { ok: true, value: known };
    const folder = await this.host.ensure(model);
    if (!folder.ok) return folder;
    const template = readPromptTemplate(folder.value);
    if (!template.ok) return { ok: false, error: `model ${model.id}: ${template.error}` };
    const renderer = createPromptRenderer({ dir: folder.value, ...template.value });
    this.renderers.set(model.sha256, renderer);
    return { ok: true, value: renderer };
  }

  private async sample(lease: SampleLease, progress: (done: number) => void, signal: AbortSignal): Promise<Result<{ tokens: number }>> {
    const served = lease.model.served;
    if (served === null) return { ok: false, error: `model ${lease.model.id} is not a served model` };
    const renderer = await this.renderer(lease.model);
    if (!renderer.ok) return renderer;
    const parameters = samplingParameters(lease.settings);
    const source: SampleServer = {
      baseUrl: this.server.options.baseUrl, model: served.model, endpoint: served.endpoint, fingerprint: null,
      request: { ...parameters, logprobs: served.endpoint === 'chat' ? true : 0, samples_per_request: this.perRequest, seed: 'per request: from the stream of its first sample' },
    };
    const batcher = new Batcher<SampleResult>((samples) => this.host.send('results:samples', { leaseId: lease.leaseId, ep: 'server', server: source, samples }));
    const stream = { seed: lease.seed, modelId: lease.model.id, problemId: lease.problem.id };
    if (served.endpoint === 'completions' && lease.prompt.format === 'chat' && renderer.value.chatTemplateProblem !== undefined) {
      return { ok: false, error: `model ${lease.model.id}: ${renderer.value.chatTemplateProblem}` };
    }
    const chatMessage = substituteProblem(lease.prompt.template ?? '{problem}', lease.problem.text);
    const prompt = served.endpoint === 'completions' ? renderer.value.formatPrompt(lease.problem.text, lease.prompt.format, lease.prompt.template ?? undefined) : null;
    let tokens = 0;
    let done = 0;
    let failure: string | null = null;
    await Promise.all(requestGroups(lease.start, lease.end, this.perRequest).map(async ({ first, count }) => {
      const seed = requestSeed(stream, first);
      const answer = prompt !== null
        ? await this.server.complete({ model: served.model, prompt, n: count, seed, logprobs: 0, ...parameters } as OpenAI.Completions.CompletionCreateParamsNonStreaming, signal)
        : await this.server.chat({ model: served.model, messages: [{ role: 'user', content: chatMessage }], n: count, seed, logprobs: true, ...parameters } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, signal);
      if (!answer.ok) {
        failure ??= answer.error;
        return;
      }
      const samples = samplesFromChoices(answer.value.choices, first, count);
      if (!samples.ok) {
        failure ??= `${this.server.options.baseUrl} (${served.model}): ${samples.error}`;
        return;
      }
      source.model = answer.value.model || served.model;
      source.fingerprint ??= answer.value.system_fingerprint ?? null;
      for (const sample of samples.value) {
        tokens += sample.tokens;
        this.host.onTokens(sample.tokens);
        batcher.add(sample);
        progress(++done);
      }
    }));
    const sent = await batcher.finish();
    if (failure !== null && failure !== ABORTED) return { ok: false, error: failure };
    return sent.ok ? { ok: true, value: { tokens } } : sent;
  }

  private async score(lease: ScoreLease, progress: (done: number) => void, signal: AbortSignal): Promise<Result<{ tokens: number }>> {
    const served = lease.scorer.served;
    if (served === null) return { ok: false, error: `model ${lease.scorer.id} is not a served model` };
    const renderer = await this.renderer(lease.scorer);
    if (!renderer.ok) return renderer;
    let prompt: string;
    try {
      prompt = renderer.value.formatPrompt(lease.problem.text, lease.prompt.format, lease.prompt.template ?? undefined);
    } catch (error) {
      return { ok: false, error: `scoring under ${lease.scorer.id} renders its prompt from the model folder: ${(error as Error).message}` };
    }
    const batcher = new Batcher<{ index: number; tokens: number; logprob: number }>((scores) => this.host.send('results:scores', { leaseId: lease.leaseId, scores }));
    let tokens = 0;
    let done = 0;
    let failure: string | null = null;
    await Promise.all(lease.samples.map(async (sample) => {
      if (sample.text === '') {
        batcher.add({ index: sample.index, tokens: 0, logprob: 0 });
        progress(++done);
        return;
      }
      const answer = await this.server.complete({
        model: served.model, prompt: prompt + sample.text, echo: true, max_tokens: this.server.echoMaxTokens, logprobs: 0, temperature: 0,
      }, signal);
      if (!answer.ok) {
        failure ??= answer.error;
        return;
      }
      const score = answerScore(answer.value.choices[0]?.logprobs, codePoints(sample.text), answer.value.usage?.completion_tokens ?? this.server.echoMaxTokens);
      if (!score.ok) {
        failure ??= `${this.server.options.baseUrl} (${served.model}): ${score.error}`;
        return;
      }
      tokens += score.value.tokens;
      batcher.add({ index: sample.index, ...score.value });
      progress(++done);
    }));
    const sent = await batcher.finish();
    if (failure !== null && failure !== ABORTED) return { ok: false, error: failure };
    return sent.ok ? { ok: true, value: { tokens } } : sent;
  }
}
