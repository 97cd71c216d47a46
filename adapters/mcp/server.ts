// `vibesync mcp`: a stdio MCP server for AI tools (Claude Desktop, Claude Code, Cursor, VS Code).
// It connects to an orchestrator as an agent; every write becomes a PENDING proposal that a human
// reviews in VibeSync; nothing is applied directly. stdout belongs to MCP: logs go to stderr only.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AdapterMessage, BodyOf } from '../../shared/protocol/index.js';
import {
  editToMutation,
  fitCount,
  INPUTS,
  MAX_RESULT_CHARS,
  nameMatcher,
  nextStep,
  summarizeMaterial,
  summarizeObject,
  TERMINAL,
  type ObjectSummary,
} from './core.js';
import { AgentLink, RefusedError, type Log, type ScenePage } from './link.js';

export const REVIEW_PROMPT = `You are editing a 3D scene through VibeSync, which keeps one scene in sync across engines (Blender, Unity, Godot).
Nothing you propose is applied directly. Every change becomes a PENDING proposal in a human review queue:
- Read first: list_engines (which engines exist and their roles), get_scene / find_objects / get_object (units: metres, degrees, +Y up).
- Propose with propose_changes (transforms, properties, materials, create, delete) or propose_script: Python over VibeSync's scene data API, not bpy or any engine's API (scene.objects[id].position / rotation / scale / name / parent / materials, scene.create_object, scene.delete_object, scene.materials[id].base_color / metallic / roughness, scene.create_material; imports: math, random, colorsys only; docs/scripts.md). It runs once in VibeSync's sandbox and the reviewer sees the changes it makes. Declare every id it changes or creates in "touches". Call check_script first: a script outside the language puts you in PANIC and quarantine.
- Name the targets explicitly (engine names from list_engines) and write a rationale a reviewer can judge.
- Then call wait_for_decision(pid). A human approves or rejects; a rejection carries the reviewer's reason: address it before proposing again with a new pid.
- Objects in state PENDING, DIRTY or LOCKED are held by someone else or by a recovery: proposals on DIRTY / LOCKED branches are refused.`;

const text = (obj: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(obj, null, 1) }] });
const fail = (message: string): CallToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

/** Runs a tool body, turning a refusal or an unreachable orchestrator into a clear error result. */
async function guarded(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RefusedError) return fail(`VibeSync refused it (${e.message}). Nothing was recorded.`);
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** Every page of the scene (bounded: at most `maxPages` pages). */
async function allPages(link: AgentLink, maxPages = 400): Promise<ScenePage[]> {
  const pages: ScenePage[] = [];
  let cursor: string | null = null;
  do {
    const page: ScenePage = await link.scenePage(null, cursor, 1000);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < maxPages);
  return pages;
}

/**
 * Tool inputs are strict objects: a misspelt argument (`timeout` for `timeout_s`) is a clear error,
 * not silently dropped.
 */
