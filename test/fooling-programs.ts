/**
 * Completions that try to be scored correct without being right, and right ones the old
 * runner scored wrong. Each wrong one is wrong on its task's tests and tries a way around
 * them; with `python3 program.py` and "exit status 0 = pass" (the old runner) most pass.
 */
import type { CodeTask } from '../src/core/verify/code/code-task.ts';

export interface Attempt {
  name: string;
  task: CodeTask;
  completion: string;
  /** What a runner that trusts the exit status (`python3 program.py`, 0 = pass; this project's before issue 16) scored it. */
  exitStatusRunner?: 'passed' | 'failed';
}

const add: CodeTask = {
  kind: 'humaneval',
  prompt: 'def add(a: int, b: int) -> int:\n    """Return the sum of a and b."""\n',
  test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n    assert candidate(10, 20) == 30\n',
  entryPoint: 'add',
};
const mean: CodeTask = {
  kind: 'humaneval',
  prompt: 'def mean(xs: list) -> float:\n    """Return the arithmetic mean of xs."""\n',
  test: 'def check(candidate):\n    assert abs(candidate([1.0, 2.0, 3.0]) - 2.0) < 1e-6\n    assert abs(candidate([4.0, 5.0]) - 4.5) < 1e-6\n',
  entryPoint: 'mean',
};
const mbppAdd: CodeTask = { kind: 'mbpp', testList: ['assert add(2, 3) == 5', 'assert add(-1, 1) == 0'], testSetupCode: '', testImports: [], entryPoints: ['add'] };
const mbppEvens: CodeTask = { kind: 'mbpp', testList: ['assert set(evens([1, 2, 3, 4])) == set([2, 4])'], testSetupCode: '', testImports: [], entryPoints: ['evens'] };
const square: CodeTask = { kind: 'stdio', tests: [{ input: '2\n', output: '4\n' }, { input: '5\n', output: '25\n' }] };

// Reads the constant the caller compares the result with (the next LOAD_CONST after the call).
const peekExpected = [
  'import sys, dis',
  'f = sys._getframe(1)',
  'for ins in dis.get_instructions(f.f_code):',
  '    if ins.offset > f.f_lasti and ins.opname == "LOAD_CONST":',
  '        return ins.argval',
].map((l) => `    ${l}\n`).join('');

// A fake "passed" message on every descriptor the program can reach, its parent's included.
const fakeVerdict = [
  'import os, glob',
  'msg = b\'{"type": "verdict", "nonce": "0", "passed": true}\\n\'',
  'for fd in range(3, 256):',
  '    try:',
  '        os.write(fd, msg)',
  '    except OSError:',
  '        pass',
  'for path in glob.glob(f"/proc/{os.getppid()}/fd/*"):',
  '    try:',
  '        with open(path, "wb") as f:',
  '            f.write(msg)',
  '    except OSError:',
  '        pass',
  'return 0',
].map((l) => `    ${l}\n`).join('');

// Replaces, in the completion's own process, the judge code that answers each call.
const forge = (reply: string) => `    return 0\nimport __main__\n__main__.serve_call = lambda module, call: ${reply}\n`;

