import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { sendRequest, type RequestResult } from '../../../core/protocol/request-client.ts';
import type { RequestOf, ResponseOf } from '../../../core/protocol/requests.ts';
import { UI_NAMESPACE, uiPushes, uiRequests, type UiRequests } from '../../../core/protocol/ui-protocol.ts';

export type UiRequestName = keyof UiRequests & string;
export type UiPushName = keyof typeof uiPushes & string;
export type UiPush<K extends UiPushName> = z.output<(typeof uiPushes)[K]>;

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'connected' }
  /** The coordinator refused the credentials: signing in again is the way out. */
  | { status: 'refused'; reason: string }
  /** Lost or unreachable; socket.io keeps retrying. */
  | { status: 'disconnected'; reason: string };

/**
 * The renderer's one way to the coordinator: typed requests and pushes of the /ui
 * protocol, every answer and push parsed with its schema. The same in Electron (token in
 * socket.io's auth) and in a browser (the session cookie the page signed in with).
 */
export interface CoordinatorClient {
  /** Where it connects (shown in the shell), e.g. http://127.0.0.1:7077. */
  readonly address: string;
  request<K extends UiRequestName>(name: K, payload: RequestOf<UiRequests, K>, timeoutMs?: number): Promise<RequestResult<ResponseOf<UiRequests, K>>>;
  on<K extends UiPushName>(event: K, listener: (payload: UiPush<K>) => void): () => void;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Runs again after every reconnect (subscriptions live on the coordinator's side of one connection). */
  onReconnect(listener: () => void): () => void;
  close(): void;
}

export interface ConnectOptions {
  /** http(s)://host:port; omitted: the page's own origin (the browser home). */
  url?: string;
  /** The UI token; omitted: the session cookie. */
  token?: string;
}

export function connectCoordinator(options: ConnectOptions): CoordinatorClient {
  const base = options.url?.replace(/^ws(s?):/, 'http$1:').replace(/\/+$/, '') ?? '';
  const socket: Socket = io(`${base}${UI_NAMESPACE}`, {
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    // A page cannot set a WebSocket's headers: the token rides in the upgrade's query as well,
    // so the coordinator lets this socket send more than a hello (see the connection gate).
    ...(options.token !== undefined ? { auth: { token: options.token }, query: { token: options.token } } : {}),
  });
  return clientOverSocket(socket, base === '' ? window.location.origin : base);
}

export function clientOverSocket(socket: Socket, address: string): CoordinatorClient {
  let current: ConnectionState = socket.connected ? { status: 'connected' } : { status: 'connecting' };
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const reconnectListeners = new Set<() => void>();
  let everConnected = socket.connected;
  const set = (state: ConnectionState) => {
    current = state;
    for (const listener of stateListeners) listener(state);
  };
  socket.on('connect', () => {
    set({ status: 'connected' });
    if (everConnected) for (const listener of reconnectListeners) listener();
    everConnected = true;
  });
  socket.on('disconnect', (reason) => set({ status: 'disconnected', reason: `connection lost (${reason}); reconnecting…` }));
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === 'bad-token') {
      // A refusal does not get better by retrying with the same credentials.
      socket.disconnect();
      set({ status: 'refused', reason: error.message });
    } else {
      set({ status: 'disconnected', reason: `no coordinator at ${address} (${error.message}); retrying…` });
    }
  });
  return {
    address,
    request: (name, payload, timeoutMs = 60_000) => sendRequest(socket, uiRequests, name, payload, timeoutMs),
    on(event, listener) {
      const handler = (payload: unknown) => {
        const parsed = uiPushes[event].safeParse(payload);
        if (parsed.success) listener(parsed.data as UiPush<typeof event>);
      };
      socket.on(event as string, handler);
      return () => void socket.off(event as string, handler);
    },
    state: () => current,
    onState(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => void reconnectListeners.delete(listener);
    },
    close: () => void socket.close(),
  };
}
