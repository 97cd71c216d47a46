// Bearer tokens for adapters, agents and people. Only SHA-256 digests are stored (tokens.json,
// mode 0600, replaced atomically); the token itself is shown once, when it is issued.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TokenRole } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { Clock } from '../../../shared/clock.js';
import { systemClock } from '../../../shared/clock.js';
import { removeStaleTemps, writeFileAtomicSync } from './atomic-write.js';

const TokenRecord = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: TokenRole,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;
export type TokenInfo = Omit<TokenRecord, 'hash'>;
const TokenFile = z.strictObject({ version: z.literal(1), tokens: z.array(TokenRecord) });

export const TOKEN_PATTERN = /^vs_(adapter|agent|viewer|reviewer|lead)_[A-Za-z0-9_-]{43}$/;
export const FIRST_LEAD_FILE = 'first-lead-token.txt';
const TokenName = z.string().trim().min(1).max(64);
/**
 * An adapter or agent token is bound to what it may connect as: one engine name (`blender`), or a
 * prefix pattern ending in `*` (`sim-*`), chosen at issue time. Lowercase a-z 0-9 _ . - like engine names.
 */
export const BoundName = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,62}\*?$|^\*$/,
    'adapter and agent tokens are named after the engine or agent they connect as (a-z 0-9 _ . -), or a prefix ending in *',
  );

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();
const strip = ({ hash: _hash, ...info }: TokenRecord): TokenInfo => info;

export class TokenStore {
  private records: TokenRecord[] = [];
  private readonly file: string;
  /** identity of the file last read, so a token issued by another process (the CLI) is seen at once */
  private seen = '';

  constructor(
    private readonly dataDir: string,
    private readonly clock: Clock = systemClock,
  ) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = join(dataDir, 'tokens.json');
    removeStaleTemps(this.file); // file times are wall-clock time, not the injected clock's
    this.refresh();
  }

  /** Re-reads tokens.json if it was replaced since the last read (every write is a rename: a new inode). */
  private refresh(): void {
    let identity: string;
    try {
      const st = statSync(this.file);
      identity = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      identity = 'absent';
    }
    if (identity === this.seen) return;
    this.records = identity === 'absent' ? [] : TokenStore.load(this.file);
    this.seen = identity;
  }

  private static load(file: string): TokenRecord[] {
    const parsed = TokenFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new VibeSyncError('INTERNAL', `${file} is not a valid token file: ${parsed.error.issues[0]?.message}`);
    return parsed.data.tokens;
  }

  private persist(next: TokenRecord[]): void {
    writeFileAtomicSync(this.file, JSON.stringify({ version: 1, tokens: next }, null, 2) + '\n');
    this.records = next;
    const st = statSync(this.file);
    this.seen = `${st.ino}:${st.size}:${st.mtimeMs}`;
  }

  private mint(role: TokenRole, name: string): { record: TokenRecord; token: string } {
    const token = `vs_${role}_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: `tok_${randomBytes(8).toString('hex')}`,
      name,
      role,
      hash: digest(token).toString('hex'),
      createdAt: this.clock.now(),
      revokedAt: null,
    };
    return { record, token };
  }

  private checkInput(role: unknown, name: unknown): { role: TokenRole; name: string } {
    const r = TokenRole.safeParse(role);
    if (!r.success) throw new VibeSyncError('SCHEMA_VIOLATION', `role must be one of ${TokenRole.options.join(', ')}`);
    const n = TokenName.safeParse(name);
    if (!n.success) throw new VibeSyncError('SCHEMA_VIOLATION', 'name must be 1–64 characters');
    if ((r.data === 'adapter' || r.data === 'agent') && !BoundName.safeParse(n.data).success)
      throw new VibeSyncError(
        'SCHEMA_VIOLATION',
        `an ${r.data} token is bound to the name it connects as: use the engine or agent name (a-z 0-9 _ . -), or a prefix ending in * — not "${n.data}"`,
      );
    return { role: r.data, name: n.data };
  }

  /** Issues a new token; the returned `token` is never stored and cannot be shown again. */
  issue(role: TokenRole, name: string): { id: string; token: string } {
    const input = this.checkInput(role, name);
    this.refresh();
    const { record, token } = this.mint(input.role, input.name);
    this.persist([...this.records, record]);
    return { id: record.id, token };
  }

  /** The live record for `token`, or null (unknown, malformed or revoked). Compares digests in constant time. */
  verify(token: string): TokenInfo | null {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
    this.refresh();
    const d = digest(token);
    let found: TokenRecord | null = null;
    // Compare against every record so timing reveals nothing about which one matched.
    for (const r of this.records) {
      if (timingSafeEqual(d, Buffer.from(r.hash, 'hex')) && r.revokedAt === null) found = r;
    }
    return found ? strip(found) : null;
  }

  /** Revokes one token by id; returns false if it is unknown or already revoked. */
  revoke(id: string): boolean {
    this.refresh();
    const now = this.clock.now();
    let changed = false;
    const next = this.records.map((r) => {
      if (r.id !== id || r.revokedAt !== null) return r;
      changed = true;
      return { ...r, revokedAt: now };
    });
    if (changed) this.persist(next);
    return changed;
  }

  /** Revokes every live token with this name; returns how many. */
  revokeByName(name: string): number {
    this.refresh();
    const now = this.clock.now();
    let count = 0;
    const next = this.records.map((r) => {
      if (r.name !== name || r.revokedAt !== null) return r;
      count++;
      return { ...r, revokedAt: now };
    });
    if (count > 0) this.persist(next);
    return count;
  }

  /**
   * Revokes the live tokens of `name` and issues a fresh one in one atomic write. The role defaults
   * to that of the newest token with this name; with no such token and no role, SCHEMA_VIOLATION.
   */
  reset(name: string, role?: TokenRole): { id: string; token: string } {
    this.refresh();
    const previous = [...this.records].reverse().find((r) => r.name === name);
    const chosen = role ?? previous?.role;
    if (!chosen) throw new VibeSyncError('SCHEMA_VIOLATION', `no token named "${name}" to reset; give a role to issue one`);
    const input = this.checkInput(chosen, name);
    const now = this.clock.now();
    const { record, token } = this.mint(input.role, input.name);
    const next = this.records.map((r) => (r.name === input.name && r.revokedAt === null ? { ...r, revokedAt: now } : r));
    this.persist([...next, record]);
    return { id: record.id, token };
  }

  list(): TokenInfo[] {
    this.refresh();
    return this.records.map(strip);
  }

  /**
   * With no live lead token (first start, or every lead revoked), issues one named "lead" and
   * writes it to first-lead-token.txt (0600) so a person can open the panel; otherwise null.
   */
  ensureFirstLead(): { token: string; file: string } | null {
    this.refresh();
    if (this.records.some((r) => r.role === 'lead' && r.revokedAt === null)) return null;
    const { record, token } = this.mint('lead', 'lead');
    const file = join(this.dataDir, FIRST_LEAD_FILE);
    // The file before the record: a start that dies between the two leaves a file whose token is
    // not valid (the next start issues and saves another), never a live lead token nobody was shown.
    writeFileAtomicSync(file, token + '\n');
    this.persist([...this.records, record]);
    return { token, file };
  }
}
