/**
 * Fidelity of the code judge in both directions (issue 25): right programs it must pass
 * although what they return, raise or change is not "plain", and wrong ones it must fail
 * although a test run in one interpreter would pass them. Each case says why it is right or
 * wrong. Grouped by what the judge must get right: the values that cross, exceptions,
 * changes to arguments, MBPP's namespace, StopIteration.
 */
import type { CodeTask } from '../src/core/verify/code/code-task.ts';

export interface FidelityCase {
  category: 'values' | 'exceptions' | 'mutation' | 'mbpp namespace' | 'stopiteration';
  name: string;
  /** Why the program is right (must pass) or wrong (must fail). */
  reason: string;
  expect: 'right' | 'wrong';
  task: CodeTask;
  completion: string;
}

const he = (signature: string, test: string): CodeTask => {
  const entryPoint = /^def (\w+)/.exec(signature)![1];
  return { kind: 'humaneval', prompt: `${signature}\n    """See the test."""\n`, test: `def check(candidate):\n${test.split('\n').map((l) => `    ${l}`).join('\n')}\n`, entryPoint };
};
const mbpp = (entryPoints: string[], ...testList: string[]) => ({ kind: 'mbpp' as const, testList, testSetupCode: '', testImports: [] as string[], entryPoints });
const body = (...lines: string[]) => lines.map((l) => `    ${l}\n`).join('');

const point = he('def midpoint(a, b):', 'r = candidate((0, 0), (2, 4))\nassert r == (1, 2)\nassert r.x == 1 and r.y == 2');
const tally = he('def tally(words):', "r = candidate(['a', 'b', 'a'])\nassert r == {'a': 2, 'b': 1}\nassert r['zzz'] == 0");
const groups = he('def by_parity(xs):', "r = candidate([1, 2, 3])\nassert r == {1: [1, 3], 0: [2]}\nassert r[7] == []");
const matcher = he('def find_ab(text):', "assert candidate('xaby') != None\nassert candidate('xaby').group(0) == 'ab'\nassert candidate('xaby').span() == (1, 3)\nassert not candidate('xyz')");
const sorter = he('def sort_in_place(xs=None):', 'data = [3, 1, 2]\nassert candidate(xs=data) is None\nassert data == [1, 2, 3]');
const rows = he('def zero_first(grid):', 'row = [5, 6]\ngrid = [row, [7]]\ncandidate(grid)\nassert row == [0, 6] and grid[0] is row');
const untouched = he('def total(pairs):', 'pairs = ([3, 1], [2])\nassert candidate(pairs) == 6\nassert pairs == ([3, 1], [2])');
const parse = he('def parse(text):', "try:\n    candidate('{bad')\nexcept ValueError:\n    pass\nelse:\n    assert False, 'no error'\nassert candidate('[1]') == [1]");
const lookup = he('def get(d, k):', "try:\n    candidate({}, 'x')\nexcept KeyError as e:\n    assert e.args == ('x',)\nelse:\n    assert False\nassert candidate({'x': 1}, 'x') == 1");
const positives = he('def is_positive(x):', 'assert all(map(candidate, [1, 2, 3]))\nassert not candidate(-1)');

