import { useEffect, useState } from 'react';
import { isRunOpen, type RunProgress, type WorkerRow } from '../../../core/protocol/ui-protocol.ts';
import { useClient, type Loadable } from './client-context.tsx';

/**
 * A run's progress, pushed by the coordinator while this is mounted. Subscriptions live
 * on one connection, so a reconnect subscribes again; pushes are throttled and can be
 * missed across a reconnect, so an open run is also polled now and then.
 */
export function useRunProgress(runId: string): Loadable<RunProgress> {
  const client = useClient();
  const [state, setState] = useState<Loadable<RunProgress>>({ status: 'loading' });
  useEffect(() => {
    let alive = true;
    let finished = false;
    const take = (answer: { ok: true; value: RunProgress } | { ok: false; error: string }) => {
      if (!alive) return;
      if (answer.ok) finished = !isRunOpen(answer.value.status);
      setState((previous) => (answer.ok ? { status: 'ok', value: answer.value } : previous.status === 'ok' ? previous : { status: 'error', error: answer.error }));
    };
    const subscribe = () => void client.request('run:subscribe', { runId }).then(take);
    const offPush = client.on('run:progress', (p) => { if (p.runId === runId) take({ ok: true, value: p }); });
    const offReconnect = client.onReconnect(subscribe);
    const poll = setInterval(() => { if (!finished) void client.request('run:progress', { runId }, 10_000).then((a) => { if (a.ok) take(a); }); }, 5000);
    subscribe();
    return () => {
      alive = false;
      offPush();
      offReconnect();
      clearInterval(poll);
      void client.request('run:unsubscribe', { runId });
    };
  }, [client, runId]);
  return state;
}

/** The workers, as the coordinator pushes them when one joins, leaves or changes state. */
export function useWorkers(): Loadable<WorkerRow[]> {
  const client = useClient();
  const [state, setState] = useState<Loadable<WorkerRow[]>>({ status: 'loading' });
  useEffect(() => {
    let alive = true;
    const subscribe = () => void client.request('workers:subscribe', {}).then((answer) => {
      if (alive) setState(answer.ok ? { status: 'ok', value: answer.value } : { status: 'error', error: answer.error });
    });
    const offPush = client.on('workers:update', (rows) => { if (alive) setState({ status: 'ok', value: rows }); });
    const offReconnect = client.onReconnect(subscribe);
    subscribe();
    return () => {
      alive = false;
      offPush();
      offReconnect();
    };
  }, [client]);
  return state;
}
