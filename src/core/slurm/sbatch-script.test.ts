import { describe, expect, it } from 'vitest';
import { parseSqueue, sbatchScript, shellQuote, type SbatchOptions } from './sbatch-script.ts';

const base: SbatchOptions = {
  joinUrl: 'ws://lab:7077', workers: 4, jobName: 'passk-worker', extra: [], setup: [], logDir: '/scratch/logs',
  install: { kind: 'served', packageUrl: 'http://lab:7077/worker.tgz' }, workerArgs: [], drainSeconds: 120,
};

describe('sbatch script', () => {
  it('is a job array of workers joining the coordinator, without the token', () => {
    const script = sbatchScript({ ...base, partition: 'gpu', gpusPerWorker: 1, cpusPerWorker: 8, time: '04:00:00', extra: ['#SBATCH --mem=64G'], setup: ['module load nodejs/20'], workerArgs: ['--slots', '2', '--ep', 'cuda'] });
    expect(script.ok).toBe(true);
    if (!script.ok) return;
    const lines = script.value.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines.filter((l) => l.startsWith('#SBATCH'))).toEqual([
      '#SBATCH --job-name=passk-worker', '#SBATCH --array=0-3', '#SBATCH --ntasks=1', '#SBATCH --cpus-per-task=8', '#SBATCH --gres=gpu:1',
      '#SBATCH --partition=gpu', '#SBATCH --time=04:00:00', '#SBATCH --output=/scratch/logs/passk-worker-%A_%a.log', '#SBATCH --signal=B:INT@120', '#SBATCH --mem=64G',
    ]);
    expect(lines).toContain('module load nodejs/20');
    expect(lines.slice(-4, -1)).toEqual([
      "passk=$(npm exec --yes --ignore-scripts --package=http://lab:7077/worker.tgz -- sh -c 'command -v passk') \\",
      '  || { echo "passk slurm: npm could not install the worker from http://lab:7077/worker.tgz" >&2; exit 1; }',
      'exec "$passk" worker --join ws://lab:7077 --name "slurm-${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}" --threads "$SLURM_CPUS_PER_TASK" --slots 2 --ep cuda',
    ]);
    expect(script.value).not.toMatch(/pkw_/);
    expect(script.value).toContain('${PASSK_TOKEN:?');
  });

  it('runs this checkout where the cluster shares its filesystem', () => {
    const script = sbatchScript({ ...base, install: { kind: 'local', node: '/usr/bin/node', passk: '/home/me/passk lab/bin/passk.js' } });
    expect(script.ok && script.value).toContain("exec /usr/bin/node '/home/me/passk lab/bin/passk.js' worker --join ws://lab:7077 ");
  });

  it('refuses what Slurm or the shell would read otherwise, naming each option', () => {
    const script = sbatchScript({ ...base, workers: 0, time: '4h', partition: 'gpu;rm', extra: ['--mem=4G', '#SBATCH --x\nrm -rf /'], joinUrl: 'lab:7077', workerArgs: ['--token', 'x'] });
    expect(script).toEqual({ ok: false, error: [
      '--coordinator lab:7077: expected ws://host:port or wss://host:port (or its http(s):// form)',
      '--workers 0: between 1 and 10000',
      '--partition gpu;rm: a partition name (or several, comma-separated)',
      '--time 4h: a Slurm time limit such as 04:00:00 or 1-12:00:00',
      '--extra "--mem=4G": each --extra is one "#SBATCH …" line',
      '--extra: one line only',
      '--token: set by passk slurm itself (the coordinator, PASSK_TOKEN, and slurm-JOB_TASK)',
    ] });
    for (const time of ['30', '30:00', '04:00:00', '2-00', '1-12:00:00']) expect(sbatchScript({ ...base, time }).ok).toBe(true);
  });

  it('quotes shell words only where needed, and reads squeue lines', () => {
    expect(shellQuote('--ep')).toBe('--ep');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(parseSqueue('12_0|RUNNING|0:05|node1\n12_[1-3]|PENDING|0:00|(Resources)\n')).toEqual([
      { id: '12_0', state: 'RUNNING', time: '0:05', where: 'node1' },
      { id: '12_[1-3]', state: 'PENDING', time: '0:00', where: '(Resources)' },
    ]);
  });
});
