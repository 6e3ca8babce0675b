import type { Socket } from 'socket.io';
import { describeZodError, type HandlerMap, type RequestMap } from '../../core/protocol/requests.ts';

/**
 * Answers one socket's requests from a handler map: every payload is parsed with its
 * schema first, and a malformed or unknown request, or a handler that throws, is answered
 * with `{ ok: false, error }` naming the request, while the connection goes on.
 */
export function serveRequests<M extends RequestMap>(socket: Socket, map: M, handlers: HandlerMap<M>, log: (line: string) => void): void {
  socket.onAny(async (event: unknown, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (answer: unknown) => void) : null;
    const name = String(event);
    if (ack === null) {
      log(`ignored "${name.slice(0, 60)}" from ${socket.id}: requests need an acknowledgement callback`);
      return;
    }
    if (!Object.hasOwn(map, name)) {
      ack({ ok: false, error: `unknown request "${name.slice(0, 60)}"` });
      return;
    }
    const parsed = map[name].request.safeParse(args[0]);
    if (!parsed.success) {
      ack({ ok: false, error: `${name}: malformed request (${describeZodError(parsed.error)})` });
      return;
    }
    try {
      ack(await handlers[name](parsed.data as Parameters<HandlerMap<M>[string]>[0]));
    } catch (error) {
      log(`${name} from ${socket.id} failed: ${(error as Error).stack ?? String(error)}`);
      ack({ ok: false, error: `${name}: ${(error as Error).message}` });
    }
  });
}
