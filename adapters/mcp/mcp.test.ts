// Issue 13: a real MCP client (the SDK's Client over stdio, spawning `vibesync mcp`) against a real
// headless orchestrator with simulated engines.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { eventually, startHarness, type Harness } from '../../test/support/harness.js';

const BIN = fileURLToPath(new URL('../../bin/vibesync.mjs', import.meta.url));
const reviewer = { name: 'rita', role: 'reviewer' as const };
const viewer = { name: 'vic', role: 'viewer' as const };

let h: Harness | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close().catch(() => {});
  client = undefined;
  await h?.stopAll();
  h = undefined;
});

async function world(sourceTargets: string[] = []) {
  h = await startHarness();
  const target = await h.sim({ name: 'unity', roles: ['target'] });
  const source = await h.sim({ name: 'blender', roles: ['source'], targets: sourceTargets });
  await target.waitFor('resync');
  const { token } = h.orch.tokens.issue('agent', 'claude');
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp'],
    env: { ...(process.env as Record<string, string>), VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_AGENT: 'claude' },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d) => stderr.push(String(d)));
  client = new Client({ name: 'vibesync-test', version: '1.0.0' });
  await client.connect(transport);
  await eventually(() => h!.orch.brain.sessions.has('claude'), 'the MCP server connected as an agent', 20_000);
  return { target, source, stderr };
}

