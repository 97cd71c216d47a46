// AI proposals, their whole lifecycle: validate, scan scripts, WAL, hold as PENDING for review (or
// auto-approve in trust mode); on approval send them down the same transaction path as any source
// mutation, and close them — applied once every target committed, or failed — telling the agent.
// A script runs in the orchestrator's sandbox, never in an engine: at proposal time (the reviewer
// sees its changes) and again at approval; what it changed travels as ordinary mutations.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { PersonRole, ScanFinding } from '../../../shared/ipc/index.js';
import {
  mutationSubject,
  VibeSyncError,
  type AdapterMessage,
  type BodyOf,
  type Material,
  type SceneObject,
} from '../../../shared/protocol/index.js';
import { dryRun, reviewChanges, sameResult, type ScriptRunner } from '../scripts/dry-run.js';
import { checkBranches, checkTouches } from './branch-checks.js';
import type { BrainContext, ProposalPort, ScriptScanner } from './context.js';
import { materialChanges, objectChanges } from './diff.js';
import { engineRecord, type Proposal } from './durable-state.js';
import { planMutations } from './scene-model.js';
import type { Session } from './session.js';
import { assertMayWrite, checkRoutes } from './write-checks.js';

export const TRUST_MODE_ACTOR = { name: 'trust-mode', role: 'system' as const };
export type Approver = { name: string; role: PersonRole | 'system' };

type ProposalContext = Pick<BrainContext, 'env' | 'ledger' | 'changes' | 'sessions' | 'transactions' | 'health'>;

export class Proposals implements ProposalPort {
  /** approved proposals on their way: pid → its agent and the targets still to commit */
  private readonly inProgress = new Map<string, { agent: string; remaining: Set<string> }>();

  constructor(
    private readonly ctx: ProposalContext,
    private readonly scanner: ScriptScanner | undefined,
    private readonly sandbox?: ScriptRunner,
  ) {}

  /** The script's run in the sandbox over the scene as it is now, planned like any mutation batch. */
  private async runScript(code: string, pid: string, agent: string, targets: readonly string[], touches: readonly string[]) {
    const { env, ledger, sessions } = this.ctx;
    const dry = await dryRun(this.sandbox, () => ledger.state.scene, code, pid, targets, touches);
    if (!dry.ok) return dry;
    const state = ledger.state;
    checkRoutes(state, sessions, dry.mutations, agent, env.clock.now());
    checkBranches(state, dry.mutations);
    const patch = planMutations(state.scene, dry.mutations, env.limits);
    return { ...dry, patch, changes: reviewChanges(state.scene, patch) };
  }

