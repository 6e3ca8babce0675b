import { spawnSync } from 'node:child_process';
import { CALL_MODE_PY } from './judge-call-py.ts';
import { CODEC_PY } from './judge-codec-py.ts';

/**
 * The judge: the Python program the sandbox starts (`python3 -I -c BOOTSTRAP CPU MEMORY
 * PROCESSES FILESIZE`, its bytecode then its job on stdin; see judgeStart). It holds the
 * task's tests and the nonce, and is the only writer of descriptor 3, where Node reads
 * verdicts. The completion runs in other processes:
 *
 * - call mode (HumanEval, MBPP): one process forked *before* the job is read, so its memory
 *   never held the tests or the nonce, with stdin/stdout/stderr on /dev/null and only its
 *   two pipes to the judge. The module is named `solution` (never `__main__`). The tests run
 *   in the judge and reach the completion's functions through proxies; arguments, results,
 *   what a call changed in its arguments and the exceptions it raised cross as data (see
 *   judge-codec-py.ts) and the judge rebuilds them with its own classes, so no object of
 *   the completion's is ever compared and no line of its code runs in the judge. A result
 *   that is not data, a BaseException that is not an Exception (SystemExit,
 *   KeyboardInterrupt) or the process ending marks the completion wrong for good, even if
 *   the test catches the error it sees.
 * - stdio mode: one fresh interpreter per test input, run as `__main__`; the judge reports
 *   its stdout and Node compares it with the expected output.
 *
 * The judge makes itself non-dumpable, so a process of the same uid can neither ptrace it
 * nor open its /proc/PID/{mem,fd,environ}. Anything after the `ready` message that stops the
 * judge (killed, out of memory) leaves Node without a verdict: a wrong answer, never an error.
 */
const COMMON_PY = String.raw`
import builtins, os, resource, sys

# Every sandbox starts this program, so its start is kept lean: the json, ctypes and signal
# modules would cost ~10 ms of imports (json compiles regular expressions, signal builds
# enums) where the C modules beneath them cost ~1 ms.
SIGKILL = 9
VERDICT_FD = 3
MAX_FRAME = 64 << 20
SCALARS = {type(None), bool, int, float, str}
NONCE = None
sys.set_int_max_str_digits(0)

PREPARE = r'''
def prepare(limits):
    import os, resource, sys
    cpu, mem, nproc, fsize = limits
    for which, value in ((resource.RLIMIT_CPU, cpu), (resource.RLIMIT_AS, mem), (resource.RLIMIT_NPROC, nproc),
                         (resource.RLIMIT_FSIZE, fsize), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))
    try:
        # When the sandbox runs out of memory, the kernel kills the completion, not the judge.
        with open('/proc/self/oom_score_adj', 'w') as f:
            f.write('1000')
    except OSError:
        pass
    sys.set_int_max_str_digits(0)
'''
exec(PREPARE)

STDIO_BOOT = PREPARE + r'''
import _ctypes, os, runpy, sys
# Ends with the judge even outside a sandbox's pid namespace (--unsafe-no-sandbox).
_ctypes.call_function(_ctypes.dlsym(_ctypes.dlopen(None), 'prctl'), (1, 9, 0, 0, 0))
if os.getppid() != int(sys.argv[6]):
    os._exit(1)
prepare([int(v) for v in sys.argv[2:6]])
path = sys.argv[1]
sys.argv = [path]
runpy.run_path(path, run_name='__main__')
'''


class NotPlain(Exception):
    pass


class Violation(BaseException):
    """The completion broke the protocol; a BaseException so that "except Exception" in a test does not hide it."""


class CandidateError(Exception):
    """An exception of the completion's own class, which cannot cross to the judge."""


try:
    import _json

    class _Parsing:
        strict, object_hook, object_pairs_hook, parse_float, parse_int = True, None, None, float, int
        parse_constant = {'NaN': float('nan'), 'Infinity': float('inf'), '-Infinity': float('-inf')}.__getitem__

    _scan = _json.make_scanner(_Parsing())
    _encode = _json.make_encoder(None, None, _json.encode_basestring_ascii, None, ':', ',', False, False, True)

    def dumps(obj):
        return ''.join(_encode(obj, 0))

    def loads(data):
        text = data.decode('utf-8') if type(data) is bytes else data
        try:
            value, end = _scan(text, 0)
        except StopIteration:
            raise ValueError('not JSON')
        if end != len(text):
            raise ValueError('not one JSON value')
        return value
except (ImportError, AttributeError):
    from json import dumps, loads


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def read_exact(fd, n):
    parts = []
    while n:
        part = os.read(fd, min(n, 1 << 20))
        if not part:
            raise EOFError
        parts.append(part)
        n -= len(part)
    return b''.join(parts)


def read_all(fd):
    parts = []
    while True:
        part = os.read(fd, 1 << 20)
        if not part:
            return b''.join(parts)
        parts.append(part)


def send(fd, obj):
    data = dumps(obj).encode('ascii')
    write_all(fd, len(data).to_bytes(4, 'big') + data)


def recv(fd):
    n = int.from_bytes(read_exact(fd, 4), 'big')
    if n > MAX_FRAME:
        raise NotPlain('a message over 64 MB')
    return loads(read_exact(fd, n))


def report(message):
    message['nonce'] = NONCE
    write_all(VERDICT_FD, (dumps(message) + '\n').encode('ascii'))


def describe(e):
    try:
        text = str(e)
    except BaseException:
        text = ''
    return (type(e).__name__ + (': ' + text if text else ''))[:300]


def close_fds_except(keep):
    low = 3
    for fd in sorted(keep) + [1 << 20]:
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1


def prctl(option, value, what):
    import _ctypes
    function = _ctypes.dlsym(_ctypes.dlopen(None), 'prctl')
    if _ctypes.call_function(function, (option, value, 0, 0, 0)) != 0:
        raise OSError('prctl(' + what + ') failed')


def die_with_parent(parent):
    # Without a sandbox's pid namespace (--unsafe-no-sandbox) nothing else would end us with Node.
    prctl(1, SIGKILL, 'PR_SET_PDEATHSIG')
    if os.getppid() != parent:
        os._exit(1)

`;