export function buildServer(link: AgentLink, agentName: string): McpServer {
  const server = new McpServer({ name: 'vibesync', version: '0.1.0' }, { capabilities: { logging: {} } });
  let seq = 0;
  const pidFor = (given: string | undefined, i: number, n: number) =>
    (given ? (n > 1 ? `${given}-${i + 1}` : given) : `${agentName}-${Date.now().toString(36)}-${(++seq).toString(36)}`).slice(0, 64);

  server.registerTool(
    'list_engines',
    {
      title: 'List engines',
      description: 'The engines connected to VibeSync now, with their roles (targets receive changes).',
      inputSchema: z.strictObject(INPUTS.list_engines),
    },
    () =>
      guarded(async () => {
        const page = await link.scenePage([], null, 1);
        return text({
          engines: page.engines,
          next: 'Use the names of engines with the "target" role in the targets of propose_changes / propose_script. No human action is needed.',
        });
      }),
  );

  server.registerTool(
    'get_scene',
    {
      title: 'Get scene (paged)',
      description:
        'A page of the authoritative scene: objects (ids, names, types, parents, transforms in metres and degrees, materials, sync state), then materials.',
      inputSchema: z.strictObject(INPUTS.get_scene),
      annotations: { readOnlyHint: true },
    },
    ({ cursor, limit }) =>
      guarded(async () => {
        const page = await link.scenePage(null, cursor ?? null, limit ?? 200);
        const objects: ObjectSummary[] = page.objects.map((o) => summarizeObject(o.object, o.state));
        const materials = page.materials.map((m) => summarizeMaterial(m.material, m.state));
        let nextCursor = page.nextCursor;
        const keepObjects = fitCount(objects, MAX_RESULT_CHARS);
        if (keepObjects < objects.length) {
          objects.length = keepObjects;
          materials.length = 0;
          nextCursor = `o:${objects.at(-1)!.id}`;
        } else {
          const keepMaterials = fitCount(materials, MAX_RESULT_CHARS - JSON.stringify(objects).length);
          if (keepMaterials < materials.length) {
            materials.length = keepMaterials;
            nextCursor = `m:${materials.at(-1)!.id}`;
          }
        }
        return text({
          seq: page.seq,
          total: page.total,
          objects,
          materials,
          nextCursor,
          next: nextCursor
            ? `More remains: call get_scene with cursor "${nextCursor}".`
            : 'That is the whole scene. No human action is needed to read.',
        });
      }),
  );

  server.registerTool(
    'get_object',
    {
      title: 'Get object',
      description: 'One object by id, with its sync state.',
      inputSchema: z.strictObject(INPUTS.get_object),
      annotations: { readOnlyHint: true },
    },
    ({ id }) =>
      guarded(async () => {
        const page = await link.scenePage([id], null, 1);
        const o = page.objects[0];
        if (!o) return fail(`Unknown object "${id}": the scene has no object with that id. Use find_objects to look it up by name.`);
        return text({ seq: page.seq, object: summarizeObject(o.object, o.state), next: 'No human action is needed to read.' });
      }),
  );

  server.registerTool(
    'find_objects',
    {
      title: 'Find objects',
      description: 'Objects by name pattern (substring or /regex/), type, subtree (under) and sync state.',
      inputSchema: z.strictObject(INPUTS.find_objects),
      annotations: { readOnlyHint: true },
    },
    ({ name_pattern, type, under, state, limit }) =>
      guarded(async () => {
        let match: (n: string) => boolean;
        try {
          match = nameMatcher(name_pattern);
        } catch (e) {
          return fail(`name_pattern is not a valid regular expression: ${(e as Error).message}`);
        }
        const pages = await allPages(link);
        const objects = pages.flatMap((p) => p.objects);
        let inside: Set<string> | null = null;
        if (under) {
          if (!objects.some((o) => o.object.id === under)) return fail(`Unknown object "${under}" (the "under" filter).`);
          const children = new Map<string, string[]>();
          for (const { object } of objects)
            if (object.parent) children.set(object.parent, [...(children.get(object.parent) ?? []), object.id]);
          inside = new Set();
          const stack = [under];
          while (stack.length) {
            const id = stack.pop()!;
            if (inside.has(id)) continue;
            inside.add(id);
            stack.push(...(children.get(id) ?? []));
          }
        }
        const found = objects
          .filter(
            (o) =>
              match(o.object.name) &&
              (!type || o.object.type === type) &&
              (!state || o.state === state) &&
              (!inside || inside.has(o.object.id)),
          )
          .map((o) => summarizeObject(o.object, o.state));
        const keep = Math.min(limit ?? 100, fitCount(found, MAX_RESULT_CHARS));
        return text({
          seq: pages[0]?.seq ?? 0,
          count: found.length,
          objects: found.slice(0, keep),
          truncated: found.length > keep,
          next: found.length > keep ? 'More matched than shown: narrow the filters.' : 'No human action is needed to read.',
        });
      }),
  );

  server.registerTool(
    'propose_changes',
    {
      title: 'Propose changes (human review)',
      description:
        'Proposes one or many edits (transform, props, material, create, delete, upsert_material). Each becomes a PENDING proposal that a human must approve; nothing is applied directly.',
      inputSchema: z.strictObject(INPUTS.propose_changes),
    },
    ({ rationale, targets, changes, pid }) =>
      guarded(async () => {
        let mutations;
        try {
          mutations = changes.map((c) => editToMutation(c, targets));
        } catch (e) {
          return fail(`${(e as Error).message}. Nothing was proposed.`);
        }
        const results: Array<{ pid: string; status: string; reason: string }> = [];
        for (let i = 0; i < mutations.length; i++) {
          const p = pidFor(pid, i, mutations.length);
          try {
            const s = await link.propose({ kind: 'edit', pid: p, rationale, mutation: mutations[i]! });
            results.push({ pid: p, ...s });
          } catch (e) {
            if (!(e instanceof RefusedError) || i === 0) throw e;
            results.push({ pid: p, status: 'refused', reason: e.message });
          }
        }
        return text({
          proposals: results,
          next: results
            .map((r) => (r.status === 'refused' ? `${r.pid}: refused (${r.reason}); fix it and propose again.` : nextStep(r.status, r.pid)))
            .join('\n'),
        });
      }),
  );

  server.registerTool(
    'propose_script',
    {
      title: 'Propose a Python script (human review)',
      description:
        'Proposes a Python script over the scene data API (scene.objects / scene.materials, create_object, delete_object, create_material; imports math, random, colorsys). VibeSync runs it once in its sandbox and shows the reviewer the changes it makes; after approval those changes reach every target. Declare every id it changes or creates in touches. A script outside the language puts this agent in PANIC and quarantine: call check_script first.',
      inputSchema: z.strictObject(INPUTS.propose_script),
    },
    ({ rationale, code, targets, touches, pid }) =>
      guarded(async () => {
        const p = pidFor(pid, 0, 1);
        const body: BodyOf<AdapterMessage, 'proposal'> = { kind: 'script', pid: p, rationale, language: 'python', code, targets, touches };
        try {
          const s = await link.propose(body);
          return text({ pid: p, ...s, next: nextStep(s.status, p) });
        } catch (e) {
          if (e instanceof RefusedError && e.code === 'SECURITY_BLOCKED')
            return fail(`${p} was blocked by the VibeSync script scanner (${e.message}). ${nextStep('blocked', p)}`);
          throw e;
        }
      }),
  );

  server.registerTool(
    'check_script',
    {
      title: 'Check a script (nothing recorded)',
      description:
        'Checks a script against the script language (the scene data API, imports math / random / colorsys, an allow-list of builtins), with nothing recorded: each finding names the line and what is not in the language. Fix a blocked script before proposing it.',
      inputSchema: z.strictObject(INPUTS.check_script),
      annotations: { readOnlyHint: true },
    },
    ({ code }) =>
      guarded(async () => {
        const v = await link.checkScript(code);
        return text({
          ...v,
          next: v.blocked
            ? 'Blocked: proposing this script would put this agent in PANIC and quarantine until a lead resets it. Remove the blocked findings first.'
            : 'In the language. Propose it with propose_script; it is dry-run in the sandbox and a human reviewer approves the changes it makes.',
        });
      }),
  );

  const proposalView = (pid: string) => {
    const s = link.proposals.get(pid);
    return { pid, status: s?.status ?? 'unknown', reason: s?.reason ?? null, next: nextStep(s?.status, pid) };
  };

  server.registerTool(
    'get_proposal',
    {
      title: 'Get proposal status',
      description: "The latest status of a proposal: pending, approved, rejected (with the reviewer's reason), applied, failed or blocked.",
      inputSchema: z.strictObject(INPUTS.get_proposal),
      annotations: { readOnlyHint: true },
    },
    async ({ pid }) => text(proposalView(pid)),
  );

  server.registerTool(
    'wait_for_decision',
    {
      title: 'Wait for the human decision',
      description:
        "Waits (up to timeout_s) until the proposal is applied, rejected, failed or blocked, and returns that outcome with the reviewer's reason.",
      inputSchema: z.strictObject(INPUTS.wait_for_decision),
      annotations: { readOnlyHint: true },
    },
    async ({ pid, timeout_s }) => {
      if (!link.proposals.has(pid)) return fail(`${nextStep(undefined, pid)}`);
      const s = await link.waitFor(pid, (x) => (TERMINAL as readonly string[]).includes(x.status), (timeout_s ?? 60) * 1000);
      const view = proposalView(pid);
      return text({ ...view, decided: s ? (TERMINAL as readonly string[]).includes(s.status) : false });
    },
  );

  server.registerResource(
    'scene',
    'vibesync://scene',
    {
      title: 'VibeSync scene (first page)',
      description: 'The first page of the authoritative scene; use get_scene for more.',
      mimeType: 'application/json',
    },
    async (uri) => {
      const page = await link.scenePage(null, null, 200);
      const objects = page.objects.map((o) => summarizeObject(o.object, o.state));
      objects.length = fitCount(objects, MAX_RESULT_CHARS);
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'application/json',
            text: JSON.stringify({ seq: page.seq, total: page.total, objects, nextCursor: page.nextCursor }),
          },
        ],
      };
    },
  );

  server.registerResource(
    'proposal',
    new ResourceTemplate('vibesync://proposals/{pid}', { list: undefined }),
    { title: 'A VibeSync proposal', description: 'The latest status of one proposal this server sent.', mimeType: 'application/json' },
    async (uri, vars) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(proposalView(String(vars.pid).slice(0, 64))) }],
    }),
  );

  server.registerPrompt(
    'vibesync_review',
    { title: 'How review works in VibeSync', description: 'Explains to the model that every change waits for a human reviewer.' },
    () => ({ messages: [{ role: 'user', content: { type: 'text', text: REVIEW_PROMPT } }] }),
  );

  return server;
}

/** `vibesync mcp`: resolves when stdin closes. */
export async function runMcp(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log: Log = (level, msg, data) =>
    process.stderr.write(JSON.stringify({ level, msg, ...data, time: new Date().toISOString() }) + '\n');
  const url = env.VIBESYNC_URL ?? 'ws://127.0.0.1:7420/adapter';
  const token = env.VIBESYNC_TOKEN;
  const name = env.VIBESYNC_AGENT ?? 'mcp-agent';
  if (!token) {
    process.stderr.write(
      'vibesync mcp: set VIBESYNC_TOKEN to an agent token (`vibesync token issue --role agent --name NAME`), and VIBESYNC_AGENT to that name.\n',
    );
    return 2;
  }
  const link = new AgentLink({ url, token, name, log });
  link.start();
  const server = buildServer(link, name);
  const transport = new StdioServerTransport();
  // The SDK drops a stdio request over 10 MiB without an answer (its ReadBuffer cap): say so on stderr.
  server.server.onerror = (e) => log('warn', 'MCP transport error', { err: String(e).slice(0, 500) });
  await server.connect(transport);
  log('info', 'vibesync mcp ready', { url, agent: name });
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  link.close();
  await server.close().catch(() => {});
  return 0;
}
