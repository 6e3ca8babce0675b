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
            if type(value) is types.ModuleType:
                names[name] = {'module': value.__name__}
            elif callable(value):
                names[name] = 'callable'
            else:
                try:
                    names[name] = {'value': Codec().enc(value)}
                except (NotPlain, RecursionError):
                    pass
    send(wfd, {'ok': True, 'names': names})
    while True:
        try:
            call = recv(rfd)
        except EOFError:
            return
        send(wfd, serve_call(module, call))


def serve_call(module, call):
    codec = Codec()
    args = [codec.dec(a) for a in call['args']]
    kwargs = {k: codec.dec(v) for k, v in call['kwargs']}
    known = len(codec.objs)
    # What the arguments held before, to send back only what the call changed.
    before = [snapshot(o) for o in codec.objs]
    try:
        value = module.__dict__[call['name']](*args, **kwargs)
    except Exception as e:
        reply = {'ok': False, 'raised': exception_record(e)}
    except BaseException as e:
        return {'ok': False, 'fatal': 'raised ' + describe(e)}
    else:
        try:
            reply = {'ok': True, 'value': codec.enc(value)}
        except (NotPlain, RecursionError):
            return {'ok': False, 'fatal': 'returned an object of class ' + type(value).__name__ + ', which is not plain data'}
        except Exception as e:
            # A generator of the completion's that raises as it is read: raised by the call here.
            codec.forget(known)
            reply = {'ok': False, 'raised': exception_record(e)}
    try:
        reply['changes'] = codec.changes(known, before)
    except (NotPlain, RecursionError) as e:
        return {'ok': False, 'fatal': 'left an argument holding an object of class ' + str(e) + ', which is not plain data'}
    return reply


def exception_record(e):
    """
    The exception's classes, most derived first, each by its module and name where that name
    reaches this very class here (an own class merely named ValueError, or claiming to be
    the builtins', is reported without a module), and its arguments.
    """
    classes = []
    for c in type(e).__mro__[:64]:
        module, name = getattr(c, '__module__', None), getattr(c, '__qualname__', None)
        if type(module) is not str or type(name) is not str:
            module, name = '', ''
        found = sys.modules.get(module)
        for part in name.split('.'):
            found = getattr(found, '__dict__', {}).get(part)
        classes.append([module if found is c else '', name])
    try:
        args = Codec().enc(tuple(e.args))
    except BaseException:
        args = None
    try:
        message = str(e)[:300]
    except BaseException:
        message = ''
    return {'classes': classes, 'args': args, 'message': message}


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
        self.trusted = {'__name__': '__test__'}

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
        codec = Codec()
        try:
            message = {'op': 'call', 'name': name, 'args': [codec.enc(a) for a in args],
                       'kwargs': [[k, codec.enc(v)] for k, v in kwargs.items()]}
        except (NotPlain, RecursionError) as e:
            raise TypeError('the test passes a ' + str(e) + ' to ' + name + '(); only plain data crosses to the completion')
        known = len(codec.objs)
        try:
            reply = self.exchange(message)
        except EOFError:
            self.fail('the completion process ended during ' + name + '() (' + self.ended() + ')')
        except (NotPlain, ValueError, RecursionError):
            self.fail(name + '() sent a malformed reply')
        raised = reply.get('raised')
        if reply.get('ok') is not True and type(raised) is not dict:
            self.fail(name + '() ' + str(reply.get('fatal', 'sent a malformed reply'))[:300])
        try:
            value = codec.dec(reply['value']) if raised is None else None
            # As in one process: what the completion changed in the arguments, at any depth, is
            # changed in the test's own objects, also when it then raised.
            codec.apply(known, reply['changes'])
        except Exception:
            # Whatever went wrong in rebuilding the reply, never an Exception the test could catch.
            self.fail(name + '() returned something other than plain data')
        if raised is not None:
            try:
                error = candidate_error(raised, self.trusted)
            except Exception as e:
                # Never an Exception the test could catch and take for the completion's.
                self.fail(name + '() raised an exception the judge could not rebuild (' + describe(e) + ')')
            raise error
        return value


