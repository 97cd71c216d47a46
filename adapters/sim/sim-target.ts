// The simulator as a target (docs/protocol.md "Transactions"): it imports a `tx_begin` into its
// scene's sandbox and reports the hash of what it holds, then commits, rolls back or purges as told,
// and replaces its scene on `resync`. Its scenario (scenarios.ts) can fail or stall an import.
import { hashing } from '../../shared/canonical/index.js';
import { VibeSyncError, type OrchestratorMessage } from '../../shared/protocol/index.js';
import type { SimAdapter } from './sim-adapter.js';

type TargetMessage = Extract<
  OrchestratorMessage,
  { type: 'tx_begin' | 'tx_commit' | 'tx_rollback' | 'tx_purge' | 'rollback_broadcast' | 'resync' }
>;

export class SimTarget {
  /** `tx_begin`s received, counting those a scenario failed (its `attempt`) */
  private txBegins = 0;
  /** `resync`s applied */
  resyncs = 0;

  /** `importMs`: how long this engine's import takes (tx_hash is sent that long after tx_begin) */
  constructor(
    private readonly sim: SimAdapter,
    private readonly importMs: number | undefined,
  ) {}

  handle(m: TargetMessage): void {
    const { sim } = this;
    switch (m.type) {
      case 'tx_begin': {
        const fault = sim.scenario.onTxBegin?.(sim, m.body.txId, ++this.txBegins);
        if (fault === 'ignore') break;
        if (fault) {
          sim.send('error', { code: fault.code, message: fault.message, ref: m.id, txId: m.body.txId });
          break;
        }
        try {
          const state = sim.scene.begin(m.body.txId, m.body.mutations);
          const reported = sim.scenario.beforeTxHash ? sim.scenario.beforeTxHash(state) : state;
          const hash = hashing.txHash(reported);
          const txId = m.body.txId;
          if (m.body.liveFrame !== undefined) sim.scene.keepNewerLive(txId, m.body.liveFrame);
          if (this.importMs) sim.later(this.importMs, () => sim.send('tx_hash', { txId, hash }));
          else sim.send('tx_hash', { txId, hash });
        } catch (e) {
          const code = e instanceof VibeSyncError ? e.code : 'TARGET_FAILED';
          sim.send('error', { code, message: (e as Error).message.slice(0, 2000), ref: m.id, txId: m.body.txId });
        }
        break;
      }
      case 'tx_commit':
        if (!sim.scene.commit(m.body.txId)) {
          sim.send('error', { code: 'UNKNOWN_TX', message: `no open transaction ${m.body.txId}`, ref: m.id, txId: m.body.txId });
          break;
        }
        sim.stats.committed++;
        sim.send('tx_done', { txId: m.body.txId, outcome: 'committed' });
        sim.emit('committed', m.body.txId);
        break;
      case 'tx_rollback':
        sim.scene.discard(m.body.txId);
        sim.stats.rolledBack++;
        sim.send('tx_done', { txId: m.body.txId, outcome: 'rolled_back' });
        break;
      case 'tx_purge':
        sim.scene.discard(m.body.txId);
        sim.stats.purged++;
        sim.send('tx_done', { txId: m.body.txId, outcome: 'purged' });
        break;
      case 'rollback_broadcast':
        sim.scene.discard(m.body.txId);
        break;
      case 'resync':
        try {
          sim.scene.replace(m.body.scene);
        } catch (e) {
          sim.send('error', { code: 'TARGET_FAILED', message: `resync: ${(e as Error).message}`.slice(0, 2000), ref: m.id, txId: null });
          break;
        }
        if (sim.scene.hash() !== m.body.hash)
          sim.log('warn', 'resync scene does not hash to the hash sent with it', { txHash: m.body.hash });
        this.resyncs++;
        sim.scenario.afterResync?.(sim, this.resyncs);
        break;
    }
  }
}
