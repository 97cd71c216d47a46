// The docs state facts the code can check: the simulator's scenario list, the example commands a
// newcomer copies, the frame caps, and the architecture's map of the brain and the control side. These fail when a doc goes stale, not when it is reworded.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FRAME_LIMITS } from '../shared/protocol/index.js';
import { parseSimArgs } from '../adapters/sim/cli.js';
import { SCENARIOS } from '../adapters/sim/scenarios.js';

const doc = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const env = { VIBESYNC_TOKEN: 'vs_adapter_' + 'a'.repeat(43) };

/** The argument lists of every `vibesync sim …` example in a document. */
function simExamples(text: string): string[][] {
  return [...text.matchAll(/vibesync sim ([^`\n#|]*)/g)].map((m) => m[1]!.trim().split(/\s+/));
}

describe('docs that cannot go stale', () => {
  it('docs/simulator.md lists every scenario in adapters/sim/scenarios.ts, and no other', () => {
    const text = doc('docs/simulator.md');
    const section = text.slice(text.indexOf('## Scenarios'), text.indexOf('A scenario is a few hooks'));
    const listed = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(SCENARIOS));
  });

  it.each(['README.md', 'docs/simulator.md'])('every `vibesync sim` example in %s is a command that parses', (path) => {
    const examples = simExamples(doc(path));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const args of examples) expect(() => parseSimArgs(args, env), args.join(' ')).not.toThrow();
  });

  it('docs/protocol.md and docs/headless.md state the frame caps the transport enforces', () => {
    const mib = (bytes: number) => `${bytes / 2 ** 20} MiB`;
    const kib = (bytes: number) => `${bytes / 2 ** 10} KiB`;
    for (const path of ['docs/protocol.md', 'docs/headless.md']) {
      const text = doc(path);
      expect(text, path).toContain(kib(FRAME_LIMITS.handshakeBytes));
      expect(text, path).toContain(mib(FRAME_LIMITS.frameBytes));
      expect(text, path).toContain(mib(FRAME_LIMITS.snapshotBytes));
    }
    expect(doc('docs/protocol.md')).toContain(`over the ${FRAME_LIMITS.frameBytes}-byte cap`);
  });

  it('docs/architecture.md maps every module of electron/core/brain and electron/core/control, and names no file that is gone', () => {
    const named = new Set([...doc('docs/architecture.md').matchAll(/`((?:brain|control)\/[\w./-]+\.ts)`/g)].map((m) => m[1]!));
    for (const dir of ['brain', 'control']) {
      const modules = readdirSync(new URL(`../electron/core/${dir}/`, import.meta.url)).filter(
        (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
      );
      for (const f of modules) expect(named, `${dir}/${f} is not in docs/architecture.md`).toContain(`${dir}/${f}`);
    }
    for (const f of named)
      expect(existsSync(new URL(`../electron/core/${f}`, import.meta.url)), `${f} is named but does not exist`).toBe(true);
  });
});
