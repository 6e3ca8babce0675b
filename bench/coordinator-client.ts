// A worker without a model: leases shards from the coordinator and answers them with
// pre-made samples and verdicts over the real protocol, as fast as it can. Started by
// bench/coordinator.ts, `clients` sockets per process; prints `ready` once every socket has
// joined, starts leasing when it reads `go` on stdin (workers of a lab are joined before a
// run starts), and prints one JSON line when done.
import { io } from 'socket.io-client';
import { sendRequest } from '../src/core/protocol/request-client.ts';
import { PROTOCOL_VERSION, workerRequests, type Lease, type WorkerHello } from '../src/core/protocol/worker-protocol.ts';
import { judgeMath } from '../src/core/verify/math/index.ts';

const [url, token, name, clientsText, textBytes] = process.argv.slice(2);
const TEXT = 'Start with 12, add 7: 12+7=19. Multiply by 3: 19*3=57. '.repeat(Math.ceil(Number(textBytes) / 56)).slice(0, Number(textBytes)) + '\\boxed{57}';
const BATCH = 256;

async function join(index: number) {
  const socket = io(`${url}/worker`, {
    transports: ['websocket'],
    extraHeaders: { Authorization: `Bearer ${token}` },
    auth: {
      protocol: PROTOCOL_VERSION, token,
      worker: {
        name: `${name}-${index}`, host: 'bench', version: 'bench',
        capabilities: { eps: ['cpu'], gpu: null, cores: 1, memoryMb: 1, verify: ['math'], sandboxProblem: null, models: [], slots: 1, server: null },
      } satisfies WorkerHello['worker'],
    },
  });
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
  return socket;
}

async function client(socket: Awaited<ReturnType<typeof join>>): Promise<{ latencies: number[]; samples: number; leases: number }> {
  // Like a real worker: an idle client waits for work:available (or the retry time), it does not poll.
  let wake: (() => void) | null = null;
  socket.on('work:available', () => wake?.());
  const latencies: number[] = [];
  let samples = 0;
  let leases = 0;
  let idle = 0;
  for (;;) {
    const started = performance.now();
    const answer = await sendRequest(socket, workerRequests, 'lease:request', {}, 60_000);
    latencies.push(performance.now() - started);
    if (!answer.ok) throw new Error(answer.error);
    const lease: Lease | null = answer.value.lease;
    if (lease === null) {
      // Two empty answers in a row with no news between: the run is over for this client.
      if (++idle > 2) break;
      await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, Math.min(answer.value.retryMs, 1000)); });
      wake = null;
      continue;
    }
    idle = 0;
    leases++;
    // An honest worker's verdict (the coordinator judges every text again and quarantines a worker whose verdicts differ); every text is the same, so judged once a lease.
    const gold = lease.kind === 'sample' ? lease.inlineVerify?.gold : lease.kind === 'verify' ? lease.gold : null;
    const judged = gold ? judgeMath(gold, TEXT) : { correct: false, extracted: null, reason: 'no gold' };
    const verdict = { correct: judged.correct, extracted: judged.extracted, reason: judged.reason };
    for (let at = lease.start; at < lease.end; at += BATCH) {
      const end = Math.min(lease.end, at + BATCH);
      const indices = Array.from({ length: end - at }, (_, i) => at + i);
      const sent = lease.kind === 'sample'
        ? await sendRequest(socket, workerRequests, 'results:samples', {
          leaseId: lease.leaseId, ep: 'cpu',
          // As a real worker on a math run: each sample's verdict rides with it.
          samples: indices.map((i) => ({ index: i, text: TEXT, tokens: 40, finish: 'stop' as const, logprob: -12.5, ...(lease.inlineVerify ? { verdict } : {}) })),
        }, 60_000)
        : await sendRequest(socket, workerRequests, 'results:verdicts', { leaseId: lease.leaseId, verdicts: indices.map((i) => ({ index: i, ...verdict })) }, 60_000);
      if (!sent.ok) throw new Error(sent.error);
      if (lease.kind === 'sample') samples += end - at;
    }
    const done = await sendRequest(socket, workerRequests, 'lease:complete', { leaseId: lease.leaseId, tokens: 40 * (lease.end - lease.start), seconds: 0.01 }, 60_000);
    if (!done.ok) throw new Error(done.error);
  }
  socket.close();
  return { latencies, samples, leases };
}

const sockets = await Promise.all(Array.from({ length: Number(clientsText) }, (_, i) => join(i)));
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.setEncoding('utf8').on('data', (chunk: string) => { if (chunk.includes('go')) resolve(); }));
const results = await Promise.all(sockets.map(client));
process.stdout.write(JSON.stringify({
  latencies: results.flatMap((r) => r.latencies),
  samples: results.reduce((s, r) => s + r.samples, 0),
  leases: results.reduce((s, r) => s + r.leases, 0),
}) + '\n');
