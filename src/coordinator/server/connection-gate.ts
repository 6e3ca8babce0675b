import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { MAX_ANONYMOUS_MESSAGE_BYTES } from '../../core/protocol/limits.ts';

/**
 * How many sockets the coordinator holds at once. "Anonymous" ones are those whose
 * WebSocket upgrade carried no valid credential (a token or the web UI's session cookie):
 * they can only be refused with a reason by the namespaces, so they get few places and
 * small messages. Token holders are not counted per address (a lab behind one NAT has many
 * workers on one address); every socket counts toward `connections`.
 */
export interface ConnectionLimits {
  connections: number;
  anonymousConnections: number;
  anonymousPerAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { connections: 1024, anonymousConnections: 64, anonymousPerAddress: 8 };

export interface ConnectionGate {
  /** engine.io's `allowRequest`: called for every handshake (a WebSocket upgrade here), before any message is read. */
  allowRequest(req: IncomingMessage, answer: (error: string | null | undefined, success: boolean) => void): void;
  /** engine.io's `wsEngine`: an anonymous upgrade gets a WebSocket whose message limit is MAX_ANONYMOUS_MESSAGE_BYTES. */
  wsEngine: new (options: ServerOptions) => WebSocketServer;
}

/**
 * `credentialed(req)` says whether the upgrade request itself proves a token (worker or UI)
 * or a session: the namespaces check again which one, and the hello; this gate only decides
 * how much an unknown peer may cost before it is refused.
 */
export function connectionGate(limits: ConnectionLimits, credentialed: (req: IncomingMessage) => boolean): ConnectionGate {
  const trusted = new WeakSet<IncomingMessage>();
  const anonymousByAddress = new Map<string, number>();
  let connections = 0;
  let anonymous = 0;

  const allowRequest: ConnectionGate['allowRequest'] = (req, answer) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const known = credentialed(req);
    if (connections >= limits.connections) return answer(`the coordinator holds its most connections (${limits.connections}); try again later`, false);
    if (!known) {
      if (anonymous >= limits.anonymousConnections) return answer('too many connections without a token; try again later', false);
      if ((anonymousByAddress.get(address) ?? 0) >= limits.anonymousPerAddress) return answer(`too many connections without a token from ${address}`, false);
    }
    // Counted until the TCP connection closes: a WebSocket's life is its socket's.
    connections++;
    if (known) {
      trusted.add(req);
    } else {
      anonymous++;
      anonymousByAddress.set(address, (anonymousByAddress.get(address) ?? 0) + 1);
    }
    req.socket.once('close', () => {
      connections--;
      if (known) return;
      anonymous--;
      const left = (anonymousByAddress.get(address) ?? 1) - 1;
      if (left > 0) anonymousByAddress.set(address, left);
      else anonymousByAddress.delete(address);
    });
    answer(null, true);
  };

  /** Two `ws` servers behind engine.io's one: the full message limit for credentialed upgrades, a small one for the rest. */
  class GatedWebSocketServer extends WebSocketServer {
    private readonly anonymousServer: WebSocketServer;

    constructor(options: ServerOptions) {
      super(options);
      this.anonymousServer = new WebSocketServer({ ...options, maxPayload: Math.min(options.maxPayload ?? MAX_ANONYMOUS_MESSAGE_BYTES, MAX_ANONYMOUS_MESSAGE_BYTES) });
      // engine.io adds its response headers through this event; the second server must pass them on too.
      this.anonymousServer.on('headers', (headers: string[], req: IncomingMessage) => this.emit('headers', headers, req));
    }

    override handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, callback: (client: WebSocket, request: IncomingMessage) => void): void {
      if (trusted.has(req)) super.handleUpgrade(req, socket, head, callback);
      else {
        this.anonymousServer.handleUpgrade(req, socket, head, (client, request) => {
          // A message over the limit (or any protocol error) from an unknown peer ends its TCP connection at once,
          // instead of ws's closing handshake, during which the rest of a big message would still be read.
          client.on('error', () => client.terminate());
          callback(client, request);
        });
      }
    }

    override close(callback?: (error?: Error) => void): void {
      this.anonymousServer.close();
      super.close(callback);
    }
  }

  return { allowRequest, wsEngine: GatedWebSocketServer };
}

/** The credential an upgrade request carries: `Authorization: Bearer T`, or `?token=T` where a page cannot set headers. */
export function upgradeToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  try {
    return new URL(req.url ?? '/', 'http://x').searchParams.get('token') || null;
  } catch {
    return null;
  }
}
