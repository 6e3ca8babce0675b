import { spawnSync } from 'node:child_process';

/**
 * The judge: the Python program the sandbox starts (`python3 -I -c JUDGE_PY MODE LIMITS…`).
 * It holds the task's tests and the nonce, and is the only writer of descriptor 3, where
 * Node reads verdicts. The completion runs in other processes:
 *
 * - call mode (HumanEval, MBPP): one process forked *before* the job is read, so its memory
 *   never held the tests or the nonce, with stdin/stdout/stderr on /dev/null and only its
 *   two pipes to the judge. The module is named `solution` (never `__main__`). The tests run
 *   in the judge and reach the completion's functions through proxies; arguments and
 *   results cross as JSON of plain data (None, bool, int, float, complex, str, list, tuple,
 *   dict, set, frozenset) and the judge rebuilds them itself, so no object of the
 *   completion's is ever compared. A result that is not plain data, a BaseException that is
 *   not an Exception (SystemExit, KeyboardInterrupt) or the process ending marks the
 *   completion wrong for good, even if the test catches the error it sees.
 * - stdio mode: one fresh interpreter per test input, run as `__main__`; the judge reports
 *   its stdout and Node compares it with the expected output.
 *
 * The judge makes itself non-dumpable, so a process of the same uid can neither ptrace it
 * nor open its /proc/PID/{mem,fd,environ}. Anything after the `ready` message that stops the
 * judge (killed, out of memory) leaves Node without a verdict: a wrong answer, never an error.
 */
