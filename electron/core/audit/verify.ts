// `vibesync audit verify`: walks every segment in order and checks each entry's shape, its place
// in the sequence and both hashes. Reads only; a torn last line is reported, not cut.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { chainBreak, GENESIS, parseLine } from './chain.js';
import { listSegments } from './segments.js';

export type VerifyResult =
  { ok: true; count: number; head: string; tornBytes: number } | { ok: false; seq: number; file: string; reason: string; count: number };

export function verifyAuditDir(dir: string): VerifyResult {
  let seq = 0;
  let head = GENESIS;
  let tornBytes = 0;
  const files = listSegments(dir);
  for (const [i, f] of files.entries()) {
    const file = basename(f.path);
    if (f.first !== seq + 1)
      return { ok: false, seq: seq + 1, file, reason: `segment starts at ${f.first}: entries ${seq + 1}… are missing`, count: seq };
    const buf = readFileSync(f.path);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      if (i < files.length - 1 || /\n/.test(text.slice(end)))
        return { ok: false, seq: seq + 1, file, reason: 'sealed segment ends mid-line', count: seq };
      tornBytes = Buffer.byteLength(text.slice(end));
    }
    if (end === 0) continue;
    for (const line of text.slice(0, end - 1).split('\n')) {
      const e = parseLine(line);
      if (typeof e === 'string') return { ok: false, seq: seq + 1, file, reason: `line is not an entry (${e})`, count: seq };
      const why = chainBreak(e, seq, head);
      if (why) return { ok: false, seq: seq + 1, file, reason: why, count: seq };
      seq = e.seq;
      head = e.hash;
    }
  }
  return { ok: true, count: seq, head, tornBytes };
}
