// `vibesync sim`: runs one simulated engine or agent against an orchestrator until interrupted,
// logging a line of stats every few seconds (pino, stderr).
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { EngineName, Role } from '../../shared/protocol/index.js';
import { SCENARIOS } from './scenarios.js';
import { SimAdapter, type SimOptions } from './sim-adapter.js';

export const SIM_USAGE = `vibesync sim --url ws://127.0.0.1:7420/adapter --token T --engine NAME --role source|target|agent
    [--objects N] [--rate HZ] [--frames N] [--targets a,b] [--unbatched] [--live] [--kinds] [--scenario ${Object.keys(SCENARIOS).join('|')}] [--seed S]
  The token may also come from $VIBESYNC_TOKEN (keeps it out of the process list).`;

/** A mistake in the command line: shown as one sentence. */
export class SimArgsError extends Error {
  override name = 'SimArgsError';
}

function int(value: string | undefined, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new SimArgsError(`--${flag} must be an integer ≥ ${min} (got "${value}").`);
  return n;
}

export function parseSimArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): SimOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:7420/adapter' },
      token: { type: 'string' },
      engine: { type: 'string' },
      role: { type: 'string' },
      objects: { type: 'string' },
      rate: { type: 'string' },
      frames: { type: 'string' },
      targets: { type: 'string' },
      unbatched: { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      kinds: { type: 'boolean', default: false },
      scenario: { type: 'string', default: 'normal' },
      seed: { type: 'string' },
      generation: { type: 'string' },
    },
  });
  const token = values.token ?? env.VIBESYNC_TOKEN;
  if (!token)
    throw new SimArgsError('sim needs --token (or $VIBESYNC_TOKEN): issue one with `vibesync token issue --role adapter --name NAME`.');
  const name = EngineName.safeParse(values.engine);
  if (!name.success) throw new SimArgsError('--engine must be a lowercase engine name (a-z 0-9 _ . -), e.g. --engine unity.');
  const role = Role.safeParse(values.role);
  if (!role.success) throw new SimArgsError('--role must be source, target or agent.');
  if (!(values.scenario in SCENARIOS)) throw new SimArgsError(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}.`);
  const targets = values.targets
    ? values.targets
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
  if (role.data !== 'target' && targets.length === 0)
    throw new SimArgsError(`a ${role.data} needs --targets (the engines its changes go to), e.g. --targets unity.`);
  const rate = values.rate === undefined ? (role.data === 'agent' ? 1 : 30) : Number(values.rate);
  if (!Number.isFinite(rate) || rate < 0 || rate > 10_000)
    throw new SimArgsError(`--rate must be a number of Hz between 0 and 10000 (got "${values.rate}").`);
  return {
    url: values.url,
    token,
    name: name.data,
    roles: [role.data],
    targets,
    rate,
    batched: !values.unbatched,
    live: values.live,
    objects: int(values.objects, 'objects', 20, 1),
    seed: int(values.seed, 'seed', 1),
    frames: values.frames === undefined ? undefined : int(values.frames, 'frames', 0, 1),
    generation: int(values.generation, 'generation', 1),
    scenario: values.scenario,
    kinds: values.kinds,
  };
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const countBy = (xs: string[]) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

/** Connects and runs until `signal` aborts or the orchestrator closes the connection; returns the exit code. */
export async function runSim(opts: SimOptions, logger: Logger, signal: AbortSignal): Promise<number> {
  const sim = new SimAdapter({ ...opts, log: (level, msg, data) => logger[level](data ?? {}, msg) });
  const welcome = await sim.connect();
  logger.info(
    { engine: sim.name, session: welcome.session, roles: opts.roles, scenario: sim.scenario.name, sceneHash: sim.sceneHash },
    'connected',
  );

  let agentTimer: NodeJS.Timeout | undefined;
  if (opts.roles.includes('agent') && (opts.rate ?? 0) > 0) {
    let n = 0;
    agentTimer = setInterval(() => {
      const objectId = `obj_${1 + (n++ % Math.max(1, (opts.objects ?? 20) - 1))}`;
      sim.proposeEdit(
        { mid: `${sim.name}-m${n}`, targets: opts.targets!, op: 'set_transform', objectId, transform: { position: [n % 5, 1, 0] } },
        `nudge ${objectId}`,
      );
    }, 1000 / opts.rate!);
  }
  const report = setInterval(() => {
    const s = sim.stats;
    logger.info(
      {
        engine: sim.name,
        sent: s.sent,
        mutations: s.mutationsSent,
        acked: s.acked,
        ackP50ms: percentile(s.ackLatencyMs, 50),
        ackP99ms: percentile(s.ackLatencyMs, 99),
        committed: s.committed,
        rolledBack: s.rolledBack,
        purged: s.purged,
        errors: s.errors.length,
        sceneHash: sim.sceneHash,
        ...(sim.proposals.size > 0 && { proposals: Object.fromEntries(countBy([...sim.proposals.values()].map((p) => p.status))) }),
      },
      'stats',
    );
  }, 5000);

  const closed = new Promise<{ code: number; reason: string }>((resolve) => sim.once('closed', resolve));
  const aborted = new Promise<'aborted'>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
  const outcome = await Promise.race([closed, aborted]);
  clearInterval(report);
  clearInterval(agentTimer);
  if (outcome === 'aborted') {
    await sim.close();
    return 0;
  }
  logger.warn({ engine: sim.name, code: outcome.code, reason: outcome.reason }, 'the orchestrator closed the connection');
  return 1;
}