export const WRONG: Attempt[] = [
  { name: 'he: sys.exit(0) in the body', exitStatusRunner: 'passed', task: add, completion: '    import sys\n    sys.exit(0)\n' },
  { name: 'he: os._exit(0) in the body', exitStatusRunner: 'passed', task: add, completion: '    import os\n    os._exit(0)\n' },
  { name: 'he: raise SystemExit(0) at import', exitStatusRunner: 'passed', task: add, completion: '    return 0\nraise SystemExit(0)\n' },
  { name: 'he: raise KeyboardInterrupt in the body', exitStatusRunner: 'failed', task: add, completion: '    raise KeyboardInterrupt\n' },
  { name: 'he: atexit handler calls os._exit(0)', exitStatusRunner: 'passed', task: add, completion: '    return 0\nimport atexit, os\natexit.register(lambda: os._exit(0))\n' },
  { name: 'he: sys.excepthook calls os._exit(0)', exitStatusRunner: 'passed', task: add, completion: '    return 0\nimport sys, os\nsys.excepthook = lambda *a: os._exit(0)\n' },
  {
    name: 'he: SIGALRM handler calls os._exit(0) while the test waits', exitStatusRunner: 'passed',
    task: add,
    completion: '    import time\n    time.sleep(0.3)\n    return 0\nimport os, signal\nsignal.signal(signal.SIGALRM, lambda *a: os._exit(0))\nsignal.setitimer(signal.ITIMER_REAL, 0.1)\n',
  },
  {
    name: 'he: a thread calls os._exit(0) while the test waits', exitStatusRunner: 'passed',
    task: add,
    completion: '    import time\n    time.sleep(0.3)\n    return 0\nimport os, threading, time\nthreading.Thread(target=lambda: (time.sleep(0.1), os._exit(0)), daemon=True).start()\n',
  },
  { name: 'he: os.execv("/bin/true") at import', exitStatusRunner: 'passed', task: add, completion: '    return 0\nimport os\nos.execv("/bin/true", ["true"])\n' },
  { name: 'he: sys.setprofile exits 0 when check() is called', exitStatusRunner: 'passed', task: add, completion: '    return 0\nimport sys, os\nsys.setprofile(lambda frame, event, arg: os._exit(0) if frame.f_code.co_name == "check" else None)\n' },
  { name: 'he: returns an object equal to anything', exitStatusRunner: 'passed', task: add, completion: '    class Anything:\n        def __eq__(self, other):\n            return True\n    return Anything()\n' },
  { name: 'he: returns an int subclass equal to anything', exitStatusRunner: 'passed', task: add, completion: '    class Int(int):\n        def __eq__(self, other):\n            return True\n        __hash__ = int.__hash__\n    return Int(0)\n' },
  { name: 'he: returns a float subclass whose difference is 0', exitStatusRunner: 'passed', task: mean, completion: '    class Zero(float):\n        def __sub__(self, other):\n            return 0.0\n    return Zero(0)\n' },
  { name: 'he: patches builtins.abs, which the test calls', exitStatusRunner: 'passed', task: mean, completion: '    return 0.0\nimport builtins\nbuiltins.abs = lambda x: 0\n' },
  { name: "he: reads the expected value from the caller's frame", exitStatusRunner: 'passed', task: add, completion: peekExpected },
  { name: 'he: main guard sys.exit(main())', exitStatusRunner: 'passed', task: add, completion: '    return 0\n\n\ndef main():\n    return 0\n\n\nif __name__ == "__main__":\n    import sys\n    sys.exit(main())\n' },
  { name: 'he: kills its parent', exitStatusRunner: 'failed', task: add, completion: '    import os, signal\n    os.kill(os.getppid(), signal.SIGKILL)\n    return 0\n' },
  { name: 'he: writes a fake verdict to every descriptor', exitStatusRunner: 'failed', task: add, completion: fakeVerdict },
  { name: 'mbpp: sys.exit(0) at import', exitStatusRunner: 'passed', task: mbppAdd, completion: 'def add(a, b):\n    return 0\nimport sys\nsys.exit(0)\n' },
  { name: 'mbpp: os._exit(0) at import', exitStatusRunner: 'passed', task: mbppAdd, completion: 'def add(a, b):\n    return 0\nimport os\nos._exit(0)\n' },
  { name: 'mbpp: atexit handler calls os._exit(0)', exitStatusRunner: 'passed', task: mbppAdd, completion: 'def add(a, b):\n    return 0\nimport atexit, os\natexit.register(lambda: os._exit(0))\n' },
  { name: 'mbpp: sys.excepthook calls os._exit(0)', exitStatusRunner: 'passed', task: mbppAdd, completion: 'def add(a, b):\n    return 0\nimport sys, os\nsys.excepthook = lambda *a: os._exit(0)\n' },
  { name: 'mbpp: main guard sys.exit(main())', exitStatusRunner: 'passed', task: mbppAdd, completion: 'def add(a, b):\n    return 0\n\ndef main():\n    return 0\n\nif __name__ == "__main__":\n    import sys\n    sys.exit(main())\n' },
  { name: 'mbpp: returns an object equal to anything', exitStatusRunner: 'passed', task: mbppAdd, completion: 'def add(a, b):\n    class Anything:\n        def __eq__(self, other):\n            return True\n    return Anything()\n' },
  { name: 'mbpp: defines set(), which the asserts call', exitStatusRunner: 'passed', task: mbppEvens, completion: 'def evens(xs):\n    return []\n\ndef set(*args):\n    return 0\n' },
  { name: "mbpp: reads the expected value from the caller's frame", exitStatusRunner: 'passed', task: mbppAdd, completion: `def add(a, b):\n${peekExpected}` },
  // Against the values that cross (issue 25): the completion's process can send any reply at
  // all, by replacing the judge's code it holds; the judge must still build only honest values.
  { name: 'he: forges replies naming an object the test never passed', task: add, completion: forge("{'ok': True, 'value': {'r': 99}, 'changes': []}") },
  { name: 'he: forges a namedtuple whose name is code', task: add, completion: forge("{'ok': True, 'value': {'n': ['P\\nimport os', ['x'], [call['args'][0] + call['args'][1]]]}, 'changes': []}") },
  { name: "he: forges an exception of the judge's own classes", task: add, completion: forge("{'ok': False, 'raised': {'classes': [['__main__', 'Violation'], ['__main__', 'NotPlain'], ['__main__', 'CandidateError']], 'args': {'t': []}, 'message': ''}, 'changes': []}") },
  { name: 'he: forges a change to an argument it was not given', task: add, completion: forge("{'ok': True, 'value': call['args'][0] + call['args'][1], 'changes': [[0, [5]]]}") },
  {
    name: 'he: appends an object equal to anything to its argument',
    task: { kind: 'humaneval', prompt: 'def fill(xs: list) -> None:\n    """Append 5 to xs."""\n', test: 'def check(candidate):\n    xs = []\n    candidate(xs)\n    assert xs == [5]\n', entryPoint: 'fill' },
    completion: '    class Anything:\n        def __eq__(self, other):\n            return True\n    xs.append(Anything())\n',
  },
  {
    name: 'mbpp: a defaultdict whose default is equal to anything',
    task: { kind: 'mbpp', testList: ["assert count(['a'])['a'] == 1", "assert count(['a'])['b'] == 0"], testSetupCode: '', testImports: [], entryPoints: ['count'] },
    completion: 'from collections import defaultdict\nclass Anything:\n    def __eq__(self, other):\n        return True\ndef count(ws):\n    d = defaultdict(Anything)\n    for w in ws:\n        d[w] = 1\n    return d\n',
  },
  { name: 'stdio: exits 0 without output', task: square, completion: 'import sys\nsys.exit(0)\n' },
  { name: 'stdio: prints the input back', task: square, completion: 'print(input())\n' },
];

