// Strict JSON decoding for untrusted frames. JSON.parse alone silently keeps the last of
// duplicate keys, turns 1e999 into Infinity and accepts any depth; this rejects all three
// (and `__proto__` keys) with a typed error before any schema or state sees the value.
import { VibeSyncError } from './errors.js';

export const MAX_DEPTH = 32;

const QUOTE = 34,
  BACKSLASH = 92,
  COLON = 58,
  OPEN_OBJ = 123,
  OPEN_ARR = 91,
  CLOSE_OBJ = 125,
  CLOSE_ARR = 93;

/** One pass over the raw text: the nesting depth and the number of `key:` pairs outside strings. */
function scan(text: string, maxDepth: number): number {
  let depth = 0,
    pairs = 0,
    inString = false;
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

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Counts own keys in the parsed tree; returns -1 at the first forbidden key or non-finite number. */
function countKeys(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : -1;
  if (value === null || typeof value !== 'object') return 0;
  let keys = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const k = countKeys(value[i]);
      if (k < 0) return -1;
      keys += k;
    }
    return keys;
  }
  for (const key in value) {
    if (FORBIDDEN_KEYS.has(key)) return -1;
    const k = countKeys((value as Record<string, unknown>)[key]);
    if (k < 0) return -1;
    keys += 1 + k;
  }
  return keys;
}

/** The slow path, taken only to explain a rejection: where the first offending value is. */
function explain(value: unknown, path: string): VibeSyncError | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : new VibeSyncError('NON_FINITE', `non-finite number at ${path}`);
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) return new VibeSyncError('PROTO_KEY', `forbidden key "${key}" at ${path}`);
    const err = explain(child, at);
    if (err) return err;
  }
  return null;
}

/**
 * True when the text would be a valid JSON object but for bare NaN / Infinity / -Infinity tokens, which
 * Python's json.dumps and others write by default: a Numerical Error, not a broken contract.
 */
function bareNonFinite(text: string): boolean {
  let out = '',
    found = false,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const word = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('Infinity', i) ? 'Infinity' : null;
    if (word) {
      found = true;
      out += '0';
      i += word.length - 1;
      continue;
    }
    out += c;
  }
  if (!found) return false;
  // Only a message-shaped frame (an object) carries a payload; a bare `NaN` document is just not JSON.
  try {
    const v: unknown = JSON.parse(out);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Parses untrusted JSON text; throws a VibeSyncError (MALFORMED_JSON, TOO_DEEP, DUPLICATE_KEY, PROTO_KEY, NON_FINITE). */
export function parseStrictJson(text: string, maxDepth = MAX_DEPTH): unknown {
  const pairs = scan(text, maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (bareNonFinite(text)) throw new VibeSyncError('NON_FINITE', 'NaN / Infinity literal in the payload (JSON has no such number)');
    throw new VibeSyncError('MALFORMED_JSON', (e as Error).message);
  }
  const keys = countKeys(value);
  if (keys < 0) throw explain(value, '$') ?? new VibeSyncError('MALFORMED_JSON', 'rejected value');
  if (keys !== pairs) throw new VibeSyncError('DUPLICATE_KEY', `${pairs - keys} duplicate key(s) in one object`);
  return value;
}
