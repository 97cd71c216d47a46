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

async function world() {
  h = await startHarness();
  const target = await h.sim({ name: 'unity', roles: ['target'] });
  const source = await h.sim({ name: 'blender', roles: ['source'] });
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

  it('bad input to the tools gets a clear error and records nothing', async () => {
    await world();
    const seq = h!.orch.brain.seq;
    const bad: Array<[string, Record<string, unknown>]> = [
      ['get_object', { id: 42 }],
      ['get_object', { id: 'x'.repeat(1024 * 1024) }],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [{ op: 'transform', id: 'obj_1', position_m: [NaN, 0, 0] }] }],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [{ op: 'transform', id: 'obj_1' }] }],
      ['propose_changes', { rationale: 'r'.repeat(1024 * 1024), targets: ['unity'], changes: [{ op: 'delete', id: 'obj_1' }] }],
      ['propose_changes', { rationale: 'r', targets: ['unity'], changes: [{ op: 'delete', id: 'no_such_object' }] }],
      ['propose_script', { rationale: 'r', code: 'x = 1', targets: ['nowhere'], touches: [] }],
      ['wait_for_decision', { pid: 'never-sent', timeout_s: 1 }],
    ];
    for (const [tool, args] of bad) {
      const r = await call(tool, args).catch((e: Error) => ({ content: [{ type: 'text', text: e.message }], isError: true }));
      expect(r.isError, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toBe(true);
      expect(r.content[0]!.text!.length).toBeGreaterThan(10);
    }
    const unknown = await call('get_object', { id: 'no_such_object' });
    expect(unknown.content[0]!.text).toContain('Unknown object "no_such_object"');
    expect(h!.orch.control.state(viewer).pending).toEqual([]);
    expect(h!.orch.brain.state.pids.size).toBe(0);
    expect(h!.orch.brain.seq - seq).toBeLessThanOrEqual(1); // at most one trust record (a refused unknown object costs nothing)
  });

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
