// Memory of `passk coordinator` under the flood of issue 24, for one or more checkouts side
// by side: a fresh coordinator each, its resident memory at rest, then the peak while
// `clients` anonymous sockets each send one event of `mb` MB to the default namespace and
// `held` more anonymous connections are opened and kept. Loopback only.
//   npx tsx bench/coordinator-flood.ts [--clients 8] [--mb 30] [--held 300] [PASSK_JS …]
// PASSK_JS: a checkout's bin/passk.js (default this one's); the ratio is the first's peak over the last's.
import { parseArgs } from 'node:util';
import { flood, rssMb } from '../test/support/hostile-clients.ts';
import { freePort, startCoordinator, tempDir } from '../test/support/lab.ts';

const { values, positionals } = parseArgs({ options: { clients: { type: 'string' }, mb: { type: 'string' }, held: { type: 'string' } }, allowPositionals: true });
const clients = Number(values.clients ?? 8);
const mb = Number(values.mb ?? 30);
const held = Number(values.held ?? 300);
const checkouts = positionals.length > 0 ? positionals : ['bin/passk.js'];

const results: { passk: string; restMb: number; peakMb: number; heldOpen: number; sendersOpen: number }[] = [];
for (const passk of checkouts) {
  const port = await freePort();
  const coordinator = await startCoordinator(tempDir('flood'), port, [], [passk]);
  await new Promise((r) => setTimeout(r, 1000));
  const pid = coordinator.child.pid!;
  const restMb = rssMb(pid);
  let peakMb = restMb;
  const sampler = setInterval(() => { peakMb = Math.max(peakMb, rssMb(pid)); }, 50);
  const outcome = await flood(port, { clients, bytes: mb * 1024 * 1024, held, waitMs: 5000 });
  clearInterval(sampler);
  peakMb = Math.max(peakMb, rssMb(pid));
  for (const ws of outcome.sockets) ws.terminate();
  await coordinator.kill('SIGTERM');
  results.push({ passk, restMb, peakMb, heldOpen: outcome.heldOpen, sendersOpen: outcome.sendersOpen });
  process.stdout.write(`${passk}: rest ${restMb.toFixed(0)} MB, peak ${peakMb.toFixed(0)} MB under ${clients} × ${mb} MB + ${held} connections; `
    + `${outcome.heldOpen} of ${held} held connections and ${outcome.sendersOpen} of ${clients} senders still open after 5 s\n`);
}
if (results.length > 1) {
  const first = results[0];
  const last = results.at(-1)!;
  process.stdout.write(`peak growth ${(first.peakMb - first.restMb).toFixed(0)} MB vs ${(last.peakMb - last.restMb).toFixed(0)} MB: ${((first.peakMb - first.restMb) / Math.max(1, last.peakMb - last.restMb)).toFixed(1)}×\n`);
}
