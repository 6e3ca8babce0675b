import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseSqueue, sbatchScript, type SbatchOptions } from '../src/core/slurm/sbatch-script.ts';
import { UsageError, type Command } from './command.ts';
import { flag, num, oneOf, str, strings, type Values } from './options.ts';

const usage = `passk slurm submit --coordinator URL --token T --workers N [options] [-- WORKER-OPTIONS…]
passk slurm status JOB [--json]
passk slurm cancel JOB[_TASK]

submit writes an sbatch job array whose tasks each run one \`passk worker\` joined to the
coordinator, submits it, and prints the job id. The workers show in the coordinator as
slurm-JOB_TASK and leave when their task ends: SIGINT --drain-seconds before the time limit
(they finish the shards in hand), SIGTERM from scancel or preemption (they hand them back),
and a task killed outright loses nothing (its leases expire and are queued again).

  --coordinator URL     the coordinator as workers reach it (ws://host:7077 or http://host:7077)
  --token T             the workers' join token (or PASSK_TOKEN); passed in the job's environment, not in the script
  --workers N           array tasks, one worker each (default 1)
  --partition P, --time T (e.g. 04:00:00), --gpus-per-worker G (--gres=gpu:G), --cpus-per-worker C
  --extra "#SBATCH …"   another directive, as is (repeat)
  --setup "CMD"         a shell line before the worker starts, e.g. "module load nodejs/20" (repeat)
  --install served|local
                        served (default): npm installs the worker from the coordinator's /worker.tgz on
                        each node (Node 20+ and npm needed there, no checkout); local: this checkout's
                        node and bin/passk.js, for clusters that share its filesystem
  --job-name NAME       default passk-worker
  --log-dir DIR         where NAME-JOB_TASK.log files go (default: here)
  --drain-seconds S     SIGINT this long before the time limit (default 120)
  --dry-run             print the script and the sbatch command; submit nothing
  --no-check            do not check the coordinator and token from here first
  -- WORKER-OPTIONS     passed to every \`passk worker\` (e.g. -- --slots 2 --ep cuda,
                        or -- --backend openai --base-url http://localhost:8000/v1 --served-model NAME)

status lists the job's array tasks as squeue does (state, time, node or reason); cancel
runs scancel on the job or one task.`;

export const slurmCommand: Command = {
  summary: 'start workers as a Slurm job array (submit), and follow or cancel it (status, cancel)',
  usage,
  allowPositionals: true,
  options: {
    coordinator: { type: 'string' }, token: { type: 'string' }, workers: { type: 'string' }, partition: { type: 'string' },
    time: { type: 'string' }, 'gpus-per-worker': { type: 'string' }, 'cpus-per-worker': { type: 'string' },
    extra: { type: 'string', multiple: true }, setup: { type: 'string', multiple: true }, install: { type: 'string' },
    'job-name': { type: 'string' }, 'log-dir': { type: 'string' }, 'drain-seconds': { type: 'string' },
    'dry-run': { type: 'boolean' }, 'no-check': { type: 'boolean' }, json: { type: 'boolean' },
  },
  async run(values, positionals) {
    const [action, ...rest] = positionals;
    if (action === 'submit') return submit(values, rest);
    if (action === 'status' || action === 'cancel') {
      const job = rest[0];
      if (rest.length !== 1 || !/^\d+(_\d+)?$/.test(job)) throw new UsageError(`passk slurm ${action} JOB: the job id \`passk slurm submit\` printed${action === 'cancel' ? ' (or JOB_TASK for one task)' : ''}`);
      return action === 'status' ? status(job, flag(values, 'json')) : cancel(job);
    }
    throw new UsageError('passk slurm: expected submit, status or cancel; see `passk slurm --help`');
  },
};

