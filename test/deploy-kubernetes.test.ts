import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { workerCommand } from '../cli/worker.ts';

// The Kubernetes examples in deploy/ are not applied to a cluster here (there is none); they
// are parsed, and checked for what makes them work: the token only in a Secret that the
// worker reads, a GPU request, a worker command whose options `passk worker` knows.
const DIR = 'deploy/kubernetes';
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

describe('the Kubernetes worker examples', () => {
  it('are there', () => {
    expect(files).toEqual(expect.arrayContaining(['worker-job.yaml', 'vllm-worker-job.yaml']));
  });

  for (const file of files) {
    it(`${file}: a Secret with the token and a Job whose worker reads it, asks for a GPU and runs a valid passk worker`, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const docs = parseAllDocuments(text);
      for (const doc of docs) expect(doc.errors, file).toEqual([]);
      const [secret, job] = docs.map((d) => d.toJS()) as [
        { apiVersion: string; kind: string; metadata: { name: string }; stringData: Record<string, string> },
        { apiVersion: string; kind: string; spec: { completionMode: string; completions: number; parallelism: number; template: { spec: { restartPolicy: string; containers: Container[]; initContainers?: Container[] } } } },
      ];
      expect([secret.apiVersion, secret.kind, job.apiVersion, job.kind]).toEqual(['v1', 'Secret', 'batch/v1', 'Job']);
      expect(text).not.toMatch(/pkw_[A-Za-z0-9]/);
      const pod = job.spec.template.spec;
      expect(['OnFailure', 'Never']).toContain(pod.restartPolicy);
      expect(job.spec.completionMode).toBe('Indexed');
      const worker = pod.containers.find((c) => c.name === 'worker')!;
      const token = worker.env!.find((e) => e.name === 'PASSK_TOKEN')!;
      expect(token.value).toBeUndefined();
      expect(token.valueFrom?.secretKeyRef?.name).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData)).toContain(token.valueFrom!.secretKeyRef!.key);
      const gpus = [...pod.containers, ...(pod.initContainers ?? [])].map((c) => Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0));
      expect(Math.max(...gpus)).toBeGreaterThanOrEqual(1);

      const script = worker.args![0];
      expect(spawnSync('sh', ['-n', '-c', script]).status, script).toBe(0);
      const command = /exec "\$passk" worker (.*)$/s.exec(script)?.[1];
      expect(command, script).toBeDefined();
      const flags = [...command!.matchAll(/(?:^|\s)--([\w-]+)/g)].map((m) => m[1]);
      expect(flags).toEqual(expect.arrayContaining(['join', 'name']));
      for (const flag of flags) expect(Object.keys(workerCommand.options), `--${flag}`).toContain(flag);
      expect(script).toContain('npm exec --yes --ignore-scripts --package="http://$COORDINATOR/worker.tgz"');
    });
  }
});
