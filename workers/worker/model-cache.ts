import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname, join } from 'node:path';
import type { ModelRef } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import { hashFile } from '../../src/node/model-folder/model-manifest.ts';

export interface FileSource {
  /** http(s)://host:port of the coordinator. */
  baseUrl: string;
  token: string;
  ca?: Buffer;
}

/**
 * Models by content address. A model is used from the coordinator's own folder when this
 * machine has it with the same hashes (a local worker), else from this cache, else its files
 * are downloaded (resuming a partial download with a Range request), each checked against
 * its sha256 before it is used. Layout: blobs/<file sha256>, models/<model sha256>/<path>.
 */
export class ModelCache {
  private readonly pending = new Map<string, Promise<Result<string>>>();

  constructor(readonly dir: string, readonly source: FileSource, readonly log: (line: string) => void = () => {}) {}

  /** Models complete in the cache, announced at hello so their shards come here first. */
  held(): string[] {
    const models = join(this.dir, 'models');
    if (!existsSync(models)) return [];
    return readdirSync(models).filter((sha) => /^[0-9a-f]{64}$/.test(sha) && existsSync(join(models, sha, '.complete')));
  }

  /** A folder holding exactly the model's files. */
  ensure(model: ModelRef): Promise<Result<string>> {
    let job = this.pending.get(model.sha256);
    if (!job) {
      job = this.fetchModel(model).finally(() => this.pending.delete(model.sha256));
      this.pending.set(model.sha256, job);
    }
    return job;
  }

  private async fetchModel(model: ModelRef): Promise<Result<string>> {
    const cached = join(this.dir, 'models', model.sha256);
    if (existsSync(join(cached, '.complete'))) return { ok: true, value: cached };
    if (await this.matchesLocally(model)) return { ok: true, value: model.folder };
    mkdirSync(join(this.dir, 'blobs'), { recursive: true });
    for (const file of model.files) {
      const blob = join(this.dir, 'blobs', file.sha256);
      if (existsSync(blob)) continue;
      this.log(`downloading ${model.id}/${file.path} (${(file.size / 2 ** 20).toFixed(1)} MB)`);
      const got = await this.download(file.sha256, blob, file.size);
      if (!got.ok) return { ok: false, error: `model ${model.id}, file ${file.path}: ${got.error}` };
    }
    const staging = `${cached}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    for (const file of model.files) {
      const target = join(staging, ...file.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      const blob = join(this.dir, 'blobs', file.sha256);
      try {
        linkSync(blob, target);
      } catch {
        copyFileSync(blob, target);
      }
    }
    writeFileSync(join(staging, '.complete'), `${model.sha256}\n`);
    rmSync(cached, { recursive: true, force: true });
    renameSync(staging, cached);
    return { ok: true, value: cached };
  }

  /** Whether the coordinator's folder is here with the same files (hashes are cached by size and mtime). */
  private async matchesLocally(model: ModelRef): Promise<boolean> {
    for (const file of model.files) {
      const path = join(model.folder, ...file.path.split('/'));
      if (!existsSync(path) || statSync(path).size !== file.size) return false;
      if ((await hashFile(path)).sha256 !== file.sha256) return false;
    }
    return true;
  }

  /** Into blob.part, continuing where an earlier try stopped; renamed to blob only when its sha256 matches. */
  private async download(sha256: string, blob: string, size: number): Promise<Result<null>> {
    const part = `${blob}.part`;
    for (let attempt = 1; ; attempt++) {
      const have = existsSync(part) ? statSync(part).size : 0;
      const got: Result<null> & { status?: number } = have >= size ? { ok: true, value: null } : await this.fetchRange(sha256, part, have);
      if (got.ok) {
        const hash = createHash('sha256');
        for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);
        const actual = hash.digest('hex');
        if (actual === sha256) {
          renameSync(part, blob);
          return { ok: true, value: null };
        }
        rmSync(part, { force: true });
        return { ok: false, error: `downloaded bytes have sha256 ${actual}, expected ${sha256} (the coordinator's file changed?)` };
      }
      // A refusal (401, 404, 409: wrong token, unknown or changed file) will not change by waiting.
      if (attempt >= 5 || got.status !== undefined && got.status < 500) return got;
      this.log(`${got.error}; retrying (${attempt}/5)`);
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }

  private fetchRange(sha256: string, part: string, from: number): Promise<Result<null> & { status?: number }> {
    const url = new URL(`/files/${sha256}`, this.source.baseUrl);
    const get = url.protocol === 'https:' ? httpsGet : httpGet;
    return new Promise((resolve) => {
      const req = get(url, {
        headers: { Authorization: `Bearer ${this.source.token}`, ...(from > 0 ? { Range: `bytes=${from}-` } : {}) },
        ...(this.source.ca ? { ca: this.source.ca } : {}),
      }, (res: IncomingMessage) => {
        if (res.statusCode !== 200 && res.statusCode !== 206) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => { body += c; });
          res.on('end', () => resolve({ ok: false, status: res.statusCode, error: `GET ${url.pathname}: HTTP ${res.statusCode} ${body.trim().slice(0, 300)}` }));
          return;
        }
        const out = createWriteStream(part, { flags: res.statusCode === 206 ? 'a' : 'w' });
        res.pipe(out);
        out.on('finish', () => resolve({ ok: true, value: null }));
        res.on('error', (error) => resolve({ ok: false, error: `GET ${url.pathname}: ${error.message}` }));
        out.on('error', (error) => resolve({ ok: false, error: `${part}: ${error.message}` }));
      });
      req.on('error', (error) => resolve({ ok: false, error: `GET ${url.href}: ${error.message}` }));
    });
  }
}