export const JUDGE_PY = String.raw`
import builtins, json, os, resource, signal, struct, sys

VERDICT_FD = 3
MAX_FRAME = 64 << 20
SCALARS = {type(None), bool, int, float, str}
MUTABLE = {list, dict, set}
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
import runpy, sys
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


def enc(x):
    t = type(x)
    if t in SCALARS:
        return x
    if t is list:
        return [enc(v) for v in x]
    if t is tuple:
        return {'t': [enc(v) for v in x]}
    if t is set:
        return {'s': [enc(v) for v in x]}
    if t is frozenset:
        return {'f': [enc(v) for v in x]}
    if t is dict:
        return {'d': [[enc(k), enc(v)] for k, v in x.items()]}
    if t is complex:
        return {'c': [x.real, x.imag]}
    raise NotPlain(t.__name__)


def dec(x):
    """Rebuilds plain data from JSON the completion sent; the only way its values reach a test."""
    t = type(x)
    if t in SCALARS:
        return x
    if t is list:
        return [dec(v) for v in x]
    if t is dict and len(x) == 1:
        tag, v = next(iter(x.items()))
        if type(v) is list:
            if tag == 't':
                return tuple([dec(e) for e in v])
            if tag == 's':
                return set([dec(e) for e in v])
            if tag == 'f':
                return frozenset([dec(e) for e in v])
            if tag == 'd' and all(type(p) is list and len(p) == 2 for p in v):
                return {dec(k): dec(w) for k, w in v}
            if tag == 'c' and len(v) == 2 and all(type(e) in (int, float) for e in v):
                return complex(v[0], v[1])
    raise NotPlain('malformed value')


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


def send(fd, obj):
    data = json.dumps(obj).encode('ascii')
    write_all(fd, struct.pack('>I', len(data)) + data)


def recv(fd):
    (n,) = struct.unpack('>I', read_exact(fd, 4))
    if n > MAX_FRAME:
        raise NotPlain('a message over 64 MB')
    return json.loads(read_exact(fd, n))


def report(message):
    message['nonce'] = NONCE
    write_all(VERDICT_FD, (json.dumps(message) + '\n').encode('ascii'))


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
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(' + what + ')')


def die_with_parent(parent):
    # Without a sandbox's pid namespace (--unsafe-no-sandbox) nothing else would end us with Node.
    prctl(1, signal.SIGKILL, 'PR_SET_PDEATHSIG')
    if os.getppid() != parent:
        os._exit(1)


# ---- the completion's side of call mode (runs in the forked process) ----

def serve(rfd, wfd, limits):
    import types
    prepare(limits)
    load = recv(rfd)
    # The working directory is this sandbox's own (a fresh tmpfs, or a fresh directory for --unsafe-no-sandbox).
    os.mkdir('solution')
    path = os.path.join(os.getcwd(), 'solution', 'solution.py')
    with open(path, 'w', encoding='utf-8', errors='replace') as f:
        f.write(load['source'])
    module = types.ModuleType('solution')
    module.__file__ = path
    sys.modules['solution'] = module
    sys.argv = [path]
    try:
        exec(compile(load['source'], path, 'exec'), module.__dict__)
    except BaseException as e:
        send(wfd, {'ok': False, 'error': describe(e)})
        return
    names = {}
    for name in load['want']:
        if name in module.__dict__:
            value = module.__dict__[name]
            try:
                names[name] = 'callable' if callable(value) else {'value': enc(value)}
            except (NotPlain, RecursionError):
                pass
    send(wfd, {'ok': True, 'names': names})
    while True:
        try:
            call = recv(rfd)
        except EOFError:
            return
        args = [dec(a) for a in call['args']]
        kwargs = {k: dec(v) for k, v in call['kwargs'].items()}
        try:
            value = module.__dict__[call['name']](*args, **kwargs)
        except Exception as e:
            try:
                message = str(e)[:300]
            except BaseException:
                message = ''
            reply = {'ok': False, 'raised': type(e).__name__, 'message': message}
        except BaseException as e:
            reply = {'ok': False, 'fatal': 'raised ' + describe(e)}
        else:
            try:
                reply = {'ok': True, 'value': enc(value), 'args': [enc(args[i]) for i in call['back']]}
            except (NotPlain, RecursionError):
                reply = {'ok': False, 'fatal': 'returned an object of class ' + type(value).__name__ + ', which is not plain data'}
        send(wfd, reply)


def fork_candidate(limits):
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            die_with_parent(parent)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            close_fds_except({to_child_r, from_child_w})
            serve(to_child_r, from_child_w, limits)
        finally:
            os._exit(0)
    os.close(to_child_r)
    os.close(from_child_w)
    return Candidate(pid, from_child_r, to_child_w)


# ---- the judge's side of call mode ----

class Candidate:
    def __init__(self, pid, rfd, wfd):
        self.pid, self.rfd, self.wfd = pid, rfd, wfd
        self.violation = None

    def ended(self):
        for _ in range(20):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                if os.WIFSIGNALED(status):
                    return 'killed by ' + signal.Signals(os.WTERMSIG(status)).name
                return 'exit status ' + str(os.WEXITSTATUS(status))
            import time
            time.sleep(0.005)
        return 'closed its channel'

    def exchange(self, message):
        try:
            send(self.wfd, message)
            reply = recv(self.rfd)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            raise EOFError
        if type(reply) is not dict:
            raise NotPlain('malformed reply')
        return reply

    def fail(self, reason):
        if self.violation is None:
            self.violation = reason
        raise Violation(self.violation)

    def proxy(self, name):
        def call(*args, **kwargs):
            return self.call(name, args, kwargs)
        call.__name__ = call.__qualname__ = name
        return call

    def call(self, name, args, kwargs):
        if self.violation is not None:
            raise Violation(self.violation)
        back = [i for i, a in enumerate(args) if type(a) in MUTABLE]
        try:
            message = {'op': 'call', 'name': name, 'args': [enc(a) for a in args],
                       'kwargs': {k: enc(v) for k, v in kwargs.items()}, 'back': back}
        except (NotPlain, RecursionError) as e:
            raise TypeError('the test passes a ' + str(e) + ' to ' + name + '(); only plain data crosses to the completion')
        try:
            reply = self.exchange(message)
        except EOFError:
            self.fail('the completion process ended during ' + name + '() (' + self.ended() + ')')
        except (NotPlain, ValueError, RecursionError):
            self.fail(name + '() sent a malformed reply')
        if reply.get('ok') is not True:
            if type(reply.get('raised')) is str and type(reply.get('message')) is str:
                raise_as(reply['raised'], reply['message'])
            self.fail(name + '() ' + str(reply.get('fatal', 'sent a malformed reply'))[:300])
        try:
            value = dec(reply['value'])
            after = reply['args']
            if type(after) is not list or len(after) != len(back):
                raise NotPlain('malformed reply')
            after = [dec(a) for a in after]
        except (NotPlain, KeyError, TypeError, ValueError, RecursionError, OverflowError):
            self.fail(name + '() returned something other than plain data')
        # As in one process: an argument the completion changed in place is changed for the test too.
        for i, new in zip(back, after):
            old = args[i]
            if type(new) is type(old):
                if type(old) is list:
                    old[:] = new
                else:
                    old.clear()
                    old.update(new)
        return value


def raise_as(type_name, message):
    cls = getattr(builtins, type_name, None)
    error = None
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            error = cls(message)
        except Exception:
            pass
    raise error if error is not None else CandidateError(type_name + ': ' + message)


def referenced_globals(source):
    """Names the test reads and never binds itself: where MBPP asserts call the completion."""
    import ast
    tree = ast.parse(source)
    loads, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split('.')[0] for a in node.names)
    # Never a builtin: a completion defining set() must not change what the asserts call.
    return sorted(loads - bound - set(dir(builtins)))


def test_line(error, source):
    lines = source.split('\n')
    tb, line = error.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == '<test>' and 0 < tb.tb_lineno <= len(lines):
            line = tb.tb_lineno
        tb = tb.tb_next
    return '' if line is None else ' at test line ' + str(line) + ': ' + lines[line - 1].strip()[:200]


def judge_calls(job, candidate):
    g = {'__name__': '__test__', '__builtins__': builtins}
    try:
        exec(compile(job['trusted'], '<task>', 'exec'), g)
        test = compile(job['test'], '<test>', 'exec')
    except BaseException as e:
        return False, "the task's own code fails (not the completion's fault): " + describe(e)
    want = list(job['remote']) + ([n for n in referenced_globals(job['test']) if n not in g] if job['discover'] else [])
    try:
        loaded = candidate.exchange({'op': 'load', 'source': job['candidate'], 'want': want})
    except EOFError:
        return False, 'the completion process ended while loading (' + candidate.ended() + ')'
    except (NotPlain, ValueError, RecursionError):
        return False, 'the completion process sent a malformed reply while loading'
    if loaded.get('ok') is not True or type(loaded.get('names')) is not dict:
        return False, 'the completion fails to load: ' + str(loaded.get('error', 'malformed reply'))[:300]
    for name in want:
        kind = loaded['names'].get(name)
        if kind == 'callable':
            g[name] = candidate.proxy(name)
        elif type(kind) is dict and 'value' in kind:
            try:
                g[name] = dec(kind['value'])
            except (NotPlain, TypeError, RecursionError):
                return False, name + ' is not plain data'
        elif name in job['remote']:
            return False, 'the completion does not define ' + name
    try:
        exec(test, g)
    except Violation:
        pass
    except AssertionError as e:
        return False, 'assertion failed' + test_line(e, job['test']) + (': ' + str(e)[:200] if str(e) else '')
    except BaseException as e:
        return False, describe(e) + test_line(e, job['test'])
    if candidate.violation is not None:
        return False, candidate.violation
    return True, 'passed the tests'


# ---- stdio mode ----

def run_stdio_case(source, stdin, limits, job):
    import subprocess, tempfile, threading
    path = os.path.join(tempfile.mkdtemp(prefix='solution-'), 'solution.py')
    with open(path, 'w', encoding='utf-8', errors='replace') as f:
        f.write(source)
    p = subprocess.Popen([sys.executable, '-I', '-c', STDIO_BOOT, path] + [str(v) for v in limits],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    cap, state = job['outputBytes'], {'capped': False}
    out, err = [], []

    def sweep():
        # In the sandbox's own pid namespace, kill(-1) reaches everything but its init and the
        # judge; outside one it would reach all of the user's processes, so only the group then.
        try:
            if job['isolated'] and os.getppid() == 1:
                os.kill(-1, signal.SIGKILL)
            else:
                os.killpg(p.pid, signal.SIGKILL)
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
            'signal': signal.Signals(-code).name if code < 0 else None,
            'timedOut': timed_out, 'outputCapped': state['capped']}


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
    mode, limits = sys.argv[1], [int(v) for v in sys.argv[2:6]]
    # Ours: 0 (the job), 1 and 2 (diagnostics), 3 (verdicts). Nothing else may reach a completion.
    close_fds_except({VERDICT_FD})
    # bubblewrap always sets PWD (to /tmp); the completion gets exactly PATH, HOME and LANG.
    os.environ.pop('PWD', None)
    if mode == 'call':
        # Loaded once, before the fork, for both sides: nearly every HumanEval prompt imports it.
        import typing
    die_with_parent(os.getppid())
    candidate = fork_candidate(limits) if mode == 'call' else None
    prctl(4, 0, 'PR_SET_DUMPABLE')
    job = json.loads(sys.stdin.buffer.read())
    os.close(0)
    NONCE = job['nonce']
    report({'type': 'ready'})
    try:
        if mode == 'call':
            passed, reason = judge_calls(job, candidate)
            report({'type': 'verdict', 'passed': passed, 'reason': reason})
            # Node ends the sandbox on the verdict; tearing the interpreter down would only cost time.
            end(candidate)
            os._exit(0)
        else:
            for i, stdin in enumerate(job['inputs']):
                run = run_stdio_case(job['source'], stdin, limits, job)
                run['index'] = i
                report(run)
    except BaseException as e:
        report({'type': 'verdict', 'passed': False, 'reason': 'the judge stopped: ' + describe(e)})
    finally:
        end(candidate)


def end(candidate):
    if candidate is not None:
        try:
            os.kill(candidate.pid, signal.SIGKILL)
        except OSError:
            pass


main()
`;

const compiled = new Map<string, string[]>();

/**
 * The interpreter arguments that run the judge: its bytecode, compiled once per interpreter
 * by that interpreter and passed inline, which spares every sandbox the ~5 ms of compiling
 * the source. Falls back to the source when compiling fails; the sandbox then reports why.
 */
export function judgeArgs(python: string): string[] {
  let args = compiled.get(python);
  if (!args) {
    const r = spawnSync(python, ['-I', '-c', "import marshal, sys; sys.stdout.buffer.write(marshal.dumps(compile(sys.stdin.read(), 'passk-judge', 'exec')))"], { input: JUDGE_PY, env: {}, maxBuffer: 16 << 20 });
    args = r.status === 0 && r.stdout.length > 0
      ? ['-I', '-c', `import binascii, marshal\nexec(marshal.loads(binascii.a2b_base64('${r.stdout.toString('base64')}')))`]
      : ['-I', '-c', JUDGE_PY];
    compiled.set(python, args);
  }
  return args;
}
