// The blob digest worker (digest-pool.ts starts it): the SHA-256 of every blob being received,
// one update per chunk, so hashing a 100 MB blob never holds the orchestrator's event loop.
// Plain JavaScript with node: imports only, so the same file runs from source and beside a bundle.
// Messages: {op: 'update', id, bytes} (in chunk order), {op: 'digest', id} → {id, hex},
// {op: 'drop', id}.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/** id → the running hash of one blob */
const running = new Map();

parentPort.on('message', (m) => {
  switch (m.op) {
    case 'update': {
      let h = running.get(m.id);
      if (!h) running.set(m.id, (h = createHash('sha256')));
      h.update(m.bytes);
      return;
    }
    case 'digest': {
      const h = running.get(m.id) ?? createHash('sha256');
      running.delete(m.id);
      parentPort.postMessage({ id: m.id, hex: h.digest('hex') });
      return;
    }
    case 'drop':
      running.delete(m.id);
      return;
  }
});
