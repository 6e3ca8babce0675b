#!/usr/bin/env node
// `npm run setup:cuda [-- --cuda 12|13] [--from-tgz FILE] [--dest DIR]`
//
// Installs the CUDA execution provider for the pinned onnxruntime-node (docs/architecture.md,
// "The engine and its paths"):
//   CUDA 12: onnxruntime-node's own installer (downloads Microsoft.ML.OnnxRuntime.Gpu.Linux
//            from api.nuget.org: needs the internet).
//   CUDA 13: the npm registry package com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9,
//            which carries ORT 1.29.0's CUDA provider built against libcudart.so.13.
// Then checks that the provider's ORT version equals onnxruntime-node's, and that the
// CUDA libraries it links against are found. Every failure says what to do.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const CUDA13_PACKAGE = 'com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9';
const LIBS = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];

const { values } = parseArgs({
  options: {
    cuda: { type: 'string' },
    'from-tgz': { type: 'string' },
    dest: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(`npm run setup:cuda [-- --cuda 12|13] [--from-tgz FILE] [--dest DIR]

  --cuda 12|13     CUDA major version (default: detected from libcudart / nvidia-smi)
  --from-tgz FILE  CUDA 13: use an already downloaded ${CUDA13_PACKAGE} tarball (npm pack)
  --dest DIR       install the provider libraries there instead of onnxruntime-node's folder`);
  process.exit(0);
}

const say = (line) => console.log(`setup:cuda: ${line}`);
function fail(what, todo) {
  console.error(`setup:cuda: FAILED: ${what}\n  what to do: ${todo}`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const ortPackageJson = require.resolve('onnxruntime-node/package.json');
const ortVersion = JSON.parse(readFileSync(ortPackageJson, 'utf8')).version;
const ortDir = dirname(ortPackageJson);
const binDir = join(ortDir, 'bin', 'napi-v6', process.platform, process.arch);
const dest = values.dest ? resolve(values.dest) : binDir;

if (process.platform !== 'linux' || process.arch !== 'x64') {
  fail(`the CUDA EP is set up here for linux/x64 only; this is ${process.platform}/${process.arch}`,
    'use --ep cpu (or webgpu where onnxruntime-node ships it)');
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error ? null : `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

function detectCuda() {
  const ldconfig = run('ldconfig', ['-p']) ?? '';
  if (/libcudart\.so\.13\b/.test(ldconfig)) return { major: '13', how: 'libcudart.so.13 found by ldconfig' };
  if (/libcudart\.so\.12\b/.test(ldconfig)) return { major: '12', how: 'libcudart.so.12 found by ldconfig' };
  const smi = run('nvidia-smi', []);
  const m = smi && /CUDA Version:\s*(\d+)\./.exec(smi);
  if (m) return { major: Number(m[1]) >= 13 ? '13' : '12', how: `driver supports CUDA ${m[1]} (nvidia-smi); no libcudart found yet` };
  return null;
}

/** The ORT version strings a provider library carries ("1.29.0" for ORT 1.29.0). */
function ortVersionsIn(file) {
  const text = readFileSync(file).toString('latin1');
  return [...new Set(text.match(/(?<=\0)1\.\d{1,2}\.\d{1,2}(?=\0)/g) ?? [])];
}

let cuda = values.cuda;
if (cuda === undefined) {
  const found = detectCuda();
  if (!found) {
    fail('no CUDA found: neither libcudart.so.12/13 (ldconfig -p) nor nvidia-smi',
      'install the NVIDIA driver and the CUDA runtime (CUDA 12: libcudart12, libcublas12, cuDNN 9; CUDA 13: the same for 13), or pass --cuda 12|13');
  }
  cuda = found.major;
  say(`CUDA ${cuda} (${found.how})`);
}
if (cuda !== '12' && cuda !== '13') fail(`--cuda ${cuda}`, 'pass --cuda 12 or --cuda 13');

if (cuda === '12') {
  if (values.dest) fail('--dest works only with CUDA 13 (onnxruntime-node\'s installer writes into its own folder)', 'drop --dest');
  say(`running onnxruntime-node ${ortVersion}'s installer for cuda12 (downloads from api.nuget.org)`);
  const r = spawnSync(process.execPath, [join(ortDir, 'script', 'install.js'), '--onnxruntime-node-install=cuda12'], { stdio: 'inherit' });
  if (r.status !== 0) {
    fail(`onnxruntime-node's installer exited with ${r.status ?? r.signal} (it needs https://api.nuget.org, or HTTPS_PROXY / GLOBAL_AGENT_HTTPS_PROXY)`,
      'run it where nuget.org is reachable, or on CUDA 13 use --cuda 13 (npm registry only)');
  }
} else {
  const work = mkdtempSync(join(tmpdir(), 'passk-cuda-'));
  try {
    let tgz = values['from-tgz'] ? resolve(values['from-tgz']) : null;
    if (!tgz) {
      say(`downloading ${CUDA13_PACKAGE} from the npm registry (about 180 MB)`);
      try {
        const name = execFileSync('npm', ['pack', CUDA13_PACKAGE, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop();
        tgz = join(work, name);
      } catch (error) {
        fail(`npm pack ${CUDA13_PACKAGE} failed: ${error.message.split('\n')[0]}`, 'check access to the npm registry (npm config get registry), or download the tarball elsewhere and pass --from-tgz FILE');
      }
    }
    try {
      execFileSync('tar', ['xzf', tgz, '-C', work]);
    } catch (error) {
      fail(`could not unpack ${tgz}: ${error.message.split('\n')[0]}`, 'download it again (npm pack)');
    }
    const libDir = join(work, 'package', 'Plugins', 'Linux', 'x64');
    const missing = LIBS.filter((f) => !existsSync(join(libDir, f)));
    if (missing.length) fail(`${tgz} lacks ${missing.join(', ')} (has: ${existsSync(libDir) ? readdirSync(libDir).join(', ') : 'no Plugins/Linux/x64'})`, `use ${CUDA13_PACKAGE} exactly`);
    const versions = ortVersionsIn(join(libDir, 'libonnxruntime_providers_cuda.so'));
    if (!versions.includes(ortVersion)) {
      fail(`the CUDA provider in ${tgz} is for ORT ${versions.join('/') || '(unknown)'}, but onnxruntime-node is ${ortVersion}; versions must match exactly`,
        `use the package version that carries ORT ${ortVersion} (${CUDA13_PACKAGE} for 1.29.0)`);
    }
    for (const f of LIBS) copyFileSync(join(libDir, f), join(dest, f));
    say(`installed ${LIBS.join(', ')} (ORT ${ortVersion}, CUDA 13) into ${dest}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const provider = join(dest, 'libonnxruntime_providers_cuda.so');
if (!existsSync(provider)) fail(`${provider} is not there after the install`, 'run again and read the installer\'s output above');
const versions = ortVersionsIn(provider);
if (!versions.includes(ortVersion)) {
  fail(`${provider} is for ORT ${versions.join('/') || '(unknown)'}, onnxruntime-node is ${ortVersion}`, 'remove it and run npm run setup:cuda again');
}
say(`version check: provider ORT ${ortVersion} = onnxruntime-node ${ortVersion}`);
const ldd = run('ldd', [provider]) ?? '';
const notFound = [...ldd.matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1]);
if (notFound.length) {
  fail(`the CUDA provider is installed but these libraries are not found: ${notFound.join(', ')}`,
    `install CUDA ${cuda} runtime libraries (cudart, cublas, cublasLt, curand; cuDNN 9 for some ops) and make them visible (ldconfig or LD_LIBRARY_PATH); then \`passk sample --ep cuda\` will load`);
}
say('all libraries the CUDA provider links against are found');
const model = join(dirname(dirname(new URL(import.meta.url).pathname)), 'resources', 'models', 'base', 'onnx', 'model.onnx');
if (dest === binDir && existsSync(model)) {
  const probe = spawnSync(process.execPath, ['-e', `require('onnxruntime-node').InferenceSession.create(${JSON.stringify(model)}, { executionProviders: ['cuda'] })
    .then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); })`], { encoding: 'utf8', cwd: ortDir });
  if (probe.status !== 0) {
    fail(`the CUDA EP did not load on the bundled model: ${(probe.stderr || '').trim().split('\n').pop()}`,
      'check the driver (nvidia-smi) and that cuDNN 9 and the CUDA libraries above match the CUDA major version');
  }
  say('the bundled model opens on the CUDA EP');
}
say('`passk sample --ep cuda` (or the default --ep auto) will use the CUDA EP');
