// The round trip an AI tool sees through `vibesync mcp`: propose_changes → a reviewer approves through
// the control contract at once → wait_for_decision returns applied (the target committed). A real MCP
// client over stdio, a real orchestrator in this process, simulated source and target engines.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { eventually, startHarness } from '../test/support/harness.js';
import { type Figure, median, percentile, round } from './stats.js';

const ROUNDS = 100;

export async function benchMcp(): Promise<Figure[]> {
  const h = await startHarness();
  const client = new Client({ name: 'vibesync-bench', version: '1.0.0' });
  try {
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    await h.sim({ name: 'blender', roles: ['source'] });
    await target.waitFor('resync');
    const { token } = h.orch.tokens.issue('agent', 'bench-agent');
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [fileURLToPath(new URL('../bin/vibesync.mjs', import.meta.url)), 'mcp'],
        env: { ...(process.env as Record<string, string>), VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_AGENT: 'bench-agent' },
        stderr: 'ignore',
      }),
    );
    await eventually(() => h.orch.brain.sessions.has('bench-agent'), 'MCP server connected', 20_000);
    const reviewer = { name: 'bench-reviewer', role: 'reviewer' as const };
    const ms: number[] = [];
    for (let i = 0; i < ROUNDS + 5; i++) {
      const pid = `bench-${i}`;
      const t0 = performance.now();
      await client.callTool({
        name: 'propose_changes',
        arguments: { rationale: 'bench', targets: ['unity'], changes: [{ op: 'transform', id: 'obj_1', position_m: [i, 0, 0] }], pid },
      });
      await h.orch.control.call(reviewer, 'approve', { pids: [pid] });
      const r = (await client.callTool({ name: 'wait_for_decision', arguments: { pid, timeout_s: 30 } })) as {
        content: Array<{ text: string }>;
      };
      const status = JSON.parse(r.content[0]!.text).status;
      if (status !== 'applied') throw new Error(`${pid} ended ${status}`);
      if (i >= 5) ms.push(performance.now() - t0); // the first rounds warm up the JIT
    }
    return [
      { name: 'mcp_propose_approve_applied_latency_p50', value: round(median(ms), 2), unit: 'ms', rounds: ROUNDS },
      { name: 'mcp_propose_approve_applied_latency_p99', value: round(percentile(ms, 99), 2), unit: 'ms', rounds: ROUNDS },
    ];
  } finally {
    await client.close().catch(() => {});
    await h.stopAll();
  }
}
