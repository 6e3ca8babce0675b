import { useState } from 'react';
import type { WorkerRow } from '../../../core/protocol/ui-protocol.ts';
import { useClient, useRequest } from '../client/client-context.tsx';
import { useWorkers } from '../client/live-data.ts';
import { bytes, dateTime } from '../ui/format.ts';
import { Empty, Loaded } from '../ui/states.tsx';
import { Card, ConfirmDialog, CopyButton, StatusBadge } from '../ui/widgets.tsx';

const hardware = (w: WorkerRow) => {
  const c = w.capabilities;
  return c.gpu ? `${c.gpu.name} (${bytes(c.gpu.memoryMb * 2 ** 20)})` : `CPU, ${c.cores} cores`;
};

/** The workers that joined, live, and the command that adds one. */
export function WorkersScreen({ notify }: { notify: (message: string, tone?: 'ok' | 'error') => void }) {
  const client = useClient();
  const workers = useWorkers();
  const info = useRequest('coordinator:info', {});
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState(false);

  const revoke = async () => {
    setRevoking(false);
    const answer = await client.request('tokens:revoke-worker', {});
    if (answer.ok) {
      notify('The old join token no longer works; workers that used it were disconnected. Give new workers the new command.');
      info.reload();
      setAdding(true);
    } else {
      notify(answer.error, 'error');
    }
  };

  return (
    <div className="screen">
      <header className="screen-header">
        <h1>Workers</h1>
        <div className="screen-actions">
          <button type="button" onClick={() => setRevoking(true)}>Revoke join token…</button>
          <button type="button" className="primary" aria-expanded={adding} aria-controls="add-worker" onClick={() => setAdding((a) => !a)}>Add a worker</button>
        </div>
      </header>
      {adding && (
        <Card title="Add a worker" className="add-worker">
          <div id="add-worker">
            <Loaded data={info} what="the join command">
              {(i) => (
                <>
                  <p>Run this on any machine that reaches this coordinator and has Node 20 and npm. It installs the worker program from the coordinator, fetches the models it needs, and joins; it appears below when it does.</p>
                  <div className="command-box">
                    <code className="command" data-testid="join-command">{i.joinCommand}</code>
                    <CopyButton text={i.joinCommand} label="Copy command" />
                  </div>
                  <p className="muted small">Workers join at {i.workerUrl}. A GPU machine is used when its onnxruntime has the CUDA provider (README: GPUs); the worker picks it by itself. The command holds the join token: revoke it when a machine should no longer join.
                    {/^wss?:\/\/127\.0\.0\.1/.test(i.workerUrl) && ' This coordinator listens on this machine only; start it with --host 0.0.0.0 (or attach the app to a lab coordinator) to add other machines.'}</p>
                </>
              )}
            </Loaded>
          </div>
        </Card>
      )}
      <Loaded data={workers} what="the workers">
        {(rows) => rows.length === 0
          ? <Empty title="No worker has joined">Press <strong>Add a worker</strong> for the command that adds a machine.</Empty>
          : (
            <table className="table workers-table">
              <caption className="visually-hidden">Workers</caption>
              <thead><tr><th scope="col">Worker</th><th scope="col">State</th><th scope="col">Hardware</th><th scope="col">EP</th><th scope="col" className="num">Memory</th><th scope="col" className="num">Slots</th><th scope="col" className="num">Samples/s</th><th scope="col">Current shards</th><th scope="col">Connected</th></tr></thead>
              <tbody>
                {rows.map((w) => (
                  <tr key={w.id} data-worker={w.name}>
                    <td><strong>{w.name}</strong><div className="muted small">{w.host} · v{w.version}</div></td>
                    <td><StatusBadge status={w.state} /></td>
                    <td>{hardware(w)}</td>
                    <td>{w.capabilities.eps.join(', ')}</td>
                    <td className="num">{bytes(w.capabilities.memoryMb * 2 ** 20)}</td>
                    <td className="num">{w.capabilities.slots}</td>
                    <td className="num">{w.samplesPerSecond === null ? '—' : w.samplesPerSecond.toFixed(1)}</td>
                    <td className="small">
                      {w.leases.length === 0 ? <span className="muted">none</span> : w.leases.map((l) => (
                        <div key={l.leaseId}>{l.kind} {l.modelId} / {l.problemId} [{l.start}, {l.end}) · {l.done} done</div>
                      ))}
                      {w.capabilities.sandboxProblem && <div className="muted">no code verification: {w.capabilities.sandboxProblem}</div>}
                    </td>
                    <td className="small">{dateTime(w.connectedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </Loaded>
      {revoking && (
        <ConfirmDialog title="Revoke the workers' join token?" confirmLabel="Revoke and make a new one" danger onCancel={() => setRevoking(false)} onConfirm={() => void revoke()}>
          <p>Every worker is disconnected and the current join command stops working. Their shards go back to the queue; workers must join again with the new command.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
