// Child process of bench/blobs.ts: connects as a source and sends one blob of N MiB (ask, then
// send), so the orchestrator's event loop is measured without the sender's work in the same process.
// Usage: node --import tsx bench/blob-sender.ts <url> <token> <MiB>
import { createHash } from 'node:crypto';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';

const [url, token, mib = '100'] = process.argv.slice(2);
const big = new Uint8Array(Number(mib) * 1024 * 1024);
for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 0xff;
const hash = createHash('sha256').update(big).digest('hex');
const s = new SimAdapter({ url: url!, token: token!, name: 'sender', roles: ['source'], objects: 1, geometry: false });
await s.connect();
// kind 'mesh': a 100 MiB texture is over maxTextureBytes (64 MiB) and would be refused (RESOURCE_LIMIT).
// The bytes do not start with the mesh magic, so no vertex limit applies; the store checks only the hash.
const ref = s.send('blob_query', { blobs: [{ hash, kind: 'mesh', size: big.length }] });
const need = await s.waitFor('blob_need', (m) => m.body.ref === ref);
if (!need.body.need.includes(hash)) {
  const refusal = s.received.find((m) => m.type === 'error');
  throw new Error(`the orchestrator did not ask for the blob: ${JSON.stringify(refusal?.body ?? need.body)}`);
}
process.stdout.write('sending\n');
s.sendBlob(hash, big);
await s.waitFor('blob_stored', (m) => m.body.hash === hash, 120_000);
process.stdout.write('stored\n');
await s.close();
