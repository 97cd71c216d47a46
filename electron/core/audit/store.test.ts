// The audit store on disk: entries chained and durable, a torn last line cut on open, search and
// pages read from the segments, and `verifyAuditDir` naming the first entry someone edited.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import canonicalize from 'canonicalize';
import { canonicalBytes, GENESIS } from './chain.js';
import { AuditStore, verifyAuditDir, type AuditInput } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (i: number, over: Partial<AuditInput> = {}): AuditInput => ({
  wal: i,
  at: 1_000_000 + i * 1000,
  kind: 'proposal',
  actor: 'agent-a',
  role: 'agent',
  summary: `edit proposal p${i} on cube`,
  reason: null,
  terminal: false,
  ...over,
});

const segmentFiles = () =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort();

describe('audit store', () => {
  it('chains every entry to the one before and keeps them across a reopen', async () => {
    const s = AuditStore.open(dir);
    const a = s.append(entry(1));
    const b = s.append(entry(2, { kind: 'trust_threshold', actor: 'lead', role: 'lead', summary: 'trust threshold set to 80' }));
    await s.flushed();
    expect(a.prev).toBe(GENESIS);
    expect(b.prev).toBe(a.hash);
    await s.close();

    const again = AuditStore.open(dir);
    expect(again.lastSeq).toBe(2);
    expect(again.headHash).toBe(b.hash);
    expect(again.lastWal).toBe(2);
    const c = again.append(entry(3));
    expect(c.prev).toBe(b.hash);
    await again.close();
    expect(verifyAuditDir(dir)).toMatchObject({ ok: true, count: 3, head: c.hash });
  });

  it('hashes the RFC 8785 canonical bytes of each entry', async () => {
    const s = AuditStore.open(dir);
    const odd = s.append(entry(1, { summary: 'ünïcode "quoted" \\ \u2028 tab\t', reason: 'x'.repeat(3), at: 1.5e12 + 0.25 }));
    const { hash: _hash, ...rest } = odd;
    expect(canonicalBytes(rest)).toBe(canonicalize(rest));
    await s.close();
  });

  it('cuts a torn last line off on open and continues the chain from the last whole entry', async () => {
    const s = AuditStore.open(dir);
    for (let i = 1; i <= 5; i++) s.append(entry(i));
    await s.close();
    const file = join(dir, segmentFiles()[0]!);
    const whole = statSync(file).size;
    const torn = '{"seq":6,"wal":6,"at":1,"kind":"propo'; // a crash mid-write
    appendFileSync(file, torn);
    expect(verifyAuditDir(dir)).toMatchObject({ ok: true, count: 5, tornBytes: torn.length });

    const again = AuditStore.open(dir);
    expect(again.truncatedBytes).toBe(torn.length);
    expect(statSync(file).size).toBe(whole);
    expect(again.lastSeq).toBe(5);
    again.append(entry(6));
    await again.close();
    expect(verifyAuditDir(dir)).toMatchObject({ ok: true, count: 6, tornBytes: 0 });
  });

  it('cuts zero fill left by a power loss', async () => {
    const s = AuditStore.open(dir);
    s.append(entry(1));
    await s.close();
    const file = join(dir, segmentFiles()[0]!);
    appendFileSync(file, Buffer.alloc(512));
    const again = AuditStore.open(dir);
    expect(again.truncatedBytes).toBe(512);
    expect(again.lastSeq).toBe(1);
    await again.close();
  });

  it('verify names the first entry whose bytes were edited on disk', async () => {
    const s = AuditStore.open(dir, { segmentBytes: 2048 });
    for (let i = 1; i <= 40; i++)
      s.append(entry(i, i === 17 ? { kind: 'emergency_unlock', summary: 'emergency unlock: 3 subject(s) opened' } : {}));
    await s.close();
    expect(segmentFiles().length).toBeGreaterThan(2);
    expect(verifyAuditDir(dir)).toMatchObject({ ok: true, count: 40 });

    // One byte: "3 subject(s)" becomes "4 subject(s)".
    const file = segmentFiles()
      .map((n) => join(dir, n))
      .find((p) => readFileSync(p, 'utf8').includes('3 subject(s)'))!;
    const bytes = readFileSync(file);
    const at = bytes.indexOf('3 subject(s)');
    bytes[at] = '4'.charCodeAt(0);
    writeFileSync(file, bytes);
    const r = verifyAuditDir(dir);
    expect(r).toMatchObject({ ok: false, seq: 17 });
    expect(!r.ok && r.reason).toContain('does not match its hash');
  });

  it('verify names a removed entry (the next one no longer follows)', async () => {
    const s = AuditStore.open(dir);
    for (let i = 1; i <= 5; i++) s.append(entry(i));
    await s.close();
    const file = join(dir, segmentFiles()[0]!);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(2, 1); // entry 3 gone
    writeFileSync(file, lines.join('\n'));
    expect(verifyAuditDir(dir)).toMatchObject({ ok: false, seq: 3 });
  });

  it('searches by text, kind, actor and time, newest first, in consistent pages', async () => {
    const s = AuditStore.open(dir, { segmentBytes: 4096 });
    for (let i = 1; i <= 300; i++) {
      const over: Partial<AuditInput> =
        i % 50 === 0
          ? { kind: 'token_reset', actor: 'lead-ana', role: 'lead', summary: `token of unity reset #${i}`, reason: 'leaked key' }
          : {};
      s.append(entry(i, over));
    }
    await s.flushed();
    expect((await s.search({ kinds: ['token_reset'], limit: 10 })).entries.map((e) => e.seq)).toEqual([300, 250, 200, 150, 100, 50]);
    expect((await s.search({ text: 'LEAKED', limit: 2 })).entries.map((e) => e.seq)).toEqual([300, 250]);
    expect(
      (await s.search({ actor: 'lead-ana', from: 1_000_000 + 100_000, to: 1_000_000 + 200_000, limit: 10 })).entries.map((e) => e.seq),
    ).toEqual([200, 150, 100]);
    expect((await s.search({ text: 'no such thing', limit: 10 })).entries).toEqual([]);

    // Paging with the cursor visits every proposal once, in order, while more are appended.
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await s.search({ kinds: ['proposal'], limit: 37, ...(before !== undefined && { before }) });
      seen.push(...page.entries.map((e) => e.seq));
      s.append(entry(1000 + seen.length)); // new entries land above the cursor, never in a later page
      if (page.next === null) break;
      before = page.next;
    }
    const expected = Array.from({ length: 300 }, (_, k) => 300 - k).filter((n) => n % 50 !== 0);
    expect(seen).toEqual(expected);
    await s.close();
  });

  it('finds text JSON writes escaped, non-ASCII text and mixed case', async () => {
    const s = AuditStore.open(dir);
    for (let i = 1; i <= 50; i++) s.append(entry(i));
    s.append(entry(51, { summary: 'lead said "Hold" — Ünïcode back\\slash', reason: 'TAB\there' }));
    for (let i = 52; i <= 80; i++) s.append(entry(i));
    await s.flushed();
    for (const text of ['"hold"', 'ünïcode', 'BACK\\SLASH', 'tab\there', 'Lead Said'])
      expect(
        (await s.search({ text, limit: 5 })).entries.map((e) => e.seq),
        text,
      ).toEqual([51]);
    await s.close();
  });

  it('tail() gives the newest entries oldest first, across segments', async () => {
    const s = AuditStore.open(dir, { segmentBytes: 1024 });
    for (let i = 1; i <= 30; i++) s.append(entry(i));
    await s.flushed();
    s.append(entry(31)); // not yet durable: still in the tail
    expect(s.tail(12).map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, k) => 20 + k));
    await s.close();
  });
});