type Result = { content: Array<{ type: string; text?: string }>; isError?: boolean };
const call = async (name: string, args: Record<string, unknown> = {}) => (await client!.callTool({ name, arguments: args })) as Result;
const json = (r: Result) => JSON.parse(r.content[0]!.text!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('vibesync mcp (real client, real orchestrator, simulated engines)', () => {
  it('lists its tools, reads the scene the orchestrator holds, and a proposal is applied only after a reviewer approves', async () => {
    const { target } = await world();
    const tools = (await client!.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(
      [
        'check_script',
        'find_objects',
        'get_object',
        'get_proposal',
        'get_scene',
        'list_engines',
        'propose_changes',
        'propose_script',
        'wait_for_decision',
      ].sort(),
    );
    expect(json(await call('list_engines')).engines).toContainEqual({ name: 'unity', roles: ['target'] });

    const scene = json(await call('get_scene', { limit: 500 }));
    const exported = h!.orch.brain.exportState().scene;
    expect(scene.objects.map((o: { id: string }) => o.id).sort()).toEqual(exported.objects.map((o) => o.id).sort());
    const obj1 = exported.objects.find((o) => o.id === 'obj_1')!;
    expect(scene.objects.find((o: { id: string }) => o.id === 'obj_1').position_m).toEqual(
      obj1.transform.position.map((n) => Math.round(n * 1e6) / 1e6 + 0),
    );
    expect(json(await call('find_objects', { name_pattern: obj1.name })).objects.map((o: { id: string }) => o.id)).toContain('obj_1');

    const proposed = json(
      await call('propose_changes', {
        rationale: 'lift the first object',
        targets: ['unity'],
        changes: [{ op: 'transform', id: 'obj_1', position_m: [1, 2, 3], rotation_deg: [0, 90, 0] }],
        pid: 'claude-lift-1',
      }),
    );
    expect(proposed.proposals).toEqual([{ pid: 'claude-lift-1', status: 'pending', reason: 'waiting for review' }]);
    expect(proposed.next).toContain('human reviewer must approve or reject');
    expect(h!.orch.control.state(viewer).pending).toMatchObject([
      { pid: 'claude-lift-1', agent: 'claude', rationale: 'lift the first object' },
    ]);
    expect(target.scene.object('obj_1')!.transform.position).not.toEqual([1, 2, 3]);

    const waiting = call('wait_for_decision', { pid: 'claude-lift-1', timeout_s: 30 });
    await h!.orch.control.call(reviewer, 'approve', { pids: ['claude-lift-1'] });
    const decided = json(await waiting);
    expect(decided).toMatchObject({ pid: 'claude-lift-1', status: 'applied', decided: true });
    await eventually(() => target.scene.object('obj_1')!.transform.position[1] === 2, 'target applied');
    expect(target.sceneHash).toBe(hashing.sceneHash(h!.orch.brain.exportState().scene));
    expect(json(await call('get_object', { id: 'obj_1' })).object).toMatchObject({ position_m: [1, 2, 3], rotation_deg: [0, 90, 0] });
  });

  it("a reviewer's rejection reason reaches the client", async () => {
    await world();
    const proposed = await call('propose_changes', {
      rationale: 'r',
      targets: ['unity'],
      changes: [{ op: 'props', id: 'obj_3', name: 'renamed' }],
      pid: 'claude-del',
    });
    expect(proposed.content[0]!.text).toContain('pending');
    await h!.orch.control.call(reviewer, 'reject', { pids: ['claude-del'], reason: 'keep obj_3, it is the hero prop' });
    const r = json(await call('wait_for_decision', { pid: 'claude-del', timeout_s: 30 }));
    expect(r.status).toBe('rejected');
    expect(r.reason).toContain('keep obj_3, it is the hero prop');
    expect(r.next).toContain('address the reason');
    expect(json(await call('get_proposal', { pid: 'claude-del' })).status).toBe('rejected');
  });

  it('bad input to every tool (wrong types, unknown objects and arguments, 10 MB strings, NaN) gets a clear error and records nothing', async () => {
    await world();
    const seq = h!.orch.brain.seq;
    const big = 'x'.repeat(10_000_000); // 10 MB: under the SDK's 10 MiB stdio message cap, far over every field's limit
    const edit = { op: 'transform', id: 'obj_1', position_m: [1, 0, 0] };
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['list_engines', { verbose: true }, /verbose/],
      ['get_scene', { limit: 'ten' }, /limit/],
      ['get_scene', { limit: NaN }, /limit/], // JSON carries NaN as null
      ['get_scene', { cursor: big }, /cursor/],
      ['get_scene', { cursor: 'page-2' }, /cursor "page-2" is not one this orchestrator gives out/],
      ['get_object', { id: 42 }, /id/],
      ['get_object', { id: big }, /id/],
      ['get_object', { id: 'no_such_object' }, /Unknown object "no_such_object"/],
      ['find_objects', { name_pattern: '/[/' }, /not a valid regular expression/],
      ['find_objects', { type: 'dragon' }, /type/],
      ['find_objects', { under: 'no_such_object' }, /Unknown object "no_such_object"/],
      ['find_objects', { name_pattern: big }, /name_pattern/],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [{ ...edit, position_m: [NaN, 0, 0] }] }, /position_m/],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [{ op: 'transform', id: 'obj_1' }] }, /changes nothing/],
      ['propose_changes', { rationale: big, targets: ['unity'], changes: [edit] }, /rationale/],
      ['propose_changes', { rationale: 'r', targets: 'unity', changes: [edit] }, /targets/],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [{ op: 'teleport', id: 'obj_1' }] }, /changes/],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [{ op: 'delete', id: 'no_such_object' }] }, /no_such_object/],
      ['propose_changes', { rationale: 'r', targets: ['nowhere'], changes: [edit] }, /nowhere/],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [edit], pid: 'has space' }, /pid/],
      ['propose_script', { rationale: 'r', code: 'x = 1', targets: ['nowhere'], touches: [] }, /nowhere/],
      ['propose_script', { rationale: 'r', code: big, targets: ['unity'], touches: [] }, /code/],
      ['propose_script', { rationale: 'r', code: 'x = 1', targets: ['unity'], touches: 'obj_1' }, /touches/],
      ['check_script', { code: big }, /code/],
      ['check_script', { code: 7 }, /code/],
      ['get_proposal', { pid: ['p'] }, /pid/],
      ['get_proposal', { pid: big }, /pid/],
      ['wait_for_decision', { pid: 'never-sent', timeout_s: 1 }, /has not seen never-sent/],
      ['wait_for_decision', { pid: 'p', timeout_s: NaN }, /timeout_s/],
      ['wait_for_decision', { pid: 'p', timeout: 5 }, /timeout/],
    ];
    for (const [tool, args, says] of bad) {
      const what = `${tool} ${JSON.stringify(args).slice(0, 100)}`;
      const r = await call(tool, args).catch((e: Error) => ({ content: [{ type: 'text', text: e.message }], isError: true }));
      expect(r.isError, what).toBe(true);
      const message = r.content[0]!.text!;
      expect(message, what).toMatch(says);
      expect(message.length, `${what}: the error stays short, it does not echo the input`).toBeLessThan(4000);
    }
    // Nothing was recorded: no proposal, no pid, and the scene is unchanged. (A refused proposal may
    // cost the agent trust once a second: a trust record, nothing else.)
    expect(h!.orch.control.state(viewer).pending).toEqual([]);
    expect(h!.orch.brain.state.pids.size).toBe(0);
    const since = h!.orch.brain.state.audit.filter((a) => a.seq > seq);
    expect(since.filter((a) => a.kind !== 'trust_penalty')).toEqual([]);
    // The trust a refusal cost is written down, and names the refusal.
    for (const a of since)
      expect(a).toMatchObject({ kind: 'trust_penalty', actor: 'orchestrator', reason: expect.stringMatching(/^SCHEMA_VIOLATION: /) });
    expect(h!.orch.brain.mode).toBe('RUNNING');
    // …and the server still answers.
    expect(json(await call('list_engines')).engines).toContainEqual({ name: 'unity', roles: ['target'] });
  }, 120_000); // seven 10 MB requests through stdio on a shared 2-core machine

  it('check_script gives the scanner verdict and records nothing, and the agent stays out of PANIC', async () => {
    await world();
    const seq = h!.orch.brain.seq;
    const bad = json(await call('check_script', { code: 'import os\nos.system("rm -rf /")\n' }));
    expect(bad.blocked).toBe(true);
    expect(bad.findings.map((f: { rule: string }) => f.rule)).toContain('import');
    expect(bad.next).toContain('PANIC');
    const ok = json(await call('check_script', { code: 'x = 1\n' }));
    expect(ok).toMatchObject({ blocked: false, findings: [] });
    expect(h!.orch.brain.seq).toBe(seq);
    expect(h!.orch.brain.mode).toBe('RUNNING');
  });

  it('a blocked script: the tool result says blocked, the agent is PANICked and quarantined (token revoked), while a source → target stream goes on committing', async () => {
    const { target, source } = await world(['unity']);
    const stream = setInterval(() => source.streamFrame(), 20);
    try {
      await target.until(() => target.committed > 0, 'the stream commits on the target');
      const r = await call('propose_script', {
        rationale: 'clean up temp files',
        code: 'import os\nos.system("rm -rf /tmp/x")\n',
        targets: ['unity'],
        touches: [],
        pid: 'claude-evil-1',
      });
      expect(r.isError).toBe(true);
      expect(r.content[0]!.text).toContain('claude-evil-1 was blocked by the VibeSync script scanner (SECURITY_BLOCKED');
      expect(r.content[0]!.text).toContain('this agent is now in PANIC and quarantined');

      const state = () => h!.orch.control.state(viewer);
      await eventually(() => state().engines.find((e) => e.name === 'claude')?.state === 'PANIC', 'the agent PANICs');
      expect(state().engines.find((e) => e.name === 'claude')!.panic).toMatchObject({
        failure: 'Security Breach',
        scope: 'agent',
        engine: 'claude',
      });
      expect(state().engines.find((e) => e.name === 'claude')!.quarantineUntil).not.toBeNull();
      expect(h!.orch.tokens.list().find((t) => t.name === 'claude')!.revokedAt).not.toBeNull();
      await eventually(() => !h!.orch.brain.sessions.has('claude'), 'the agent session is closed');
      expect(state().orchestrator).toMatchObject({ state: 'RUNNING', panic: null });
      expect(state().pending).toEqual([]);
      expect(json(await call('get_proposal', { pid: 'claude-evil-1' })).status).toBe('blocked');

      const committed = target.committed;
      await target.until(() => target.committed > committed + 2, 'the stream goes on committing after the breach');
    } finally {
      clearInterval(stream);
    }
    await eventually(() => target.sceneHash === hashing.sceneHash(h!.orch.brain.exportState().scene), "the target's hash follows");
    expect(target.sceneHash).toBe(source.sceneHash);
    // The revoked token keeps the agent out: a read now fails with a clear error.
    const after = await call('get_scene');
    expect(after.isError).toBe(true);
    expect(after.content[0]!.text).toMatch(/not reachable now|connection dropped/);
  });

  it('orchestrator down → a clear tool error, then recovery once it is back', async () => {
    const { stderr } = await world();
    for (const s of h!.sims) s.crash();
    await h!.orch.close();
    const down = await call('get_scene');
    expect(down.isError).toBe(true);
    expect(down.content[0]!.text).toMatch(/not reachable now|connection dropped/);
    const port = Number(new URL(h!.orch.url).port);
    await h!.restart({ port });
    await eventually(() => h!.orch.brain.sessions.has('claude'), 'the MCP server reconnected', 30_000);
    const up = await call('get_scene');
    expect(up.isError).toBeFalsy();
    expect(stderr.join('')).toContain('connected to the orchestrator');
  });
});
