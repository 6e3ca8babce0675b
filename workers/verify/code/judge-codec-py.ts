/**
 * How values cross between the judge and the completion's process in call mode, spliced into
 * JUDGE_PY (judge-py.ts) after its common helpers. Both sides run this same code; what makes
 * it safe is what the *judge's* side does with what it reads:
 *
 * - it builds values only of classes it knows, from data: the plain ones (None, bool, int,
 *   float, complex, str, bytes, list, tuple, dict, set, frozenset) and some of the standard
 *   library's (namedtuple, defaultdict, Counter, OrderedDict, deque, bytearray, range,
 *   Fraction, Decimal, re.Pattern, re.Match, dict views, an exhausted-ahead iterator). Every
 *   one of them is built by the judge's own classes (a namedtuple's class by
 *   collections.namedtuple from checked identifiers; a re.Match by matching the pattern
 *   again), so comparing, hashing or printing one never runs a line of the completion's.
 * - a class of the completion's that derives from one of those (an int whose __eq__ says
 *   yes to everything, a list with a lying __len__) crosses as its base class's value, read
 *   through the base class's own methods: the test sees what the value is, not what it
 *   claims. Any other class is not data, and returning it marks the completion wrong.
 *
 * The completion's process may send anything at all instead of what this code would send;
 * the judge then builds other values or refuses the reply. Whatever it sends, the judge
 * holds values that an honest program could have returned, so a lie is worth no more than
 * being a different program.
 *
 * Identity: every container that can change in place (list, dict and its subclasses, set,
 * bytearray, deque) is numbered in the order it is first met, depth first, by both sides
 * alike; a second occurrence of the same object is {'r': n}. The arguments of a call number
 * 0..K-1; the reply's value goes on from K, and then the reply lists the new contents of
 * each argument object the call changed, at any depth, which the judge writes into the
 * test's own objects. An argument the completion returns is the test's object again.
 */