async function submit(values: Values, workerArgs: string[]): Promise<number> {
  const coordinator = str(values, 'coordinator');
  if (!coordinator || !/^(wss?|https?):\/\/[^/\s]+\/?$/.test(coordinator)) throw new UsageError('--coordinator URL is required: the coordinator as the compute nodes reach it, e.g. ws://lab:7077');
  const token = str(values, 'token') ?? process.env.PASSK_TOKEN;
  if (!token) throw new UsageError('--token T (or PASSK_TOKEN) is required: the workers\' join token `passk coordinator` prints');
  const host = coordinator.replace(/\/+$/, '').replace(/^\w+:\/\//, '');
  const secure = /^(wss|https):/.test(coordinator);
  const http = `${secure ? 'https' : 'http'}://${host}`;
  const install = oneOf(values, 'install', ['served', 'local'] as const) ?? 'served';
  const options: SbatchOptions = {
    joinUrl: `${secure ? 'wss' : 'ws'}://${host}`,
    workers: num(values, 'workers', true, 1) ?? 1,
    jobName: str(values, 'job-name') ?? 'passk-worker',
    partition: str(values, 'partition'),
    gpusPerWorker: num(values, 'gpus-per-worker', true, 1),
    cpusPerWorker: num(values, 'cpus-per-worker', true, 1),
    time: str(values, 'time'),
    extra: strings(values, 'extra'),
    setup: strings(values, 'setup'),
    logDir: resolve(str(values, 'log-dir') ?? '.'),
    install: install === 'served' ? { kind: 'served', packageUrl: `${http}/worker.tgz` } : { kind: 'local', node: process.execPath, passk: resolve(process.argv[1]) },
    workerArgs,
    drainSeconds: num(values, 'drain-seconds', true, 1) ?? 120,
  };
  const script = sbatchScript(options);
  if (!script.ok) throw new UsageError(`the job cannot be written:\n  ${script.error.join('\n  ')}`);
  if (flag(values, 'dry-run')) {
    process.stdout.write(script.value);
    process.stderr.write(`passk slurm: would run \`PASSK_TOKEN=… sbatch --parsable\` with this script on its standard input\n`);
    return 0;
  }
  if (!flag(values, 'no-check')) await checkCoordinator(http, token);
  const sbatch = spawnSync('sbatch', ['--parsable'], { input: script.value, encoding: 'utf8', env: { ...process.env, PASSK_TOKEN: token }, timeout: 60_000 });
  if (sbatch.error) throw new UsageError(slurmMissing('sbatch', sbatch.error));
  if (sbatch.status !== 0) throw new UsageError(`sbatch refused the job: ${sbatch.stderr.trim() || `exit code ${sbatch.status}`}`);
  const job = sbatch.stdout.trim().split(';')[0];
  process.stderr.write(`passk slurm: job ${job}: ${options.workers} worker${options.workers > 1 ? 's' : ''} (slurm-${job}_0…) joining ${options.joinUrl}; `
    + `logs ${options.logDir}/${options.jobName}-${job}_*.log; \`passk slurm status ${job}\`, \`passk slurm cancel ${job}\`\n`);
  process.stdout.write(`${job}\n`);
  return 0;
}

/** From here, as the nodes will: the coordinator answers and takes the token (--no-check where only the nodes reach it). */
async function checkCoordinator(http: string, token: string): Promise<void> {
  let answer: Response;
  try {
    answer = await fetch(`${http}/auth/worker`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    throw new UsageError(`the coordinator at ${http} does not answer (${cause}); start \`passk coordinator --host 0.0.0.0\` there, or pass --no-check if only the compute nodes reach it`);
  }
  if (answer.status === 401) throw new UsageError(`the coordinator at ${http} refuses this join token; use the pkw_… token \`passk coordinator\` printed`);
  if (!answer.ok) throw new UsageError(`${http}/auth/worker answered ${answer.status}: is this a passk coordinator (of this version)?`);
}

function status(job: string, json: boolean): number {
  const squeue = spawnSync('squeue', ['--jobs', job, '--array', '--noheader', '--format', '%i|%T|%M|%R'], { encoding: 'utf8', timeout: 60_000 });
  if (squeue.error) throw new UsageError(slurmMissing('squeue', squeue.error));
  if (squeue.status !== 0) {
    if (/invalid job id/i.test(squeue.stderr)) {
      process.stderr.write(`passk slurm: job ${job} is not in the queue: it ended (finished, cancelled or failed) or never existed\n`);
      if (json) process.stdout.write('[]\n');
      return 0;
    }
    throw new UsageError(`squeue failed: ${squeue.stderr.trim()}`);
  }
  const tasks = parseSqueue(squeue.stdout);
  if (json) process.stdout.write(`${JSON.stringify(tasks)}\n`);
  else if (tasks.length === 0) process.stdout.write(`job ${job}: no tasks in the queue (it ended)\n`);
  else for (const t of tasks) process.stdout.write(`${t.id.padEnd(14)} ${t.state.padEnd(12)} ${t.time.padStart(10)}  ${t.where}\n`);
  return 0;
}

function cancel(job: string): number {
  const scancel = spawnSync('scancel', [job], { encoding: 'utf8', timeout: 60_000 });
  if (scancel.error) throw new UsageError(slurmMissing('scancel', scancel.error));
  if (scancel.status !== 0) throw new UsageError(`scancel ${job} failed: ${scancel.stderr.trim() || `exit code ${scancel.status}`}`);
  process.stderr.write(`passk slurm: cancelled ${job}; its workers hand their shards back (SIGTERM) and leave\n`);
  return 0;
}

function slurmMissing(tool: string, error: Error): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
    ? `${tool} is not on PATH: run passk slurm where the Slurm client is installed (a login node), or load it (module load slurm)`
    : `${tool}: ${error.message}`;
}
