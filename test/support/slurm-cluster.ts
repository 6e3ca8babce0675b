// A real single-node Slurm cluster for tests, from Debian's packages (slurmctld, slurmd,
// munge): its own munge key and socket, its own slurm.conf and ports, all in one temporary
// folder, so it touches neither a system cluster nor another test's. Needs root (slurmd
// starts jobs as their user) and no systemd or cgroups (proctrack/linuxproc, task/none).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { freePort, tempDir } from './lab.ts';

export interface SlurmCluster {
  /** The environment Slurm's clients need (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  dir: string;
  stop(): Promise<void>;
}

const DAEMONS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'];

/** Why a cluster cannot run here, or null when it can be tried. */
export function slurmUnavailable(): string | null {
  if (process.platform !== 'linux') return 'Slurm runs on Linux only';
  if (process.getuid?.() !== 0) return 'the Slurm daemons must run as root (slurmd starts jobs as their user); CI runs as root';
  const missing = DAEMONS.filter((d) => spawnSync('sh', ['-c', `command -v ${d}`], { stdio: 'ignore', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } }).status !== 0);
  return missing.length > 0 ? `${missing.join(', ')} not installed (Debian: apt-get install slurmctld slurmd slurm-client munge; .ci/run does)` : null;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSlurmCluster(): Promise<{ ok: true; value: SlurmCluster } | { ok: false; error: string }> {
  const dir = tempDir('slurm');
  const env = { ...process.env, SLURM_CONF: join(dir, 'slurm.conf'), PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 30_000 });
  const log = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').split('\n').slice(-15).join('\n') : '(no log)');
  writeFileSync(join(dir, 'munge.key'), randomBytes(1024), { mode: 0o400 });
  // slurmd talks to each job's slurmstepd through a socket here: without it a job cannot even be cancelled.
  mkdirSync(join(dir, 'spool'));
  chmodSync(dir, 0o755);
  const socket = join(dir, 'munge.sock');
  const munge = run('munged', ['--force', `--socket=${socket}`, `--key-file=${join(dir, 'munge.key')}`, `--log-file=${join(dir, 'munged.log')}`,
    `--pid-file=${join(dir, 'munged.pid')}`, `--seed-file=${join(dir, 'munged.seed')}`]);
  const stopMunge = () => { if (existsSync(join(dir, 'munged.pid'))) run('kill', [readFileSync(join(dir, 'munged.pid'), 'utf8').trim()]); };
  if (munge.status !== 0) return { ok: false, error: `munged would not start: ${munge.stderr.trim()} ${log('munged.log')}` };
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const host = hostname();
  writeFileSync(env.SLURM_CONF, [
    'ClusterName=passk-test', `SlurmctldHost=${host}(127.0.0.1)`, 'SlurmUser=root', 'SlurmdUser=root',
    'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${socket}`,
    `StateSaveLocation=${dir}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldPort=${ctldPort}`, `SlurmdPort=${dPort}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none', 'JobCompType=jobcomp/none', 'SchedulerType=sched/builtin',
    'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core', 'ReturnToService=2', 'MpiDefault=none', 'KillWait=5',
    `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
    `NodeName=passk-node NodeHostname=${host} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} RealMemory=1000 State=UNKNOWN`,
    'PartitionName=debug Nodes=passk-node Default=YES MaxTime=INFINITE State=UP',
    '',
  ].join('\n'));
  const pidOf = (file: string) => (existsSync(join(dir, file)) ? Number(readFileSync(join(dir, file), 'utf8').trim()) : null);
  const alive = (pid: number | null) => { try { return pid !== null && process.kill(pid, 0); } catch { return false; } };
  const shutdown = async () => {
    // This cluster's jobs only: SLURM_CONF points the clients at it.
    run('scancel', ['--user', 'root']);
    for (let i = 0; i < 20 && run('squeue', ['--noheader']).stdout.trim() !== ''; i++) await wait(500);
    const daemons = [pidOf('slurmctld.pid'), pidOf('slurmd.pid')];
    run('scontrol', ['shutdown']);
    for (let i = 0; i < 20 && daemons.some(alive); i++) await wait(500);
    for (const pid of daemons) if (alive(pid)) process.kill(pid!, 'SIGKILL');
    stopMunge();
  };
  const ctld = run('slurmctld', ['-f', env.SLURM_CONF, '-i']);
  const d = run('slurmd', ['-f', env.SLURM_CONF, '-N', 'passk-node']);
  if (ctld.status !== 0 || d.status !== 0) {
    await shutdown();
    return { ok: false, error: `the Slurm daemons would not start: ${ctld.stderr}${d.stderr}\nslurmctld.log:\n${log('slurmctld.log')}\nslurmd.log:\n${log('slurmd.log')}` };
  }
  for (let i = 0; i < 60; i++) {
    const sinfo = run('sinfo', ['--noheader', '--format=%t']);
    if (sinfo.status === 0 && /^(idle|mix|alloc)/m.test(sinfo.stdout)) return { ok: true, value: { env, dir, stop: shutdown } };
    await wait(500);
  }
  await shutdown();
  return { ok: false, error: `the Slurm node never became idle:\nslurmctld.log:\n${log('slurmctld.log')}\nslurmd.log:\n${log('slurmd.log')}` };
}
