import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WorkerIdentity } from '../../core/protocol/worker-protocol.ts';
import type { Result } from '../../core/result.ts';
import type { Store } from '../store/open-store.ts';
import { workerSecretHash } from '../store/workers.ts';

/** Who a joining socket is: its id, and the identity to send it when it was just made (null when it proved one). */
export interface AdmittedWorker {
  id: string;
  issued: WorkerIdentity | null;
  /** What the store keeps of a new secret. */
  secretHash: string | null;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/**
 * Workers are identities, not claims: a worker that joins without an identity is given one
 * (an id of its name and 32 random bits, and a 192-bit secret), and one that presents an id
 * the store keeps must present that id's secret, or it is refused. An id the store does not
 * keep (forgotten, or of another data directory) is not taken over: the worker gets a new
 * identity. So a second socket cannot act as another worker, whose leases (the store's
 * worker_id) and results stay its own.
 */
export function admitWorker(db: Store, claimed: WorkerIdentity | undefined, name: string): Result<AdmittedWorker> {
  if (claimed !== undefined) {
    const kept = workerSecretHash(db, claimed.id);
    if (typeof kept === 'string') {
      const given = Buffer.from(hashSecret(claimed.secret), 'hex');
      if (timingSafeEqual(given, Buffer.from(kept, 'hex'))) return { ok: true, value: { id: claimed.id, issued: null, secretHash: null } };
      return { ok: false, error: `worker id ${claimed.id} belongs to another worker and this secret is not its own; a worker is given its identity by the coordinator when it first joins (start the worker again without one)` };
    }
  }
  const slug = name.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'worker';
  const issued = { id: `${slug}-${randomBytes(4).toString('hex')}`, secret: randomBytes(24).toString('base64url') };
  return { ok: true, value: { id: issued.id, issued, secretHash: hashSecret(issued.secret) } };
}