export const CODEC_PY = String.raw`
# ---- the codec: values across the pipe ----

# Loaded anyway: the judge imports typing, which imports collections.
import collections
from operator import is_ as _is
_deque, _defaultdict = collections.deque, collections.defaultdict
_lazy = {}


def lazy(name):
    """Standard-library modules the codec needs only when such a value crosses."""
    m = _lazy.get(name)
    if m is None:
        import importlib
        m = _lazy[name] = importlib.import_module(name)
    return m


_named = {}


def named_tuple_class(typename, fields):
    key = (typename, tuple(fields))
    cls = _named.get(key)
    if cls is None:
        if type(typename) is not str or not all(type(f) is str for f in fields) or len(_named) > 1000:
            raise NotPlain('malformed namedtuple')
        try:
            # Checks that the name and every field are identifiers, not keywords nor _private.
            cls = collections.namedtuple(typename, fields)
        except (ValueError, TypeError):
            raise NotPlain('malformed namedtuple')
        _named[key] = cls
    return cls


ITERATOR_MODULES = {'builtins', 'itertools'}
MAX_ITERATED = 1 << 20


class Codec:
    def __init__(self):
        self.objs = []
        self.ids = {}

    def known(self, x):
        """Numbers a changeable container; {'r': n} when this very object was numbered before."""
        n = self.ids.get(id(x))
        if n is not None:
            return {'r': n}
        self.ids[id(x)] = len(self.objs)
        self.objs.append(x)
        return None

    def enc(self, x):
        t = type(x)
        if t is str or t is int or t is float or t is bool or x is None:
            return x
        f = ENCODERS.get(t)
        if f is not None:
            return f(self, x)
        return self.enc_other(x, t)

    def pairs(self, x):
        return [[self.enc(k), self.enc(v)] for k, v in dict.items(x)]

    def enc_other(self, x, t):
        # Classes of the standard library that cannot be named before they are loaded.
        m = t.__module__
        if m == 're' and t.__name__ == 'Match':
            return {'M': [self.enc(x.re.pattern), x.re.flags, self.enc(x.string), x.pos, x.endpos, x.start(), x.end()]}
        if m == 're' and t.__name__ == 'Pattern':
            return {'P': [self.enc(x.pattern), x.flags]}
        if m == 'fractions' and t.__name__ == 'Fraction':
            return {'Q': [x.numerator, x.denominator]}
        if m == 'decimal' and t.__name__ == 'Decimal':
            return {'D': str(x)}
        # Subclasses: the base class's value, read through the base class's methods.
        if isinstance(x, tuple):
            fields = getattr(t, '_fields', None)
            items = [self.enc(v) for v in tuple.__iter__(x)]
            if type(fields) is tuple and len(fields) == len(items) and all(type(f) is str for f in fields):
                return {'n': [t.__name__, list(fields), items]}
            return {'t': items}
        if isinstance(x, int):
            return int.__index__(x)
        if isinstance(x, float):
            return float.__float__(x)
        if isinstance(x, str):
            return str.__str__(x)
        if isinstance(x, complex):
            return {'c': [complex.real.__get__(x), complex.imag.__get__(x)]}
        if isinstance(x, bytes):
            return {'b': bytes.decode(x, 'latin-1')}
        if isinstance(x, frozenset):
            return {'f': [self.enc(v) for v in frozenset.__iter__(x)]}
        for base in SUBCLASSABLE:
            if isinstance(x, base):
                return ENCODERS[base](self, x)
        # An iterator of the interpreter's (a generator, map, zip, ...): what it yields, ahead.
        if m in ITERATOR_MODULES and hasattr(t, '__next__'):
            items = []
            for v in x:
                if len(items) == MAX_ITERATED:
                    raise NotPlain('an iterator of over ' + str(MAX_ITERATED) + ' items')
                items.append(self.enc(v))
            return {'i': items}
        raise NotPlain(t.__name__)

    # -- decoding: only ever builds the classes named here, from data --

    def dec(self, x):
        t = type(x)
        if t is str or t is int or t is float or t is bool or x is None:
            return x
        if t is list:
            out = []
            self.register(out)
            out.extend([self.dec(v) for v in x])
            return out
        if t is dict and len(x) == 1:
            tag, v = next(iter(x.items()))
            f = DECODERS.get(tag)
            if f is not None:
                return f(self, v)
        raise NotPlain('malformed value')

    def ref(self, n):
        if type(n) is not int or not 0 <= n < len(self.objs):
            raise NotPlain('malformed reference')
        return self.objs[n]

    def forget(self, known):
        """Drops the numbers given after the first known objects (an encoding that failed half way)."""
        for obj in self.objs[known:]:
            del self.ids[id(obj)]
        del self.objs[known:]

    def register(self, obj):
        self.ids[id(obj)] = len(self.objs)
        self.objs.append(obj)

    def items(self, v):
        if type(v) is not list:
            raise NotPlain('malformed value')
        return [self.dec(e) for e in v]

    def dec_pairs(self, v):
        if type(v) is not list or not all(type(p) is list and len(p) == 2 for p in v):
            raise NotPlain('malformed value')
        return [(self.dec(k), self.dec(w)) for k, w in v]

    def filled(self, obj, pairs):
        self.register(obj)
        for k, w in self.dec_pairs(pairs):
            obj[k] = w
        return obj

    # -- what a call changed in the objects numbered before it --

    def content(self, obj):
        """The contents of a numbered container (not the container itself)."""
        if isinstance(obj, list):
            return [self.enc(v) for v in list.__iter__(obj)]
        if isinstance(obj, dict):
            return self.pairs(obj)
        if isinstance(obj, set):
            return [self.enc(v) for v in set.__iter__(obj)]
        if isinstance(obj, bytearray):
            return bytearray.decode(obj, 'latin-1')
        return [self.enc(v) for v in _deque.__iter__(obj)]

    def changes(self, known, before):
        """[n, contents] of each of the first known objects that is not as its snapshot says."""
        return [[n, self.content(self.objs[n])] for n in range(known) if not unchanged(self.objs[n], before[n])]

    def apply(self, known, changes):
        """Decodes every change first, then writes them all into the objects, in place."""
        if type(changes) is not list:
            raise NotPlain('malformed changes')
        decoded = []
        for change in changes:
            if type(change) is not list or len(change) != 2 or type(change[0]) is not int or not 0 <= change[0] < known:
                raise NotPlain('malformed changes')
            obj, v = self.objs[change[0]], change[1]
            if isinstance(obj, bytearray):
                if type(v) is not str:
                    raise NotPlain('malformed changes')
                decoded.append((obj, v.encode('latin-1')))
            elif isinstance(obj, dict):
                decoded.append((obj, self.dec_pairs(v)))
            else:
                decoded.append((obj, self.items(v)))
        for obj, v in decoded:
            if isinstance(obj, list):
                obj[:] = v
            elif isinstance(obj, bytearray):
                obj[:] = v
            elif isinstance(obj, dict):
                obj.clear()
                for k, w in v:
                    obj[k] = w
            else:
                obj.clear()
                (obj.update if isinstance(obj, set) else obj.extend)(v)


def snapshot(obj):
    """
    What a numbered container holds, by identity: cheap to take before a call and compare
    after it. Every container inside is numbered too, so a change at any depth shows in the
    container that holds it; an iterator inside is looked at, never read.
    """
    if isinstance(obj, dict):
        return (list(dict.keys(obj)), list(dict.values(obj)))
    if isinstance(obj, bytearray):
        return bytes(obj)
    if isinstance(obj, list):
        return list.copy(obj)
    if isinstance(obj, set):
        return list(set.__iter__(obj))
    return list(_deque.__iter__(obj))


def _same_items(now, before):
    return len(now) == len(before) and all(map(_is, now, before))


def unchanged(obj, before):
    now = snapshot(obj)
    if type(now) is bytes:
        return now == before
    if type(now) is tuple:
        return _same_items(now[0], before[0]) and _same_items(now[1], before[1])
    return _same_items(now, before)


def _enc_list(c, x):
    return c.known(x) or [c.enc(v) for v in list.__iter__(x)]


def _enc_dict(c, x):
    return c.known(x) or {'d': c.pairs(x)}


def _enc_set(c, x):
    return c.known(x) or {'s': [c.enc(v) for v in set.__iter__(x)]}


def _enc_defaultdict(c, x):
    r = c.known(x)
    if r:
        return r
    return {'dd': [default_of(x.default_factory), c.pairs(x)]}


def default_of(factory):
    """
    A defaultdict's factory as data: a builtin class by name, else the value one call of it
    makes (defaultdict(lambda: 0)), called in the process that holds the factory. The other
    side's factory makes a fresh copy of that value each time.
    """
    if factory is None:
        return None
    if factory in DEFAULT_FACTORIES.values():
        return ['name', factory.__name__]
    try:
        return ['value', Codec().enc(factory())]
    except Exception:
        return None


def _enc_counter(c, x):
    return c.known(x) or {'C': c.pairs(x)}


def _enc_ordered(c, x):
    return c.known(x) or {'o': c.pairs(x)}


def _enc_deque(c, x):
    return c.known(x) or {'q': [x.maxlen, [c.enc(v) for v in _deque.__iter__(x)]]}


def _enc_bytearray(c, x):
    return c.known(x) or {'ba': bytearray.decode(x, 'latin-1')}


ENCODERS = {
    list: _enc_list,
    tuple: lambda c, x: {'t': [c.enc(v) for v in x]},
    dict: _enc_dict,
    set: _enc_set,
    frozenset: lambda c, x: {'f': [c.enc(v) for v in x]},
    complex: lambda c, x: {'c': [x.real, x.imag]},
    bytes: lambda c, x: {'b': x.decode('latin-1')},
    bytearray: _enc_bytearray,
    range: lambda c, x: {'g': [x.start, x.stop, x.step]},
    _deque: _enc_deque,
    _defaultdict: _enc_defaultdict,
    collections.OrderedDict: _enc_ordered,
    collections.Counter: _enc_counter,
    type({}.keys()): lambda c, x: {'k': [c.enc(v) for v in x]},
    type({}.values()): lambda c, x: {'v': [c.enc(v) for v in x]},
    type({}.items()): lambda c, x: {'e': [[c.enc(k), c.enc(v)] for k, v in x]},
}

# A subclass of these crosses as the first of them it derives from (most derived first).
SUBCLASSABLE = (_defaultdict, collections.OrderedDict, collections.Counter, dict, list, set, bytearray, _deque)

# The factories a defaultdict may keep across; any other (a lambda, a class of the
# completion's) crosses as None: the dict's contents stay, its default does not.
DEFAULT_FACTORIES = {f.__name__: f for f in (int, float, str, list, dict, set, tuple, frozenset, bool, complex, bytes)}


def _dec_tuple(c, v):
    return tuple(c.items(v))


def _dec_set(c, v):
    out = set()
    c.register(out)
    out.update(c.items(v))
    return out


def _dec_complex(c, v):
    if type(v) is not list or len(v) != 2 or not all(type(e) in (int, float) for e in v):
        raise NotPlain('malformed value')
    return complex(v[0], v[1])


def _dec_str(v):
    if type(v) is not str:
        raise NotPlain('malformed value')
    return v


def _dec_ints(v, n):
    if type(v) is not list or len(v) != n or not all(type(e) is int or e is None for e in v):
        raise NotPlain('malformed value')
    return v


def _dec_defaultdict(c, v):
    if type(v) is not list or len(v) != 2:
        raise NotPlain('malformed value')
    factory = v[0]
    if factory is None:
        make = None
    elif type(factory) is list and len(factory) == 2 and factory[0] == 'name' and factory[1] in DEFAULT_FACTORIES:
        make = DEFAULT_FACTORIES[factory[1]]
    elif type(factory) is list and len(factory) == 2 and factory[0] == 'value':
        payload = factory[1]
        Codec().dec(payload)

        def make():
            return Codec().dec(payload)
    else:
        raise NotPlain('malformed value')
    return c.filled(_defaultdict(make), v[1])


def _dec_deque(c, v):
    if type(v) is not list or len(v) != 2 or not (v[0] is None or type(v[0]) is int and v[0] >= 0):
        raise NotPlain('malformed value')
    out = _deque(maxlen=v[0])
    c.register(out)
    out.extend(c.items(v[1]))
    return out


def _dec_bytearray(c, v):
    out = bytearray(_dec_str(v).encode('latin-1'))
    c.register(out)
    return out


def _dec_named(c, v):
    if type(v) is not list or len(v) != 3 or type(v[1]) is not list or type(v[2]) is not list or len(v[1]) != len(v[2]):
        raise NotPlain('malformed value')
    return named_tuple_class(v[0], v[1])._make(c.items(v[2]))


def _dec_range(c, v):
    start, stop, step = _dec_ints(v, 3)
    if None in (start, stop, step) or step == 0:
        raise NotPlain('malformed value')
    return range(start, stop, step)


def _dec_fraction(c, v):
    n, d = _dec_ints(v, 2)
    if n is None or not d:
        raise NotPlain('malformed value')
    return lazy('fractions').Fraction(n, d)


def _dec_decimal(c, v):
    try:
        return lazy('decimal').Decimal(_dec_str(v))
    except ArithmeticError:
        raise NotPlain('malformed value')


def _pattern(c, v):
    if type(v) is not list or len(v) < 2 or type(v[1]) is not int:
        raise NotPlain('malformed value')
    source = c.dec(v[0])
    if type(source) not in (str, bytes):
        raise NotPlain('malformed value')
    try:
        return lazy('re').compile(source, v[1])
    except (lazy('re').error, ValueError, TypeError, OverflowError, RecursionError):
        raise NotPlain('malformed pattern')


def _dec_match(c, v):
    """Matches the pattern again on the judge's side, to the same span, with the judge's re."""
    if type(v) is not list or len(v) != 7:
        raise NotPlain('malformed value')
    pattern = _pattern(c, v)
    string = c.dec(v[2])
    pos, endpos, start, end = _dec_ints(v[3:], 4)
    if type(string) is not type(pattern.pattern) or None in (pos, endpos, start, end):
        raise NotPlain('malformed value')
    for attempt in (lambda: pattern.search(string, pos, endpos), lambda: pattern.match(string, start, endpos),
                    lambda: pattern.fullmatch(string, start, end)):
        m = attempt()
        if m is not None and m.span() == (start, end):
            return m
    raise NotPlain('a match its pattern does not make')


def _dec_view(kind):
    def dec(c, v):
        if kind == 'e':
            return dict(c.dec_pairs(v)).items()
        items = c.items(v)
        return dict.fromkeys(items).keys() if kind == 'k' else dict(enumerate(items)).values()
    return dec


DECODERS = {
    't': _dec_tuple,
    's': _dec_set,
    'f': lambda c, v: frozenset(c.items(v)),
    'd': lambda c, v: c.filled({}, v),
    'c': _dec_complex,
    'b': lambda c, v: _dec_str(v).encode('latin-1'),
    'ba': _dec_bytearray,
    'g': _dec_range,
    'q': _dec_deque,
    'dd': _dec_defaultdict,
    'C': lambda c, v: c.filled(collections.Counter(), v),
    'o': lambda c, v: c.filled(collections.OrderedDict(), v),
    'n': _dec_named,
    'Q': _dec_fraction,
    'D': _dec_decimal,
    'P': _pattern,
    'M': _dec_match,
    'k': _dec_view('k'),
    'v': _dec_view('v'),
    'e': _dec_view('e'),
    'i': lambda c, v: iter(c.items(v)),
    'r': lambda c, v: c.ref(v),
}


def enc(x):
    return Codec().enc(x)


def dec(x):
    return Codec().dec(x)

`;