const STDIO_MODE_AND_MAIN_PY = String.raw`
# ---- stdio mode ----

def run_stdio_case(source, stdin, limits, job):
    import subprocess, tempfile, threading
    path = os.path.join(tempfile.mkdtemp(prefix='solution-'), 'solution.py')
    with open(path, 'w', encoding='utf-8', errors='replace') as f:
        f.write(source)
    p = subprocess.Popen([sys.executable, '-I', '-c', STDIO_BOOT, path] + [str(v) for v in limits] + [str(os.getpid())],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    cap, state = job['outputBytes'], {'capped': False}
    out, err = [], []

    def sweep():
        # In the sandbox's own pid namespace, kill(-1) reaches everything but its init and the
        # judge; outside one it would reach all of the user's processes, so only the group then.
        try:
            if job['isolated'] and os.getppid() == 1:
                os.kill(-1, SIGKILL)
            else:
                os.killpg(p.pid, SIGKILL)
        except OSError:
            pass

    def pump(stream, into, limit):
        size = 0
        while True:
            chunk = stream.read1(1 << 16)
            if not chunk:
                return
            size += len(chunk)
            into.append(chunk)
            if limit is not None and size > limit:
                state['capped'] = True
                sweep()
            if limit is None and size > 1 << 16:
                joined = b''.join(into)[-(1 << 16):]
                into[:] = [joined]
                size = len(joined)

    def feed():
        try:
            p.stdin.write(stdin.encode('utf-8'))
        except OSError:
            pass
        try:
            p.stdin.close()
        except OSError:
            pass

    threads = [threading.Thread(target=pump, args=(p.stdout, out, cap), daemon=True),
               threading.Thread(target=pump, args=(p.stderr, err, None), daemon=True),
               threading.Thread(target=feed, daemon=True)]
    for t in threads:
        t.start()
    timed_out = False
    try:
        p.wait(timeout=job['timeoutMs'] / 1000)
    except subprocess.TimeoutExpired:
        timed_out = True
    sweep()
    code = p.wait()
    for t in threads:
        t.join(5)
    if job['isolated'] and os.getppid() == 1:
        wipe_scratch()
    return {'type': 'run', 'stdout': b''.join(out)[:cap].decode('utf-8', 'replace'),
            'stderrTail': b''.join(err)[-2000:].decode('utf-8', 'replace'),
            'exitCode': code if code >= 0 else None,
            'signal': signal_name(-code) if code < 0 else None,
            'timedOut': timed_out, 'outputCapped': state['capped']}


def signal_name(number):
    import signal
    try:
        return signal.Signals(number).name
    except ValueError:
        return 'signal ' + str(number)


def wipe_scratch():
    """Frees what one run left in the sandbox's tmpfs, so the next run (and the report) has memory."""
    import shutil
    for root in ('/tmp', '/dev/shm'):
        try:
            names = os.listdir(root)
        except OSError:
            continue
        for name in names:
            path = os.path.join(root, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass


def main():
    global NONCE
    limits = [int(v) for v in sys.argv[1:5]]
    # Ours: 0 (the job), 1 and 2 (diagnostics), 3 (verdicts). Nothing else may reach a completion.
    close_fds_except({VERDICT_FD})
    # bubblewrap always sets PWD (to /tmp); the completion gets exactly PATH, HOME and LANG.
    os.environ.pop('PWD', None)
    # The sandbox starts before its task is known (Node keeps one ready), so this cannot
    # depend on the task: nearly every HumanEval prompt imports typing, and both sides would.
    import typing
    die_with_parent(os.getppid())
    # Forked before the job is read: the completion's process never holds the tests or the nonce.
    candidate = fork_candidate(limits)
    prctl(4, 0, 'PR_SET_DUMPABLE')
    job = loads(read_all(0))
    os.close(0)
    NONCE = job['nonce']
    report({'type': 'ready'})
    try:
        if job['mode'] == 'call':
            passed, reason = judge_calls(job, candidate)
            report({'type': 'verdict', 'passed': passed, 'reason': reason})
            # Node ends the sandbox on the verdict; tearing the interpreter down would only cost time.
            end(candidate)
            os._exit(0)
        # A stdio task runs a fresh interpreter per test instead.
        end(candidate)
        for i, stdin in enumerate(job['inputs']):
            run = run_stdio_case(job['source'], stdin, limits, job)
            run['index'] = i
            report(run)
    except BaseException as e:
        report({'type': 'verdict', 'passed': False, 'reason': 'the judge stopped: ' + describe(e)})
    finally:
        end(candidate)


def end(candidate):
    """Kills and reaps the completion's process (a zombie would still count against the process limit)."""
    if candidate is not None:
        try:
            os.kill(candidate.pid, SIGKILL)
            os.waitpid(candidate.pid, 0)
        except OSError:
            pass


main()
`;

