/**
 * Schema v4: models drawn from inference servers.
 *
 * - models.served: null for the onnx engine, else {"model", "endpoint"}: the name a server
 *   serves the model under, and which endpoint workers ask.
 * - sample_sources: where a worker's server samples came from (the server's URL, the model
 *   name its responses gave, the request parameters, its fingerprint), one row per distinct
 *   source with a count, so a run says what produced samples that no seed reproduces bit
 *   for bit. Samples of the onnx engine keep their execution provider in samples.ep.
 */
export const servedModelsSchema = `
ALTER TABLE models ADD COLUMN served TEXT CHECK (served IS NULL OR json_valid(served));

CREATE TABLE sample_sources (
  run_id     TEXT NOT NULL,
  model_id   TEXT NOT NULL,
  worker_id  TEXT NOT NULL,
  source     TEXT NOT NULL CHECK (json_valid(source)),
  samples    INTEGER NOT NULL DEFAULT 0,
  first_at   INTEGER NOT NULL,
  last_at    INTEGER NOT NULL,
  PRIMARY KEY (run_id, model_id, worker_id, source),
  FOREIGN KEY (run_id, model_id) REFERENCES models (run_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
`;
