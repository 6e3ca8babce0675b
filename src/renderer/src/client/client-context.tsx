import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { RequestOf, ResponseOf } from '../../../core/protocol/requests.ts';
import type { UiRequests } from '../../../core/protocol/ui-protocol.ts';
import type { ConnectionState, CoordinatorClient, UiPush, UiPushName, UiRequestName } from './coordinator-client.ts';

const ClientContext = createContext<CoordinatorClient | null>(null);

export function ClientProvider({ client, children }: { client: CoordinatorClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): CoordinatorClient {
  const client = useContext(ClientContext);
  if (client === null) throw new Error('useClient outside <ClientProvider>');
  return client;
}

/** What a screen shows while it waits, when it failed, and when it has the answer. */
export type Loadable<T> = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ok'; value: T };

export function useConnectionState(): ConnectionState {
  const client = useClient();
  const [state, setState] = useState(client.state());
  useEffect(() => {
    setState(client.state());
    return client.onState(setState);
  }, [client]);
  return state;
}

/**
 * One request, sent again when its payload changes, on reload(), and after a reconnect.
 * A payload of null sends nothing (the screen lacks what to ask). A late answer to an
 * earlier payload never overwrites the answer to the current one.
 */
export function useRequest<K extends UiRequestName>(name: K, payload: RequestOf<UiRequests, K> | null): Loadable<ResponseOf<UiRequests, K>> & { reload(): void } {
  const client = useClient();
  const key = payload === null ? null : JSON.stringify(payload);
  const [state, setState] = useState<Loadable<ResponseOf<UiRequests, K>>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (key === null) return;
    const ticket = ++latest.current;
    setState((previous) => (previous.status === 'ok' && generation > 0 ? previous : { status: 'loading' }));
    void client.request(name, JSON.parse(key) as RequestOf<UiRequests, K>).then((answer) => {
      if (ticket !== latest.current) return;
      setState(answer.ok ? { status: 'ok', value: answer.value } : { status: 'error', error: answer.error });
    });
  }, [client, name, key, generation]);
  useEffect(() => client.onReconnect(() => setGeneration((g) => g + 1)), [client]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/** Pushes of one event while the component is mounted. */
export function usePush<K extends UiPushName>(event: K, listener: (payload: UiPush<K>) => void): void {
  const client = useClient();
  const current = useRef(listener);
  current.current = listener;
  useEffect(() => client.on(event, (payload) => current.current(payload)), [client, event]);
}
