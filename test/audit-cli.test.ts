// `vibesync audit verify` as a person runs it: OK with the count on an intact log; after one byte
// of one entry is edited on disk, the seq of that entry, and a non-zero exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditStore } from '../electron/core/audit/index.js';

const bin = fileURLToPath(new URL('../bin/vibesync.mjs', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-audit-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const verify = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, 'audit', 'verify', ...args], {
    encoding: 'utf8',
    env: { ...process.env, VIBESYNC_DATA: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

it('prints OK with the count, then names the entry whose byte was edited and exits 1', async () => {
  const store = AuditStore.open(join(dir, 'audit'), { segmentBytes: 4096 });
  for (let i = 1; i <= 120; i++)
    store.append({
      wal: i,
      at: 1_700_000_000_000 + i,
      kind: i === 77 ? 'trust_threshold' : 'proposal',
      actor: i === 77 ? 'lena' : 'agent-a',
      role: i === 77 ? 'lead' : 'agent',
      summary: i === 77 ? 'trust threshold set to 80' : `edit proposal p${i} on cube`,
      reason: null,
      terminal: false,
    });
  await store.close();

  const ok = verify('--data', dir);
  expect(ok.code).toBe(0);
  expect(ok.out).toMatch(/^OK: 120 entries, hash chain intact/);

  const file = readdirSync(join(dir, 'audit'))
    .map((n) => join(dir, 'audit', n))
    .find((p) => p.endsWith('.jsonl') && readFileSync(p, 'utf8').includes('set to 80'))!;
  const bytes = readFileSync(file);
  bytes[bytes.indexOf('set to 80') + 'set to '.length] = '1'.charCodeAt(0); // 80 → 10
  writeFileSync(file, bytes);

  const bad = verify('--data', dir);
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('BROKEN at seq 77');
  expect(bad.out).toContain('does not match its hash');
});

it('says so when the data folder has no audit log', () => {
  const r = verify('--data', join(dir, 'nothing-here'));
  expect(r.code).toBe(2);
  expect(r.err).toContain('No audit log in');
});
