import { initialSchema } from './0001-initial.ts';
import { distributedSchema } from './0002-distributed.ts';
import { archiveSchema } from './0003-archive.ts';
import { servedModelsSchema } from './0004-served-models.ts';
import { chainIndexSchema } from './0005-chain-index.ts';
import { trustSchema } from './0006-trust.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order; a migration, once released, is never edited: add the next one instead. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial schema: runs, models, problems, samples, verdicts, workers, shards', sql: initialSchema },
  { version: 2, name: 'distributed runs: resolved specs, model content addresses, scores, leases apart from shards', sql: distributedSchema() },
  { version: 3, name: 'archive and analysis: problem levels, labels, imported counts, samples without token data, text hashes, run origins', sql: archiveSchema() },
  { version: 4, name: 'served models: models drawn from inference servers, and where their samples came from', sql: servedModelsSchema },
  { version: 5, name: 'chain index: text hashes and providers by run, model and problem, counted without reading the texts', sql: chainIndexSchema },
  { version: 6, name: 'trust: worker secrets, the worker and lease of every result, run events, quarantines', sql: trustSchema },
];