  /** `ref` is the proposal message's id: a refusal (typed `error`) names it. */
  async onProposal(sess: Session, body: BodyOf<AdapterMessage, 'proposal'>, ref: string) {
    const { env, ledger, changes, sessions, health } = this.ctx;
    const state = ledger.state;
    if (!sess.has('agent')) throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} did not handshake as an agent`);
    assertMayWrite(state, sess, env.clock.now());
    // A pid is unique for good: a re-send of the same content learns the current status, other content is refused.
    const { pid: _pid, ...content } = body;
    const digest = createHash('sha256').update(canonicalize(content)!).digest('hex');
    const known = state.pids.get(body.pid);
    if (known) {
      if (known.agent === sess.name && known.digest === digest) {
        sess.peer.send('proposal_status', { pid: body.pid, status: known.status, reason: known.reason });
        return;
      }
      throw new VibeSyncError(
        'PID_CONFLICT',
        `proposal id ${body.pid} was already used${known.agent === sess.name ? ' for other content' : ' by another agent'}: choose a new pid`,
        { pid: body.pid },
      );
    }
    let pending = 0;
    for (const p of state.proposals.values()) if (p.status === 'pending' && p.view.agent === sess.name) pending++;
    if (pending >= env.config.maxPendingPerAgent)
      throw new VibeSyncError(
        'PENDING_LIMIT',
        `${sess.name} already has ${pending} proposals waiting for review (the limit is ${env.config.maxPendingPerAgent}): wait for decisions before proposing more`,
      );
    const now = env.clock.now();
    const trust = engineRecord(state, sess.name).trust;
    let proposal: Proposal;
    if (body.kind === 'edit') {
      const m = body.mutation;
      checkRoutes(state, sessions, [m], sess.name, env.clock.now());
      checkBranches(state, [m]);
      const subject = mutationSubject(m);
      const patch = planMutations(state.scene, [m], env.limits);
      const after = patch.steps[0]!.after;
      const fieldChanges =
        subject.kind === 'object'
          ? objectChanges(state.scene.objects.get(subject.id) ?? null, after as SceneObject | null)
          : materialChanges(state.scene.materials.get(subject.id) ?? null, after as Material | null);
      proposal = {
        view: {
          pid: body.pid,
          agent: sess.name,
          trust,
          kind: 'edit',
          createdAt: now,
          rationale: body.rationale,
          targets: [...m.targets],
          subject: subject.id,
          changes: fieldChanges,
          script: null,
        },
        status: 'pending',
        mutation: m,
        touches: [],
        subjectKind: subject.kind,
        digest,
      };
    } else {
      const findings: ScanFinding[] = this.scanner ? this.scanner.scan(body.code) : [];
      const blocked = findings.filter((f) => f.severity === 'block');
      if (blocked.length) {
        // Security Breach, scoped to this agent (failures.ts, AGENT_SCOPED): the typed error, then the
        // proposal's final status, then its sessions are closed and its token revoked; engines go on.
        const reason = `SECURITY_BLOCKED: ${blocked.map((f) => `${f.rule} (line ${f.line}): ${f.message}`).join('; ')}`.slice(0, 2000);
        void health.terminal('securityBreach', sess, `script proposal ${body.pid}: ${blocked.map((f) => f.rule).join(', ')}`, {
          quarantine: true,
          revoke: true,
          ref,
          lastWords: () => sess.peer.send('proposal_status', { pid: body.pid, status: 'blocked', reason }),
        });
        return;
      }
      for (const t of body.targets) {
        const s = sessions.get(t);
        if (!s || !s.has('target'))
          throw new VibeSyncError('UNKNOWN_TARGET', `script target "${t}" is not a connected target`, { target: t });
      }
      // A script may not reach into a DIRTY or LOCKED branch, so trust mode can never approve one that does.
      checkTouches(state, body.touches, body.pid);
      // The dry run: what the script would change, as the reviewer will see it. A script that fails
      // here (error, limit, undeclared change) is not recorded; the agent hears why.
      const run = await this.runScript(body.code, body.pid, sess.name, body.targets, body.touches);
      if (!run.ok) return sess.peer.send('proposal_status', { pid: body.pid, status: 'failed', reason: run.reason });
      if (state.pids.has(body.pid)) throw new VibeSyncError('PID_CONFLICT', `proposal id ${body.pid} was used meanwhile: choose a new pid`);
      proposal = {
        view: {
          pid: body.pid,
          agent: sess.name,
          trust,
          kind: 'script',
          createdAt: now,
          rationale: body.rationale,
          targets: [...body.targets],
          subject: 'script',
          changes: run.changes,
          script: { code: body.code, findings, output: run.output },
        },
        status: 'pending',
        mutation: null,
        mutations: run.mutations,
        touches: [...body.touches],
        subjectKind: null,
        digest,
      };
    }
    await ledger.write([{ t: 'proposal', at: now, proposal }]);
    changes.emit('pending');
    changes.emit('objects');
    changes.emit('audit');
    sess.peer.send('proposal_status', { pid: body.pid, status: 'pending', reason: 'waiting for review' });
    const scriptWithFindings = proposal.view.script !== null && proposal.view.script.findings.length > 0;
    if (trust >= ledger.state.trustThreshold && !scriptWithFindings) {
      await this.approve(TRUST_MODE_ACTOR, [body.pid], `trust ${trust} ≥ threshold ${ledger.state.trustThreshold}`);
    }
  }

  /** An agent's `script_check`: the scanner's verdict, with nothing recorded and nothing panicked. */
  check(sess: Session, body: BodyOf<AdapterMessage, 'script_check'>, ref: string) {
    if (!sess.has('agent')) throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} did not handshake as an agent`);
    const findings = (this.scanner ? this.scanner.scan(body.code) : []).slice(0, 200).map((f) => ({
      rule: f.rule.slice(0, 64),
      message: f.message.slice(0, 500),
      line: f.line,
      column: f.column,
      severity: f.severity,
    }));
    sess.peer.send('script_verdict', { ref, blocked: findings.some((f) => f.severity === 'block'), findings });
  }

  /** Approves pending proposals: WAL (who, role, why), then each goes to its targets as a transaction. */
  async approve(actor: Approver, pids: string[], reason: string) {
    const { env, ledger, changes, sessions, transactions } = this.ctx;
    const state = ledger.state;
    const asked = pids.filter((p) => state.proposals.get(p)?.status === 'pending');
    // Scripts run again now; one whose result differs from what the reviewer saw is not approved:
    // its new changes replace the old and it waits for a second look.
    const reruns = new Map<string, Awaited<ReturnType<Proposals['runScript']>> | { ok: false; reason: string }>();
    const changed: string[] = [];
    for (const pid of asked) {
      const p = state.proposals.get(pid)!;
      if (p.view.kind !== 'script') continue;
      let run: Awaited<ReturnType<Proposals['runScript']>> | { ok: false; reason: string };
      try {
        run = await this.runScript(p.view.script!.code, pid, p.view.agent, p.view.targets, p.touches);
      } catch (e) {
        run = { ok: false, reason: e instanceof VibeSyncError ? e.message : String(e) };
      }
      const now = state.proposals.get(pid);
      if (now?.status !== 'pending') continue;
      if (run.ok && !sameResult(run.mutations, now.mutations ?? [])) {
        changed.push(pid);
        const notice = 'The result changed since it was reviewed (the scene moved on): these are the new changes; review again.';
        const view = { ...now.view, changes: run.changes, script: { ...now.view.script!, output: run.output, notice } };
        await ledger.write([{ t: 'proposal', at: env.clock.now(), proposal: { ...now, view, mutations: run.mutations } }]);
      } else reruns.set(pid, run);
    }
    const found = asked.filter((p) => state.proposals.get(p)?.status === 'pending' && !changed.includes(p));
    const missing = pids.filter((p) => !asked.includes(p));
    if (changed.length) changes.emit('pending');
    if (!found.length) return { approved: [], missing, ...(changed.length ? { changed } : {}) };
    const durable: Promise<unknown>[] = [
      ledger.write([{ t: 'approve', at: env.clock.now(), pids: found, actor: actor.name, role: actor.role, reason }]),
    ];
    const launches: Array<() => void> = [];
    for (const pid of found) {
      const p = state.proposals.get(pid)!;
      const agent = p.view.agent;
      const failNow = (why: string) => {
        durable.push(ledger.write([{ t: 'proposal_closed', at: env.clock.now(), pid, status: 'failed', reason: why.slice(0, 2000) }]));
        launches.push(() => sessions.get(agent)?.peer.send('proposal_status', { pid, status: 'failed', reason: why.slice(0, 2000) }));
      };
      try {
        if (p.mutation) {
          // Re-checked against the scene as it is now: it may have moved on since the proposal arrived.
          const m = p.mutation;
          checkRoutes(state, sessions, [m], agent, env.clock.now());
          checkBranches(state, [m]);
          const patch = planMutations(state.scene, [m], env.limits);
          durable.push(ledger.write([{ t: 'accepted', at: env.clock.now(), engine: agent, ref: pid, mutations: [m], pid }], patch));
          launches.push(() => {
            this.inProgress.set(pid, { agent, remaining: new Set() });
            this.notify(agent, pid, actor);
            transactions.enqueue([m], patch.steps, agent, pid);
            this.progress(pid, ''); // closes it at once if no target was left to wait for
          });
        } else {
          const gone = p.view.targets.find((t) => !sessions.get(t)?.has('target'));
          if (gone) throw new VibeSyncError('UNKNOWN_TARGET', `script target "${gone}" is not connected`);
          checkTouches(state, p.touches, pid); // the branch may have gone DIRTY / LOCKED since the proposal arrived
          const run = reruns.get(pid)!;
          if (!run.ok) {
            failNow(`the script's run at approval failed: ${run.reason}`);
            continue;
          }
          const { mutations, patch } = run;
          durable.push(ledger.write([{ t: 'accepted', at: env.clock.now(), engine: agent, ref: pid, mutations, pid }], patch));
          launches.push(() => {
            this.inProgress.set(pid, { agent, remaining: new Set() });
            this.notify(agent, pid, actor);
            transactions.enqueue(mutations, patch.steps, agent, pid);
            this.progress(pid, '');
          });
        }
      } catch (e) {
        failNow(e instanceof VibeSyncError ? e.message : String(e));
      }
    }
    changes.emit('pending');
    changes.emit('objects');
    changes.emit('audit');
    await Promise.all(durable);
    for (const launch of launches) launch();
    return { approved: found, missing, ...(changed.length ? { changed } : {}) };
  }

  private notify(agent: string, pid: string, actor: Approver) {
    this.ctx.sessions
      .get(agent)
      ?.peer.send('proposal_status', { pid, status: 'approved', reason: `approved by ${actor.name} (${actor.role})` });
  }

  async reject(actor: Approver, pids: string[], reason: string) {
    const { env, ledger, changes, sessions } = this.ctx;
    const found = pids.filter((p) => ledger.state.proposals.get(p)?.status === 'pending');
    const missing = pids.filter((p) => !found.includes(p));
    if (!found.length) return { rejected: [], missing };
    const agents = found.map((pid) => ledger.state.proposals.get(pid)!.view.agent);
    await ledger.write([{ t: 'reject', at: env.clock.now(), pids: found, actor: actor.name, role: actor.role, reason }]);
    changes.emit('pending');
    changes.emit('objects');
    changes.emit('audit');
    changes.emit('engines');
    found.forEach((pid, i) =>
      sessions
        .get(agents[i]!)
        ?.peer.send('proposal_status', { pid, status: 'rejected', reason: `${actor.name}: ${reason}`.slice(0, 2000) }),
    );
    return { rejected: found, missing };
  }

  // ---------- on the way to the targets (ProposalPort) ----------

  queued(pid: string, target: string) {
    this.inProgress.get(pid)?.remaining.add(target);
  }

  progress(pid: string, target: string) {
    const { env, ledger, changes, sessions } = this.ctx;
    const p = this.inProgress.get(pid);
    if (!p) return;
    p.remaining.delete(target);
    if (p.remaining.size > 0) return;
    this.inProgress.delete(pid);
    const reason = 'applied on every target';
    ledger.write([{ t: 'proposal_closed', at: env.clock.now(), pid, status: 'applied', reason }]).then(
      () => sessions.get(p.agent)?.peer.send('proposal_status', { pid, status: 'applied', reason }),
      () => {},
    );
    changes.emit('pending');
    changes.emit('objects');
  }

  fail(pid: string, reason: string) {
    const { env, ledger, changes, sessions } = this.ctx;
    const p = this.inProgress.get(pid);
    if (!p) return;
    this.inProgress.delete(pid);
    ledger.write([{ t: 'proposal_closed', at: env.clock.now(), pid, status: 'failed', reason: reason.slice(0, 2000) }]).then(
      () => {
        sessions.get(p.agent)?.peer.send('proposal_status', { pid, status: 'failed', reason: reason.slice(0, 2000) });
      },
      () => {},
    );
    changes.emit('pending');
    changes.emit('audit');
  }
}
