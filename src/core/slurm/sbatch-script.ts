import type { Result } from '../result.ts';

/**
 * The sbatch job array `passk slurm submit` writes: array task i runs one `passk worker`
 * that joins the coordinator, so a lab's scheduler hands out the GPUs and the workers come
 * and go with their jobs. The join token is not in the script: it reaches the tasks as
 * PASSK_TOKEN in the environment sbatch exports, so the script can be printed and kept.
 */
export interface SbatchOptions {
  /** The address workers join: ws(s)://host:port. */
  joinUrl: string;
  workers: number;
  jobName: string;
  partition?: string;
  gpusPerWorker?: number;
  cpusPerWorker?: number;
  /** Slurm's time formats: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
  time?: string;
  /** Lines given as is, each `#SBATCH …`. */
  extra: string[];
  /** Shell lines run before the worker (e.g. `module load nodejs/20`). */
  setup: string[];
  /** Where each task's log goes: DIR/passk-worker-JOB_TASK.log. */
  logDir: string;
  /** `served`: npm installs the worker from the coordinator's /worker.tgz (no checkout needed); `local`: this checkout, on a shared filesystem. */
  install: { kind: 'served'; packageUrl: string } | { kind: 'local'; node: string; passk: string };
  /** More `passk worker` options (--slots, --ep, --backend openai …). */
  workerArgs: string[];
  /** The worker is sent SIGINT this long before the time limit: it finishes its shards and leaves. */
  drainSeconds: number;
}

export const MAX_ARRAY_TASKS = 10_000;
const TIME = /^(\d+-\d{1,2}(:\d{2}(:\d{2})?)?|\d+(:\d{2}(:\d{2})?)?)$/;

/** A shell word that stays one word and means itself. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function sbatchScript(o: SbatchOptions): Result<string, string[]> {
  const errors: string[] = [];
  const oneLine = (what: string, value: string) => { if (/[\r\n]/.test(value)) errors.push(`${what}: one line only`); };
  if (!/^wss?:\/\/[^/\s]+$/.test(o.joinUrl)) errors.push(`--coordinator ${o.joinUrl}: expected ws://host:port or wss://host:port (or its http(s):// form)`);
  if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > MAX_ARRAY_TASKS) errors.push(`--workers ${o.workers}: between 1 and ${MAX_ARRAY_TASKS}`);
  if (!/^[\w.-]{1,100}$/.test(o.jobName)) errors.push(`--job-name ${o.jobName}: letters, digits, ".", "_" and "-" only`);
  if (o.partition !== undefined && !/^[\w.,-]{1,200}$/.test(o.partition)) errors.push(`--partition ${o.partition}: a partition name (or several, comma-separated)`);
  if (o.gpusPerWorker !== undefined && !(Number.isInteger(o.gpusPerWorker) && o.gpusPerWorker >= 1)) errors.push(`--gpus-per-worker ${o.gpusPerWorker}: a whole number ≥ 1`);
  if (o.cpusPerWorker !== undefined && !(Number.isInteger(o.cpusPerWorker) && o.cpusPerWorker >= 1)) errors.push(`--cpus-per-worker ${o.cpusPerWorker}: a whole number ≥ 1`);
  if (o.time !== undefined && !TIME.test(o.time)) errors.push(`--time ${o.time}: a Slurm time limit such as 04:00:00 or 1-12:00:00`);
  for (const line of o.extra) {
    oneLine('--extra', line);
    if (!/^#SBATCH\s+\S/.test(line)) errors.push(`--extra ${JSON.stringify(line)}: each --extra is one "#SBATCH …" line`);
  }
  for (const line of o.setup) oneLine('--setup', line);
  oneLine('--log-dir', o.logDir);
  for (const arg of o.workerArgs) {
    oneLine('worker option', arg);
    if (['--join', '--token', '--name'].includes(arg)) errors.push(`${arg}: set by passk slurm itself (the coordinator, PASSK_TOKEN, and slurm-JOB_TASK)`);
  }
  if (errors.length > 0) return { ok: false, error: errors };

  const directives = [
    `--job-name=${o.jobName}`,
    `--array=0-${o.workers - 1}`,
    '--ntasks=1',
    ...(o.cpusPerWorker !== undefined ? [`--cpus-per-task=${o.cpusPerWorker}`] : []),
    ...(o.gpusPerWorker !== undefined ? [`--gres=gpu:${o.gpusPerWorker}`] : []),
    ...(o.partition !== undefined ? [`--partition=${o.partition}`] : []),
    ...(o.time !== undefined ? [`--time=${o.time}`] : []),
    `--output=${o.logDir.replace(/\/+$/, '') || '.'}/${o.jobName}-%A_%a.log`,
    // B: the signal goes to the batch shell, which exec made the worker (npm forwards it).
    `--signal=B:INT@${o.drainSeconds}`,
  ].map((d) => `#SBATCH ${d}`);
  // npm names its process "npm exec …", and Slurm's proctrack/linuxproc misreads a process
  // name with spaces in /proc/PID/stat: a worker below npm would never get scancel's signals
  // (measured: the task stays COMPLETING, the worker runs on). So npm only installs the
  // worker, and the batch shell becomes the worker itself.
  const install = o.install.kind === 'served'
    ? [`passk=$(npm exec --yes --ignore-scripts --package=${shellQuote(o.install.packageUrl)} -- sh -c 'command -v passk') \\`,
      `  || { echo "passk slurm: npm could not install the worker from ${o.install.packageUrl}" >&2; exit 1; }`]
    : [];
  const worker = o.install.kind === 'served' ? ['"$passk"', 'worker'] : [shellQuote(o.install.node), shellQuote(o.install.passk), 'worker'];
  const threads = o.cpusPerWorker !== undefined ? ' --threads "$SLURM_CPUS_PER_TASK"' : '';
  return {
    ok: true,
    value: [
      '#!/bin/bash',
      ...directives,
      ...o.extra,
      '# Written by `passk slurm submit`: each array task is one PassK worker. It joins the',
      '# coordinator, takes shards until the job ends, and leaves: SIGINT before the time limit',
      '# (finish the shards in hand), SIGTERM from scancel (hand them back); a task killed',
      '# outright loses nothing either, since its leases expire and go back to the queue.',
      'set -eu',
      ': "${PASSK_TOKEN:?PASSK_TOKEN must reach the job: passk slurm submit exports it with the environment}"',
      ...o.setup,
      ...install,
      `exec ${worker.join(' ')} --join ${shellQuote(o.joinUrl)} --name "slurm-\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}"${threads}${o.workerArgs.map((a) => ` ${shellQuote(a)}`).join('')}`,
      '',
    ].join('\n'),
  };
}

/** One array task as squeue lists it. */
export interface SlurmTask {
  id: string;
  state: string;
  time: string;
  /** Where it runs, or why it waits. */
  where: string;
}

/** `squeue --format %i|%T|%M|%R` lines. */
export function parseSqueue(text: string): SlurmTask[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').map((line) => {
    const [id, state, time, where] = line.split('|');
    return { id: id ?? '', state: state ?? '', time: time ?? '', where: where ?? '' };
  });
}
