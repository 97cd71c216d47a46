// AI proposals: validate, scan scripts, WAL, hold as PENDING for review (or auto-approve in trust
// mode), and on approval send them down the same transaction path as any source mutation.
import type { PersonRole, ScanFinding } from '../../../shared/ipc/index.js';
import { mutationSubject, VibeSyncError, type AdapterMessage, type BodyOf } from '../../../shared/protocol/index.js';
import type { Brain } from './brain.js';
import { checkBranches, checkTouches } from './branch-checks.js';
import { materialChanges, objectChanges } from './diff.js';
import { engineRecord, type Proposal } from './durable-state.js';
import { enqueue, enqueueScript, progressProposal } from './pipeline.js';
import { planMutations } from './scene-model.js';
import type { Material, SceneObject } from '../../../shared/protocol/index.js';
import type { Session } from './session.js';

export const TRUST_MODE_ACTOR = { name: 'trust-mode', role: 'system' as const };
type Approver = { name: string; role: PersonRole | 'system' };

/** `ref` is the proposal message's id: a refusal (typed `error`) names it. */
export async function onProposal(b: Brain, sess: Session, body: BodyOf<AdapterMessage, 'proposal'>, ref: string) {
  if (!sess.has('agent')) throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} did not handshake as an agent`);
  b.assertMayWrite(sess);
  if (b.state.proposals.has(body.pid)) throw new VibeSyncError('SCHEMA_VIOLATION', `proposal id ${body.pid} is already in use`);
  const now = b.clock.now();
  const trust = engineRecord(b.state, sess.name).trust;
  let proposal: Proposal;
  if (body.kind === 'edit') {
    const m = body.mutation;
    b.checkRoutes([m], sess.name);
    checkBranches(b.state, [m]);
    const subject = mutationSubject(m);
    const patch = planMutations(b.state.scene, [m], b.limits);
    const after = patch.steps[0]!.after;
    const changes =
      subject.kind === 'object'
        ? objectChanges(b.state.scene.objects.get(subject.id) ?? null, after as SceneObject | null)
        : materialChanges(b.state.scene.materials.get(subject.id) ?? null, after as Material | null);
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
        changes,
        script: null,
      },
      status: 'pending',
      mutation: m,
      touches: [],
      subjectKind: subject.kind,
    };
  } else {
    const findings: ScanFinding[] = b.scanner ? b.scanner.scan(body.code) : [];
    const blocked = findings.filter((f) => f.severity === 'block');
    if (blocked.length) {
      // Security Breach: terminal. The agent gets SECURITY_BLOCKED, is quarantined, and the orchestrator enters PANIC.
      void b.terminal('securityBreach', sess, `script proposal ${body.pid}: ${blocked.map((f) => f.rule).join(', ')}`, {
        quarantine: true,
        close: false,
        ref,
      });
      sess.peer.send('proposal_status', {
        pid: body.pid,
        status: 'blocked',
        reason: `SECURITY_BLOCKED: ${blocked.map((f) => `${f.rule} (line ${f.line}): ${f.message}`).join('; ')}`.slice(0, 2000),
      });
      return;
    }
    for (const t of body.targets) {
      const s = b.sessions.get(t);
      if (!s || !s.has('target'))
        throw new VibeSyncError('UNKNOWN_TARGET', `script target "${t}" is not a connected target`, { target: t });
    }
    // A script may not reach into a DIRTY or LOCKED branch, so trust mode can never approve one that does.
    checkTouches(b.state, body.touches, body.pid);
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
        changes: body.touches.map((id) => ({ path: id, before: null, after: 'changed by script' })),
        script: { code: body.code, findings },
      },
      status: 'pending',
      mutation: null,
      touches: [...body.touches],
      subjectKind: null,
    };
  }
  await b.write([{ t: 'proposal', at: now, proposal }]);
  b.emit('pending');
  b.emit('objects');
  b.emit('audit');
  sess.peer.send('proposal_status', { pid: body.pid, status: 'pending', reason: 'waiting for review' });
  const scriptWithFindings = proposal.view.script !== null && proposal.view.script.findings.length > 0;
  if (trust >= b.state.trustThreshold && !scriptWithFindings) {
    await approve(b, TRUST_MODE_ACTOR, [body.pid], `trust ${trust} ≥ threshold ${b.state.trustThreshold}`);
  }
}

/** Approves pending proposals: WAL (who, role, why), then each goes to its targets as a transaction. */
export async function approve(b: Brain, actor: Approver, pids: string[], reason: string) {
  const found = pids.filter((p) => b.state.proposals.get(p)?.status === 'pending');
  const missing = pids.filter((p) => !found.includes(p));
  if (!found.length) return { approved: [], missing };
  const durable: Promise<unknown>[] = [
    b.write([{ t: 'approve', at: b.clock.now(), pids: found, actor: actor.name, role: actor.role, reason }]),
  ];
  const launches: Array<() => void> = [];
  for (const pid of found) {
    const p = b.state.proposals.get(pid)!;
    const agent = p.view.agent;
    const failNow = (why: string) => {
      durable.push(b.write([{ t: 'proposal_closed', at: b.clock.now(), pid, status: 'failed', reason: why.slice(0, 2000) }]));
      launches.push(() => b.sessions.get(agent)?.peer.send('proposal_status', { pid, status: 'failed', reason: why.slice(0, 2000) }));
    };
    try {
      if (p.mutation) {
        // Re-checked against the scene as it is now: it may have moved on since the proposal arrived.
        const m = p.mutation;
        b.checkRoutes([m], agent);
        checkBranches(b.state, [m]);
        const patch = planMutations(b.state.scene, [m], b.limits);
        durable.push(b.write([{ t: 'accepted', at: b.clock.now(), engine: agent, ref: pid, mutations: [m], pid }], patch));
        launches.push(() => {
          b.inProgress.set(pid, { agent, remaining: new Set(), failed: null });
          notify(b, agent, pid, actor);
          enqueue(b, [m], patch.steps, agent, pid);
          progressProposal(b, pid, ''); // closes it at once if no target was left to wait for
        });
      } else {
        const targets = p.view.targets.map((t) => b.sessions.get(t));
        const gone = p.view.targets.find((_, i) => !targets[i] || !targets[i]!.has('target'));
        if (gone) throw new VibeSyncError('UNKNOWN_TARGET', `script target "${gone}" is not connected`);
        checkTouches(b.state, p.touches, pid); // the branch may have gone DIRTY / LOCKED since the proposal arrived
        const code = p.view.script!.code;
        launches.push(() => {
          b.inProgress.set(pid, { agent, remaining: new Set(p.view.targets), failed: null });
          notify(b, agent, pid, actor);
          for (const t of targets) enqueueScript(b, t!, pid, code, p.touches);
        });
      }
    } catch (e) {
      failNow(e instanceof VibeSyncError ? e.message : String(e));
    }
  }
  b.emit('pending');
  b.emit('objects');
  b.emit('audit');
  await Promise.all(durable);
  for (const launch of launches) launch();
  return { approved: found, missing };
}

function notify(b: Brain, agent: string, pid: string, actor: Approver) {
  b.sessions.get(agent)?.peer.send('proposal_status', { pid, status: 'approved', reason: `approved by ${actor.name} (${actor.role})` });
}

export async function reject(b: Brain, actor: Approver, pids: string[], reason: string) {
  const found = pids.filter((p) => b.state.proposals.get(p)?.status === 'pending');
  const missing = pids.filter((p) => !found.includes(p));
  if (!found.length) return { rejected: [], missing };
  const agents = found.map((pid) => b.state.proposals.get(pid)!.view.agent);
  await b.write([{ t: 'reject', at: b.clock.now(), pids: found, actor: actor.name, role: actor.role, reason }]);
  b.emit('pending');
  b.emit('objects');
  b.emit('audit');
  b.emit('engines');
  found.forEach((pid, i) =>
    b.sessions
      .get(agents[i]!)
      ?.peer.send('proposal_status', { pid, status: 'rejected', reason: `${actor.name}: ${reason}`.slice(0, 2000) }),
  );
  return { rejected: found, missing };
}
