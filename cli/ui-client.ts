import { io, type Socket } from 'socket.io-client';
import { sendRequest, type RequestResult } from '../src/core/protocol/request-client.ts';
import type { RequestOf, ResponseOf } from '../src/core/protocol/requests.ts';
import { UI_NAMESPACE, uiPushes, uiRequests, type UiRequests } from '../src/core/protocol/ui-protocol.ts';
import type { z } from 'zod';
import { UsageError } from './command.ts';

/** `passk run --coordinator`, `passk runs …`: a client of the /ui namespace like the desktop app. */
export interface UiClient {
  request<K extends keyof UiRequests & string>(name: K, payload: RequestOf<UiRequests, K>, timeoutMs?: number): Promise<RequestResult<ResponseOf<UiRequests, K>>>;
  on<K extends keyof typeof uiPushes & string>(event: K, listener: (payload: z.output<(typeof uiPushes)[K]>) => void): void;
  close(): void;
}

/** Connects with the UI token; a refusal or an unreachable coordinator is a UsageError naming the URL. */
export async function connectUi(url: string, token: string, ca?: Buffer): Promise<UiClient> {
  const socket: Socket = io(`${url.replace(/^ws(s?):/, 'http$1:')}${UI_NAMESPACE}`, {
    auth: { token }, extraHeaders: { Authorization: `Bearer ${token}` }, transports: ['websocket'], reconnectionDelay: 250, reconnectionDelayMax: 2000,
    ...(ca ? { ca: ca.toString('utf8') } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { socket.close(); reject(new UsageError(`${url}: no coordinator answered within 15 s`)); }, 15_000);
    socket.once('connect', () => { clearTimeout(timer); resolve(); });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (error.data?.code === 'bad-token') {
        clearTimeout(timer);
        socket.close();
        reject(new UsageError(`${url}: ${error.message}`));
      }
    });
  });
  return {
    request: (name, payload, timeoutMs = 120_000) => sendRequest(socket, uiRequests, name, payload, timeoutMs),
    on: (event, listener) => {
      socket.on(event as string, (payload: unknown) => {
        const parsed = uiPushes[event].safeParse(payload);
        if (parsed.success) listener(parsed.data as never);
      });
    },
    close: () => socket.close(),
  };
}