export const FIDELITY: FidelityCase[] = [
  // ---- values that cross from the completion to the test ----
  { category: 'values', expect: 'right', name: 'namedtuple, compared as a tuple and read by field', reason: 'a namedtuple equals the tuple of its values and keeps its fields', task: point, completion: body('from collections import namedtuple', "P = namedtuple('P', 'x y')", 'return P((a[0] + b[0]) // 2, (a[1] + b[1]) // 2)') },
  { category: 'values', expect: 'right', name: 'typing.NamedTuple', reason: 'the same class kind as namedtuple, written as a class', task: point, completion: body('from typing import NamedTuple', 'class P(NamedTuple):', '    x: int', '    y: int', 'return P((a[0] + b[0]) // 2, (a[1] + b[1]) // 2)') },
  { category: 'values', expect: 'right', name: 'Counter, compared with a dict and read at a missing key', reason: 'Counter equals the dict of its counts; a missing key counts 0', task: tally, completion: body('import collections', 'return collections.Counter(words)') },
  { category: 'values', expect: 'right', name: 'defaultdict(list), read at a missing key', reason: "a defaultdict equals its dict; its factory makes [] for a missing key", task: groups, completion: body('from collections import defaultdict', 'd = defaultdict(list)', 'for x in xs:', '    d[x % 2].append(x)', 'return d') },
  { category: 'values', expect: 'right', name: 'defaultdict(lambda: 0), read at a missing key', reason: "a lambda factory's value crosses, not the lambda", task: tally, completion: body('from collections import defaultdict', 'd = defaultdict(lambda: 0)', 'for w in words:', '    d[w] += 1', 'return d') },
  { category: 'values', expect: 'right', name: 're.Match compared with None, its group and span read', reason: 'MBPP 737/787/794: a match object is truthy, != None, and has its group', task: matcher, completion: body('import re', "return re.search('ab', text)") },
  { category: 'values', expect: 'right', name: 'OrderedDict and deque', reason: 'an OrderedDict equals its dict; a deque iterates as its items', task: he('def pair(xs):', "d, q = candidate([1, 2])\nassert d == {1: 2, 2: 4}\nassert list(q) == [2, 1]"), completion: body('from collections import OrderedDict, deque', 'q = deque()', 'for x in xs:', '    q.appendleft(x)', 'return OrderedDict((x, 2 * x) for x in xs), q') },
  { category: 'values', expect: 'right', name: 'a generator the test lists', reason: 'list(generator) is what the test compares', task: he('def upto(n):', 'assert list(candidate(3)) == [0, 1, 2]\nassert sum(candidate(4)) == 6'), completion: body('yield from range(n)') },
  { category: 'values', expect: 'right', name: 'Fraction, bytes, dict keys view, IntEnum', reason: 'standard-library values compared by value; an IntEnum member equals its int', task: he('def several():', 'import fractions\nf, b, k, e = candidate()\nassert f == fractions.Fraction(1, 3) and b == b"\\x00\\xff" and k == {"a", "b"} and e == 2'), completion: body('import fractions, enum', 'class Level(enum.IntEnum):', '    HIGH = 2', "return fractions.Fraction(2, 6), bytes([0, 255]), {'a': 1, 'b': 2}.keys(), Level.HIGH") },
  { category: 'values', expect: 'wrong', name: 'namedtuple with the wrong values', reason: 'the values are wrong; the class does not matter', task: point, completion: body('from collections import namedtuple', "return namedtuple('P', 'x y')(0, 0)") },
  { category: 'values', expect: 'wrong', name: 'Counter subclass whose __eq__ says yes', reason: 'its counts are wrong; the judge compares the counts, not the claim', task: tally, completion: body('import collections', 'class Yes(collections.Counter):', '    def __eq__(self, other):', '        return True', '    def __missing__(self, key):', '        return 0', 'return Yes()') },
  { category: 'values', expect: 'wrong', name: 'list subclass whose __iter__ and __len__ lie', reason: 'it holds nothing; the judge reads it through list itself', task: he('def three():', 'assert candidate() == [1, 2, 3]\nassert list(candidate()) == [1, 2, 3]'), completion: body('class L(list):', '    def __iter__(self):', '        return iter([1, 2, 3])', '    def __len__(self):', '        return 3', '    def __eq__(self, other):', '        return True', 'return L()') },
  { category: 'values', expect: 'wrong', name: 'str subclass equal to anything', reason: 'its text is wrong', task: he('def greet():', "assert candidate() == 'hello'"), completion: body('class S(str):', '    def __eq__(self, other):', '        return True', "return S('nope')") },
  { category: 'values', expect: 'wrong', name: 'an object that imitates a match', reason: 'not a match object: its group() is its own code, which the judge never runs', task: matcher, completion: body('class M:', '    def group(self, i=0):', "        return 'ab'", '    def span(self):', '        return (1, 3)', '    def __bool__(self):', "        return 'ab' in text", 'return M()') },
  { category: 'values', expect: 'wrong', name: 'subclass of a namedtuple with a lying __eq__', reason: 'crosses as the namedtuple of its values, which are wrong', task: point, completion: body('from collections import namedtuple', "class P(namedtuple('P', 'x y')):", '    def __eq__(self, other):', '        return True', '    __hash__ = tuple.__hash__', 'return P(9, 9)') },
  { category: 'values', expect: 'wrong', name: 'a match of the wrong text', reason: 'group(0) is not ab', task: matcher, completion: body('import re', "return re.search('[a-z]', text)") },

  // ---- exceptions, by their real classes ----
  { category: 'exceptions', expect: 'right', name: 'UnicodeDecodeError where ValueError is expected', reason: 'UnicodeDecodeError derives from UnicodeError, which derives from ValueError', task: he('def text_of(data):', "try:\n    candidate(b'\\xff')\nexcept ValueError:\n    pass\nelse:\n    assert False, 'no error'\nassert candidate(b'ok') == 'ok'"), completion: body("return data.decode('utf-8')") },
  { category: 'exceptions', expect: 'right', name: 'own subclass of ValueError', reason: 'the test catches ValueError and its subclasses', task: parse, completion: body('class BadText(ValueError):', '    pass', "if not text.startswith('['):", "    raise BadText('bad text')", 'return [int(text[1:-1])]') },
  { category: 'exceptions', expect: 'right', name: "KeyError with the test's args", reason: 'the exception keeps its args', task: lookup, completion: body('return d[k]') },
  { category: 'exceptions', expect: 'right', name: 'ZeroDivisionError caught as ArithmeticError', reason: 'ZeroDivisionError derives from ArithmeticError', task: he('def inv(x):', 'try:\n    candidate(0)\nexcept ArithmeticError:\n    pass\nelse:\n    assert False\nassert candidate(4) == 0.25'), completion: body('return 1 / x') },
  { category: 'exceptions', expect: 'right', name: 'json.JSONDecodeError where the test catches it by name', reason: 'the test imported json, so the judge holds that very class', task: he('def parse(text):', "import json\ntry:\n    candidate('{bad')\nexcept json.JSONDecodeError as e:\n    assert 'property name' in str(e)\nelse:\n    assert False"), completion: body('import json', 'return json.loads(text)') },
  { category: 'exceptions', expect: 'right', name: 'own class deriving from both KeyError and ValueError', reason: 'caught as either, as in one interpreter', task: he('def pick(d, k):', "for expected in (KeyError, ValueError):\n    try:\n        candidate({}, 'x')\n    except expected:\n        pass\n    else:\n        assert False"), completion: body('class Missing(KeyError, ValueError):', '    pass', 'if k not in d:', '    raise Missing(k)', 'return d[k]') },
  { category: 'exceptions', expect: 'wrong', name: 'own class merely named ValueError', reason: 'it is an Exception, not a ValueError: the test would not catch it', task: parse, completion: body('class ValueError(Exception):', '    pass', "if not text.startswith('['):", '    raise ValueError(text)', 'return [int(text[1:-1])]') },
  { category: 'exceptions', expect: 'wrong', name: 'own class named ValueError claiming the builtins module', reason: "its __module__ says builtins, but builtins' ValueError is another class", task: parse, completion: body('class ValueError(Exception):', "    __module__ = 'builtins'", "if not text.startswith('['):", '    raise ValueError(text)', 'return [int(text[1:-1])]') },
  { category: 'exceptions', expect: 'wrong', name: 'TypeError where ValueError is expected', reason: 'the wrong class', task: parse, completion: body("if not text.startswith('['):", "    raise TypeError('no')", 'return [int(text[1:-1])]') },
  { category: 'exceptions', expect: 'wrong', name: 'KeyError with other args', reason: 'the test checks the args', task: lookup, completion: body('if k not in d:', "    raise KeyError('missing: ' + k)", 'return d[k]') },

  // ---- changes to arguments, deep, by position and keyword ----
  { category: 'mutation', expect: 'right', name: 'sorts a keyword argument in place', reason: 'the test passes xs=data and reads data', task: sorter, completion: body('xs.sort()') },
  { category: 'mutation', expect: 'right', name: "changes a nested list the test holds", reason: 'the inner list is the same object as the test\'s row', task: rows, completion: body('grid[0][0] = 0') },
  { category: 'mutation', expect: 'right', name: 'returns its argument, changed', reason: 'the result is the very list the test passed', task: he('def push(xs):', 'a = [1]\nassert candidate(a) is a\nassert a == [1, 2]'), completion: body('xs.append(2)', 'return xs') },
  { category: 'mutation', expect: 'right', name: 'one list passed twice', reason: 'both parameters are the same object', task: he('def twice(a, b):', 'x = []\ncandidate(x, x)\nassert x == [1, 2]'), completion: body('a.append(1)', 'b.append(2)') },
  { category: 'mutation', expect: 'right', name: 'changes its argument, then raises', reason: 'the change stays, as in one process', task: he('def fill(xs):', 'xs = []\ntry:\n    candidate(xs)\nexcept IndexError:\n    pass\nassert xs == [1]'), completion: body('xs.append(1)', 'raise IndexError') },
  { category: 'mutation', expect: 'right', name: 'dict of lists changed in place, a deque rotated', reason: 'every changeable container, at any depth, is written back', task: he('def grow(d, q):', "d = {'a': [1]}\nq = __import__('collections').deque([1, 2, 3])\ncandidate(d, q)\nassert d == {'a': [1, 2], 'b': []} and list(q) == [3, 1, 2]"), completion: body("d['a'].append(2)", "d['b'] = []", 'q.rotate(1)') },
  { category: 'mutation', expect: 'right', name: 'reads an iterator the test passes inside a list', reason: 'the judge looks for changes without using the iterator up', task: he('def firsts(its):', 'assert candidate([iter([1, 2]), iter([3])]) == [1, 3]'), completion: body('return [next(it) for it in its]') },
  { category: 'mutation', expect: 'right', name: 'bumps counts in a dict inside a list argument', reason: 'a value replaced in a nested dict is written back', task: he('def bump(rows):', "rows = [{'n': 1}, {'n': 10 ** 30}]\ncandidate(rows)\nassert rows == [{'n': 2}, {'n': 10 ** 30 + 1}]"), completion: body('for r in rows:', "    r['n'] += 1") },
  { category: 'mutation', expect: 'wrong', name: 'sorts a list inside a tuple it must leave alone', reason: 'the test checks that its argument is unchanged', task: untouched, completion: body('for p in pairs:', '    p.sort()', 'return sum(sum(p) for p in pairs)') },
  { category: 'mutation', expect: 'wrong', name: 'empties a keyword argument', reason: 'the test reads data after the call', task: sorter, completion: body('xs.clear()') },
  { category: 'mutation', expect: 'wrong', name: 'changes a nested list the test holds, wrongly', reason: 'the row must become [0, 6]', task: rows, completion: body('grid[0] = [0, 6]') },

  // ---- MBPP: the asserts see the completion's names ----
  { category: 'mbpp namespace', expect: 'right', name: 'function named abs', reason: 'the task asks for abs() (the distance of two numbers); the asserts call it', task: mbpp(['abs'], 'assert abs(3, 7) == 4', 'assert abs(-2, 2) == 4'), completion: 'def abs(a, b):\n    return a - b if a > b else b - a\n' },
  { category: 'mbpp namespace', expect: 'right', name: 'function named round, the asserts using math', reason: 'the task defines round(); the asserts use the math the completion imports', task: mbpp(['round'], 'assert math.isclose(round(2.5), 3)', 'assert round(-0.5) == -1'), completion: 'import math\ndef round(x):\n    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)\n' },
  { category: 'mbpp namespace', expect: 'right', name: 'string.ascii_lowercase in the asserts', reason: 'the completion imports string; the asserts use the judge\'s own string module', task: mbpp(['shift'], "assert shift('abc') == string.ascii_lowercase[1:4]"), completion: 'import string\ndef shift(s):\n    return \'\'.join(string.ascii_lowercase[string.ascii_lowercase.index(c) + 1] for c in s)\n' },
  { category: 'mbpp namespace', expect: 'right', name: "a constant of the task's own imports", reason: "the asserts read pi from the task's test_imports", task: { ...mbpp(['area'], 'assert abs(area(1) - pi) < 1e-9'), testImports: ['from math import pi'] }, completion: 'import math\ndef area(r):\n    return math.pi * r * r\n' },
  { category: 'mbpp namespace', expect: 'wrong', name: 'a constant of its own that the asserts compare with', reason: 'the task asks for area() only: the expected value must not come from the completion', task: mbpp(['area'], 'assert abs(area(1) - pi) < 1e-9'), completion: 'pi = 0\ndef area(r):\n    return 0\n' },
  { category: 'mbpp namespace', expect: 'wrong', name: 'a helper of its own that the asserts call for the expected value', reason: 'the task asks for double() only', task: mbpp(['double'], 'assert double(3) == expected(3)'), completion: 'def double(x):\n    return 0\n\ndef expected(x):\n    return 0\n' },
  { category: 'mbpp namespace', expect: 'wrong', name: 'another module bound to the name the asserts use', reason: "it returns a complex, which math.isclose refuses; cmath's isclose, bound as math in one interpreter, takes it", task: mbpp(['root'], 'assert math.isclose(root(9), 3)'), completion: 'import cmath as math\ndef root(x):\n    return 3 + 1e-12j\n' },
  { category: 'mbpp namespace', expect: 'wrong', name: 'defines sorted(), which the asserts use', reason: 'sorted is not what the task asks for: the asserts keep the builtin', task: mbpp(['evens'], 'assert sorted(evens([4, 1, 2])) == sorted([2, 4])'), completion: 'def evens(xs):\n    return [1]\n\ndef sorted(xs):\n    return 0\n' },
  { category: 'mbpp namespace', expect: 'wrong', name: 'patches math.isclose in its own process', reason: "the asserts use the judge's math", task: mbpp(['root'], 'assert math.isclose(root(9), 3)'), completion: 'import math\nmath.isclose = lambda *a, **k: True\ndef root(x):\n    return 0\n' },
  { category: 'mbpp namespace', expect: 'wrong', name: 'a fake module named math', reason: "the name math is bound to the judge's math, whatever the completion built", task: mbpp(['root'], 'assert math.isclose(root(9), 3)'), completion: "import types\nmath = types.ModuleType('math')\nmath.isclose = lambda *a, **k: True\ndef root(x):\n    return 0\n" },
  { category: 'mbpp namespace', expect: 'wrong', name: 'abs() asked for, but wrong', reason: 'the function under test returns the wrong value', task: mbpp(['abs'], 'assert abs(3, 7) == 4'), completion: 'def abs(a, b):\n    return a - b\n' },

  // ---- StopIteration inside the test's all(map(...)) ----
  { category: 'stopiteration', expect: 'wrong', name: 'raises StopIteration for the inputs all() maps', reason: 'in one interpreter all(map(...)) would end early and be True', task: positives, completion: body('if x > 0:', '    raise StopIteration', 'return False') },
  { category: 'stopiteration', expect: 'wrong', name: 'next() of an empty iterator', reason: 'the same, through next()', task: positives, completion: body('return next(iter([])) if x > 0 else False') },
  { category: 'stopiteration', expect: 'wrong', name: 'own class deriving from ValueError and StopIteration', reason: 'a StopIteration all the same, however it is dressed', task: positives, completion: body('class Done(ValueError, StopIteration):', '    pass', 'if x > 0:', '    raise Done', 'return False') },
  { category: 'stopiteration', expect: 'right', name: 'uses next() with a default', reason: 'catches the end of its own iteration', task: positives, completion: body('return next((True for _ in [0] if x > 0), False)') },
];