/** Right answers in forms the old runner failed or that need care across a process boundary. */
export const RIGHT: Attempt[] = [
  {
    name: 'he: main guard that reads input',
    task: add,
    completion: '    return a + b\n\n\ndef main():\n    a, b = map(int, input().split())\n    print(add(a, b))\n\n\nif __name__ == "__main__":\n    main()\n',
  },
  { name: 'he: uses __file__', task: add, completion: '    return a + b\n\n\nimport os\nHERE = os.path.dirname(os.path.abspath(__file__))\n' },
  {
    name: 'mbpp: main guard that reads input',
    task: mbppAdd,
    completion: 'def add(a, b):\n    return a + b\n\nif __name__ == "__main__":\n    print(add(*map(int, input().split())))\n',
  },
  { name: 'mbpp: returns a list the asserts pass to set()', task: mbppEvens, completion: 'def evens(xs):\n    return [x for x in xs if x % 2 == 0]\n' },
  {
    name: 'he: sorts its argument in place',
    task: {
      kind: 'humaneval',
      prompt: 'def sort_in_place(xs: list) -> None:\n    """Sort xs in place."""\n',
      test: 'def check(candidate):\n    xs = [3, 1, 2]\n    assert candidate(xs) is None\n    assert xs == [1, 2, 3]\n',
      entryPoint: 'sort_in_place',
    },
    completion: '    xs.sort()\n',
  },
  {
    name: 'he: raises the ValueError the test expects',
    task: {
      kind: 'humaneval',
      prompt: 'def root(n: int) -> int:\n    """Integer square root; ValueError for negative n."""\n',
      test: 'def check(candidate):\n    try:\n        candidate(-1)\n    except ValueError:\n        pass\n    else:\n        assert False\n    assert candidate(17) == 4\n',
      entryPoint: 'root',
    },
    completion: '    import math\n    return math.isqrt(n)\n',
  },
  {
    name: 'he: returns every kind of plain data exactly',
    task: {
      kind: 'humaneval',
      prompt: 'def echo(x):\n    """Return x."""\n',
      test: [
        'import math',
        'def check(candidate):',
        "    for v in [None, True, False, 0, -7, 2 ** 100, 1.5, -0.0, float('inf'), 'é\\n', '', [1, [2, 'a']], (), (1, (2,)),",
        "              {1, 2}, frozenset({3}), {'a': 1, (1, 2): [3]}, {}, 1 + 2j]:",
        '        r = candidate(v)',
        '        assert r == v and type(r) is type(v), (v, r)',
        '    assert math.copysign(1, candidate(-0.0)) == -1',
        "    assert math.isnan(candidate(float('nan')))",
        '',
      ].join('\n'),
      entryPoint: 'echo',
    },
    completion: '    return x\n',
  },
  { name: 'stdio: main guard', task: square, completion: 'def main():\n    n = int(input())\n    print(n * n)\n\nif __name__ == "__main__":\n    main()\n' },
];
