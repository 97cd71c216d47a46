import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson } from './strict-json.js';

const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('parseStrictJson', () => {
  it('accepts ordinary JSON and returns the same value as JSON.parse', () => {
    // fast-check's JSON may use __proto__ / constructor / prototype as keys: those are refused
    // on purpose (PROTO_KEY, tested below), so the generator is ordinary JSON without them.
    const ordinary = fc.jsonValue({ maxDepth: 6 }).filter((v) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v)));
    fc.assert(
      fc.property(ordinary, (v) => {
        const text = JSON.stringify(v);
        expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });
  it('rejects duplicate keys, even when nested or hidden behind escapes', () => {
    expect(code(() => parseStrictJson('{"a":1,"a":2}'))).toBe('DUPLICATE_KEY');
    expect(code(() => parseStrictJson('{"x":{"b":1,"b":1}}'))).toBe('DUPLICATE_KEY');
    expect(code(() => parseStrictJson('{"a":1,"\\u0061":2}'))).toBe('DUPLICATE_KEY');
    expect(code(() => parseStrictJson('{"a:b":"c:d","e":"\\":"}'))).toBe('ok');
  });
  it('rejects __proto__ / constructor keys', () => {
    expect(code(() => parseStrictJson('{"__proto__":{"polluted":true}}'))).toBe('PROTO_KEY');
    expect(code(() => parseStrictJson('{"a":[{"constructor":1}]}'))).toBe('PROTO_KEY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('rejects numbers that overflow to Infinity', () => {
    expect(code(() => parseStrictJson('{"x":1e999}'))).toBe('NON_FINITE');
    expect(code(() => parseStrictJson('[-1e400]'))).toBe('NON_FINITE');
  });
  it('reads bare NaN / Infinity values in an object (Python json.dumps writes them) as NON_FINITE, not broken JSON', () => {
    expect(code(() => parseStrictJson('{"p":[NaN,0,0]}'))).toBe('NON_FINITE');
    expect(code(() => parseStrictJson('{"p":{"x":-Infinity}}'))).toBe('NON_FINITE');
    expect(code(() => parseStrictJson('{"s":"NaN","t":"Infinity"}'))).toBe('ok');
    expect(code(() => parseStrictJson('{"p":NaN'))).toBe('MALFORMED_JSON');
    expect(code(() => parseStrictJson('{"p":Nan}'))).toBe('MALFORMED_JSON');
  });
  it('rejects nesting deeper than the limit before parsing', () => {
    expect(code(() => parseStrictJson('['.repeat(33) + ']'.repeat(33)))).toBe('TOO_DEEP');
    expect(code(() => parseStrictJson('['.repeat(32) + ']'.repeat(32)))).toBe('ok');
  });
  it('reports malformed JSON as MALFORMED_JSON', () => {
    expect(code(() => parseStrictJson('{"a":'))).toBe('MALFORMED_JSON');
    expect(code(() => parseStrictJson('NaN'))).toBe('MALFORMED_JSON');
  });
});