def trusted_class(module, qualname, trusted):
    """The judge's own exception class that the completion's process names, or None."""
    if type(module) is not str or type(qualname) is not str:
        return None
    if module == 'builtins':
        cls = builtins.__dict__.get(qualname)
    elif module == 'solution':
        # A class of the task's own code (HumanEval's prompt, MBPP's setup), which the
        # completion's module holds too; never one the completion defined under that name.
        cls = trusted.get(qualname)
        module = trusted['__name__']
    elif module == '__main__':
        # The judge's own classes (NotPlain, ...), which the completion's fork holds too.
        return None
    else:
        cls = sys.modules.get(module)
        for part in qualname.split('.'):
            cls = getattr(cls, '__dict__', {}).get(part)
    if isinstance(cls, type) and issubclass(cls, Exception) and cls.__module__ == module and cls.__qualname__ == qualname:
        return cls
    return None


def candidate_error(raised, trusted):
    """
    The exception the completion raised, as an instance of the judge's own classes: the most
    derived of its classes that the judge holds itself (json.JSONDecodeError where the test
    imported json, else ValueError), never a class by its name alone, so an own class
    named ValueError is an Exception here. StopIteration becomes a RuntimeError, as PEP 479
    does in generators: it would otherwise end the test's all(map(...)) early, as a pass.
    """
    classes = raised.get('classes')
    message = raised.get('message') if type(raised.get('message')) is str else ''
    found = []
    if type(classes) is list:
        for c in classes[:64]:
            cls = trusted_class(c[0], c[1], trusted) if type(c) is list and len(c) == 2 else None
            if cls is not None and not any(issubclass(k, cls) for k in found):
                found.append(cls)
    if not found:
        return CandidateError(message)
    ends = [k for k in found if issubclass(k, (StopIteration, StopAsyncIteration))]
    if ends:
        return RuntimeError('the completion raised ' + ends[0].__name__ + (': ' + message if message else ''))
    cls = found[0]
    if len(found) > 1:
        try:
            cls = type(cls.__name__, tuple(found), {'__module__': cls.__module__, '__qualname__': cls.__qualname__})
        except TypeError:
            pass
    try:
        args = dec(raised['args'])
        if type(args) is not tuple:
            raise NotPlain('malformed')
    except (NotPlain, KeyError, TypeError, ValueError, RecursionError, OverflowError, MemoryError):
        args = (message,) if message else ()
    try:
        return cls(*args)
    except Exception:
        pass
    try:
        error = cls.__new__(cls, *args)
        error.args = args
        return error
    except Exception:
        return cls(message)


def trusted_module(name):
    """The judge's own import of a standard-library module the completion imported, or None."""
    if type(name) is not str or name.split('.')[0] not in sys.stdlib_module_names:
        return None
    try:
        import importlib
        return importlib.import_module(name)
    except Exception:
        return None


def referenced_globals(source, entry_points):
    """
    Names the test reads and never binds itself: where MBPP asserts call the completion. A
    builtin only when the task's reference solution defines that name itself (MBPP's sum()).
    """
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
    # Otherwise never a builtin: a completion defining set() must not change what the asserts call.
    return sorted(loads - bound - (set(dir(builtins)) - set(entry_points)))


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
    candidate.trusted = g
    want = list(job['remote']) + ([n for n in referenced_globals(job['test'], job['entryPoints']) if n not in g] if job['discover'] else [])
    try:
        loaded = candidate.exchange({'op': 'load', 'source': job['candidate'], 'want': want})
    except EOFError:
        return False, 'the completion process ended while loading (' + candidate.ended() + ')'
    except (NotPlain, ValueError, RecursionError):
        return False, 'the completion process sent a malformed reply while loading'
    if loaded.get('ok') is not True or type(loaded.get('names')) is not dict:
        return False, 'the completion fails to load: ' + str(loaded.get('error', 'malformed reply'))[:300]
    # Where the task says which names it asks for, the test reaches no other of the
    # completion's: a value it compares with must not come from the completion unasked.
    asked = set(job['remote']) | set(job['entryPoints']) if job['entryPoints'] else None
    for name in want:
        kind = loaded['names'].get(name)
        if type(kind) is dict and type(kind.get('module')) is str:
            # A module the completion imported under its own name (math, sys; from
            # xml.etree import ElementTree): the judge's own import of it.
            module = kind['module']
            if module == name or module.endswith('.' + name):
                module = trusted_module(module)
                if module is not None:
                    g[name] = module
            continue
        if asked is not None and name not in asked:
            continue
        if kind == 'callable':
            g[name] = candidate.proxy(name)
        elif type(kind) is dict and 'value' in kind:
            try:
                g[name] = dec(kind['value'])
            except Exception:
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