export const JUDGE_PY = COMMON_PY + CODEC_PY + CALL_MODE_PY + STDIO_MODE_AND_MAIN_PY;

export interface JudgeStart {
  /** The interpreter's arguments (before the limits). */
  args: string[];
  /** Bytes to write to the judge's stdin first, before its job. */
  code: Buffer | null;
}

const compiled = new Map<string, JudgeStart>();

/**
 * Reads exactly the judge's `length` bytes of bytecode from stdin, with os.read: a buffered
 * read could take in the start of the job behind it, and the completion's process, forked
 * before the judge reads its job, would then carry those bytes.
 */
const bootstrap = (length: number) => [
  'import marshal, os',
  "code = b''",
  `while len(code) < ${length}:`,
  `    part = os.read(0, ${length} - len(code))`,
  '    if not part:',
  "        raise SystemExit('passk: the judge code ended early')",
  '    code += part',
  'exec(marshal.loads(code))',
].join('\n');

/**
 * How to run the judge: its bytecode, compiled once per interpreter by that interpreter,
 * read from stdin ahead of the job. Every sandbox is spared compiling the source (~5 ms),
 * and every exec on the way (sh, setpriv, bwrap, python) copying it as an argument. Falls
 * back to the source as an argument when compiling fails; the sandbox then reports why.
 */
export function judgeStart(python: string): JudgeStart {
  let start = compiled.get(python);
  if (!start) {
    const r = spawnSync(python, ['-I', '-c', "import marshal, sys; sys.stdout.buffer.write(marshal.dumps(compile(sys.stdin.read(), 'passk-judge', 'exec')))"], { input: JUDGE_PY, env: {}, maxBuffer: 16 << 20 });
    start = r.status === 0 && r.stdout.length > 0
      ? { args: ['-I', '-c', bootstrap(r.stdout.length)], code: r.stdout }
      : { args: ['-I', '-c', JUDGE_PY], code: null };
    compiled.set(python, start);
  }
  return start;
}
