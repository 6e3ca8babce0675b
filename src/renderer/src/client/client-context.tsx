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
  const key = payload === null ? null : `${name}:${JSON.stringify(payload)}`;
  // The answer with the request it answers: a reload keeps showing the old answer until the
  // new one comes; another request shows loading, never the previous request's answer.
  const [held, setHeld] = useState<{ key: string | null; state: Loadable<ResponseOf<UiRequests, K>> }>({ key: null, state: { status: 'loading' } });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (key === null || payload === null) return;
    const ticket = ++latest.current;
    // Trying again after an error shows that it is trying.
    setHeld((h) => (h.key === key && h.state.status === 'error' ? { key, state: { status: 'loading' } } : h));
    void client.request(name, payload).then((answer) => {
      if (ticket !== latest.current) return;
      setHeld({ key, state: answer.ok ? { status: 'ok', value: answer.value } : { status: 'error', error: answer.error } });
    });
  }, [client, key, generation]); // eslint-disable-line react-hooks/exhaustive-deps -- the key stands for name and payload
  useEffect(() => client.onReconnect(() => setGeneration((g) => g + 1)), [client]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const state: Loadable<ResponseOf<UiRequests, K>> = held.key === key ? held.state : { status: 'loading' };
  return { ...state, reload };
}

/** Pushes of one event while the component is mounted. */
export function usePush<K extends UiPushName>(event: K, listener: (payload: UiPush<K>) => void): void {
  const client = useClient();
  const current = useRef(listener);
  current.current = listener;
  useEffect(() => client.on(event, (payload) => current.current(payload)), [client, event]);
}
