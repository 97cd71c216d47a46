// Kill -9 a writer at random moments and check that nothing it acknowledged is lost.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openWal } from './index.js';

const writerScript = fileURLToPath(new URL('../../../test/support/wal-crash-writer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wal-crash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  openedAt: number;
  acks: Map<number, unknown>;
  firstAck: number;
}

/** Starts the writer, waits for `killAfter` acknowledgements, then kills it with SIGKILL. */
function runAndKill(run: number, killAfter: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dir, String(run), '700'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: Run = { openedAt: -1, acks: new Map(), firstAck: -1 };
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!; // a line cut by the kill was never fully acknowledged to us
      for (const line of lines) {
        if (line.startsWith('open ')) result.openedAt = Number(line.slice(5));
        if (!line.startsWith('ack ')) continue;
        const space = line.indexOf(' ', 4);
        const seq = Number(line.slice(4, space));
        if (result.firstAck < 0) result.firstAck = seq;
        result.acks.set(seq, JSON.parse(line.slice(space + 1)));
      }
      if (result.acks.size >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(result);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

it('every acknowledged record survives kill -9, across ten crashes in a row, and the log continues', async () => {
  const acknowledged = new Map<number, unknown>();
  let expectedOpen = 0;
  for (let round = 0; round < 10; round++) {
    const killAfter = 1 + Math.floor(Math.random() * 4000);
    const run = await runAndKill(round, killAfter);
    expect(run.openedAt, `round ${round}: writer resumed from the last seq`).toBe(expectedOpen);
    expect(run.firstAck).toBeGreaterThan(expectedOpen);
    for (const [seq, rec] of run.acks) acknowledged.set(seq, rec);

    const { log, replay } = await openWal(dir);
    const snapSeq = replay.snapshot?.seq ?? 0;
    if (replay.snapshot) expect(replay.snapshot.state).toMatchObject({ upTo: snapSeq });
    // contiguous from just after the snapshot to the last record
    expect(replay.records.map((r) => r.seq)).toEqual(Array.from({ length: replay.records.length }, (_, i) => snapSeq + 1 + i));
    const bySeq = new Map(replay.records.map((r) => [r.seq, r.record]));
    const lost: number[] = [];
    for (const [seq, rec] of acknowledged) {
      if (seq <= snapSeq) continue; // folded into the snapshot
      const got = bySeq.get(seq);
      if (got === undefined) lost.push(seq);
      else expect(got, `round ${round}, seq ${seq}`).toEqual(rec);
    }
    expect(lost, `round ${round} (killed after ${killAfter} acks)`).toEqual([]);
    expect(log.lastSeq).toBeGreaterThanOrEqual(Math.max(...acknowledged.keys()));

    const probe = { t: 'probe', round };
    const seq = await log.append(probe);
    expect(seq).toBe(log.lastSeq);
    expect(seq).toBe(Math.max(snapSeq, replay.records.at(-1)?.seq ?? 0) + 1);
    acknowledged.set(seq, probe);
    expectedOpen = seq;
    await log.close();
  }
}, 120_000);
