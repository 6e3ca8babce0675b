/**
 * Call mode of the judge (HumanEval, MBPP), spliced into JUDGE_PY (judge-py.ts), whose
 * helpers (send, recv, enc, dec, describe, prepare, die_with_parent) it uses. The completion
 * side runs in the process forked before the judge reads its job; the judge side turns each
 * name the test calls into a proxy whose results the judge rebuilds from plain data.
 */
export const CALL_MODE_PY = String.raw`
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
            # New stream objects over /dev/null: nothing the judge's ever held stays reachable.
            sys.stdin, sys.stdout, sys.stderr = (open(fd, mode, closefd=False) for fd, mode in ((0, 'r'), (1, 'w'), (2, 'w')))
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
                    return 'killed by ' + signal_name(os.WTERMSIG(status))
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


`;
