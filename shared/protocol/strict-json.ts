// Strict JSON decoding for untrusted frames. JSON.parse alone silently keeps the last of
// duplicate keys, turns 1e999 into Infinity and accepts any depth; this rejects all three
// (and `__proto__` keys) with a typed error before any schema or state sees the value.
import { VibeSyncError } from './errors.js';

export const MAX_DEPTH = 32;

const QUOTE = 34, BACKSLASH = 92, COLON = 58, OPEN_OBJ = 123, OPEN_ARR = 91, CLOSE_OBJ = 125, CLOSE_ARR = 93;

/** One pass over the raw text: the nesting depth and the number of `key:` pairs outside strings. */
function scan(text: string, maxDepth: number): number {
  let depth = 0, pairs = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === COLON) pairs++;
    else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > maxDepth) throw new VibeSyncError('TOO_DEEP', `nesting deeper than ${maxDepth} levels`);
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) depth--;
  }
  return pairs;
}

/** Counts own keys in the parsed tree, rejecting `__proto__` keys and non-finite numbers on the way. */
function walk(value: unknown, path: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new VibeSyncError('NON_FINITE', `non-finite number at ${path || '$'}`);
    return 0;
  }
  if (value === null || typeof value !== 'object') return 0;
  let keys = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) keys += walk(value[i], path);
    return keys;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new VibeSyncError('PROTO_KEY', `forbidden key "${key}" at ${path || '$'}`);
    }
    keys += 1 + walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
  }
  return keys;
}

/** Parses untrusted JSON text; throws a VibeSyncError (MALFORMED_JSON, TOO_DEEP, DUPLICATE_KEY, PROTO_KEY, NON_FINITE). */
export function parseStrictJson(text: string, maxDepth = MAX_DEPTH): unknown {
  const pairs = scan(text, maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new VibeSyncError('MALFORMED_JSON', (e as Error).message);
  }
  const keys = walk(value, '');
  if (keys !== pairs) throw new VibeSyncError('DUPLICATE_KEY', `${pairs - keys} duplicate key(s) in one object`);
  return value;
}
