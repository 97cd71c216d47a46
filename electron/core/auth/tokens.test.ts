import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { TOKEN_PATTERN, TokenStore } from './tokens.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-tokens-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fileText = () => readFileSync(join(dir, 'tokens.json'), 'utf8');

describe('TokenStore', () => {
  it('issues a token in the agreed format that verifies to its record', () => {
    const store = new TokenStore(dir, new ManualClock(1000));
    const { id, token } = store.issue('adapter', 'blender');
    expect(token).toMatch(TOKEN_PATTERN);
    expect(token.startsWith('vs_adapter_')).toBe(true);
    expect(store.verify(token)).toEqual({ id, name: 'blender', role: 'adapter', createdAt: 1000, revokedAt: null });
  });

  it('stores only the SHA-256 digest, in a 0600 file', () => {
    const store = new TokenStore(dir);
    const { token } = store.issue('agent', 'claude');
    const text = fileText();
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(9)); // not even the random part
    expect(statSync(join(dir, 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(text).tokens[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('survives a restart: a new store over the same folder verifies the same token', () => {
    const { token } = new TokenStore(dir).issue('viewer', 'artist');
    expect(new TokenStore(dir).verify(token)?.name).toBe('artist');
  });

  it('rejects unknown, malformed and tampered tokens', () => {
    const store = new TokenStore(dir);
    const { token } = store.issue('adapter', 'godot');
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(store.verify(flipped)).toBeNull();
    expect(store.verify('vs_adapter_short')).toBeNull();
    expect(store.verify('')).toBeNull();
    // right secret, wrong role prefix: the digest covers the whole string
    expect(store.verify(token.replace('vs_adapter_', 'vs_lead_'))).toBeNull();
  });

  it('revoke makes verify return null, persistently; a second revoke reports false', () => {
    const store = new TokenStore(dir, new ManualClock(5));
    const { id, token } = store.issue('adapter', 'unity');
    expect(store.revoke(id)).toBe(true);
    expect(store.revoke(id)).toBe(false);
    expect(store.verify(token)).toBeNull();
    expect(new TokenStore(dir).verify(token)).toBeNull();
    expect(store.list()[0]?.revokedAt).toBe(5);
  });

  it('revokeByName revokes every live token of that name only', () => {
    const store = new TokenStore(dir);
    const a = store.issue('adapter', 'unity');
    const b = store.issue('adapter', 'unity');
    const c = store.issue('adapter', 'godot');
    expect(store.revokeByName('unity')).toBe(2);
    expect(store.verify(a.token)).toBeNull();
    expect(store.verify(b.token)).toBeNull();
    expect(store.verify(c.token)?.name).toBe('godot');
  });

  it('reset revokes the old token and issues a new one with the same role', () => {
    const store = new TokenStore(dir);
    const old = store.issue('adapter', 'blender');
    const fresh = store.reset('blender');
    expect(fresh.token).not.toBe(old.token);
    expect(store.verify(old.token)).toBeNull();
    expect(store.verify(fresh.token)).toMatchObject({ name: 'blender', role: 'adapter' });
    expect(() => store.reset('nobody')).toThrow(/SCHEMA_VIOLATION/);
    expect(store.reset('nobody', 'agent').token.startsWith('vs_agent_')).toBe(true);
  });

  it('list never exposes digests', () => {
    const store = new TokenStore(dir);
    store.issue('reviewer', 'sam');
    expect(store.list()).toHaveLength(1);
    expect(Object.keys(store.list()[0]!)).not.toContain('hash');
  });

  it('rejects a bad role or empty name with a typed error and writes nothing', () => {
    const store = new TokenStore(dir);
    expect(() => store.issue('root' as never, 'x')).toThrow(/SCHEMA_VIOLATION/);
    expect(() => store.issue('adapter', '  ')).toThrow(/SCHEMA_VIOLATION/);
    expect(store.list()).toHaveLength(0);
    expect(() => statSync(join(dir, 'tokens.json'))).toThrow();
  });

  it('a temp file a killed write left behind is deleted at the next start once it is a minute old; a younger one (a write in flight) stays', () => {
    new TokenStore(dir).issue('adapter', 'blender');
    const stale = join(dir, 'tokens.json.0123456789ab.tmp');
    const young = join(dir, 'tokens.json.ba9876543210.tmp');
    writeFileSync(stale, '{"half":');
    writeFileSync(young, '{"half":');
    const old = new Date(Date.now() - 120_000);
    utimesSync(stale, old, old);
    const store = new TokenStore(dir);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(store.list().map((t) => t.name)).toEqual(['blender']);
  });

  it('ensureFirstLead issues once, writes the token file 0600, and not again while a lead is live', () => {
    const store = new TokenStore(dir);
    const first = store.ensureFirstLead();
    expect(first).not.toBeNull();
    expect(readFileSync(first!.file, 'utf8').trim()).toBe(first!.token);
    expect(statSync(first!.file).mode & 0o777).toBe(0o600);
    expect(store.verify(first!.token)?.role).toBe('lead');
    expect(new TokenStore(dir).ensureFirstLead()).toBeNull();
  });
});

describe('TokenStore shared between processes', () => {
  it('sees a token issued through another store on the same folder (the CLI while headless runs), and its revocation', () => {
    const running = new TokenStore(dir);
    running.issue('lead', 'lead');
    const cli = new TokenStore(dir);
    const { id, token } = cli.issue('adapter', 'unity');
    expect(running.verify(token)?.name).toBe('unity');
    cli.revoke(id);
    expect(running.verify(token)).toBeNull();
    // and a write through the running store keeps what the CLI wrote
    running.issue('viewer', 'artist');
    expect(cli.list().map((t) => t.name)).toEqual(['lead', 'unity', 'artist']);
  });
});
