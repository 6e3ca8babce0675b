import { inflateSync as zlibInflate } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeLiveCodeBenchTests, type Inflate } from './livecodebench-tests.ts';
import { decodePickledString } from './pickle-string.ts';

// Made with Python: base64.b64encode(zlib.compress(pickle.dumps(json.dumps(
//   [{'input': '1 2\n', 'output': '3\n', 'testtype': 'stdin'}]))))
const PRIVATE = 'eJxrYJlqxwABPVbR1UqZeQWlJUpWCkqGCkYxeUo6Ckr5pSVQIWOIQElqcUlJZUEqSKi4JCUzT6k2dooeALEqFJ0=';
const inflateSync: Inflate = (bytes) => {
  try {
    return { ok: true, value: zlibInflate(bytes) };
  } catch (error) {
    return { ok: false, error: `not zlib data: ${(error as Error).message}` };
  }
};
const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

describe('decodeLiveCodeBenchTests', () => {
  it('decodes base64 → zlib → pickled JSON string', () => {
    expect(decodeLiveCodeBenchTests(PRIVATE, inflateSync)).toEqual({
      ok: true,
      value: [{ input: '1 2\n', output: '3\n', testtype: 'stdin' }],
    });
  });
  it('accepts the public tests as a JSON string', () => {
    const r = decodeLiveCodeBenchTests('[{"input":"x","output":"y","testtype":"functional"}]', inflateSync);
    expect(r).toEqual({ ok: true, value: [{ input: 'x', output: 'y', testtype: 'functional' }] });
  });
  it('refuses text that is neither', () => {
    expect(decodeLiveCodeBenchTests('not base64!', inflateSync)).toMatchObject({ ok: false });
  });
});

describe('decodePickledString', () => {
  it('reads protocol 2 (BINUNICODE + BINPUT) and protocol 4 (FRAME + SHORT_BINUNICODE)', () => {
    expect(decodePickledString(hex('80025803000000616263710' + '02e'))).toEqual({ ok: true, value: 'abc' });
    expect(decodePickledString(hex('8004950600000000000000' + '8c03616263942e'))).toEqual({ ok: true, value: 'abc' });
  });
  it('refuses any other opcode, e.g. GLOBAL (which would import code)', () => {
    const r = decodePickledString(hex('800263706f7369780a73797374656d0a'));
    expect(r).toEqual({ ok: false, error: expect.stringContaining('unsupported opcode 0x63') });
  });
  it('refuses a truncated string', () => {
    expect(decodePickledString(hex('8c0561'))).toMatchObject({ ok: false, error: expect.stringContaining('past the end') });
  });
});
