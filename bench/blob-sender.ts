// Child process of bench/blobs.ts: connects as a source and sends one blob of N MiB (ask, then
// send), so the orchestrator's event loop is measured without the sender's work in the same process.
// Usage: node --import tsx bench/blob-sender.ts <url> <token> <MiB>
import { createHash } from 'node:crypto';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';

const [url, token, mib = '100'] = process.argv.slice(2);
const big = meshBlob(Number(mib) * 1024 * 1024);
const hash = createHash('sha256').update(big).digest('hex');
const s = new SimAdapter({ url: url!, token: token!, name: 'sender', roles: ['source'], objects: 1, geometry: false });
await s.connect();
// kind 'mesh': a 100 MiB texture is over maxTextureBytes (64 MiB) and would be refused (RESOURCE_LIMIT).
const ref = s.send('blob_query', { blobs: [{ hash, kind: 'mesh', size: big.length }] });
const need = await s.waitFor('blob_need', (m) => m.body.ref === ref);
if (!need.body.need.includes(hash)) {
  const refusal = s.received.find((m) => m.type === 'error');
  throw new Error(`the orchestrator did not ask for the blob: ${JSON.stringify(refusal?.body ?? need.body)}`);
}
process.stdout.write('sending\n');
s.sendBlob(hash, big);
const refused = s
  .waitFor('error', (m) => m.body.message.includes(hash), 120_000)
  .then((m) => {
    throw new Error(`the blob was refused: ${m.body.code}: ${m.body.message}`);
  });
refused.catch(() => undefined);
await Promise.race([s.waitFor('blob_stored', (m) => m.body.hash === hash, 120_000), refused]);
process.stdout.write('stored\n');
await s.close();
// The refusal watch above holds a 120 s timer: without this the process (and the bench) waited it out.
process.exit(0);

/**
 * A valid mesh blob (docs/protocol.md "Mesh blobs") of about `bytes`: 2,000,000 vertices (the default
 * vertex limit) and as many triangles as fill the rest, so the orchestrator's header check passes.
 */
function meshBlob(bytes: number): Uint8Array {
  const V = 2_000_000;
  const F = Math.max(1, Math.floor((bytes - 20 - 12 * V) / 20)); // per triangle: size, slot, 3 corners
  const C = 3 * F;
  const out = new Uint8Array(20 + 4 * (3 * V + 2 * F + C));
  const dv = new DataView(out.buffer);
  out.set([0x56, 0x53, 0x4d, 0x31]); // "VSM1"
  dv.setUint32(4, V, true);
  dv.setUint32(8, F, true);
  dv.setUint32(12, C, true);
  dv.setUint32(16, 0, true);
  let o = 20;
  for (let i = 0; i < 3 * V; i++, o += 4) dv.setInt32(o, (i * 7919) % 100_000, true);
  for (let f = 0; f < F; f++, o += 4) dv.setUint32(o, 3, true);
  o += 4 * F; // slots: 0
  for (let c = 0; c < C; c++, o += 4) dv.setUint32(o, (c * 104_729) % V, true);
  return out;
}
