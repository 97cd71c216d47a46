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
const ref = s.send('blob_query', { blobs: [{ hash, kind: 'texture', size: big.length }] });
await s.waitFor('blob_need', (m) => m.body.ref === ref);
process.stdout.write('sending\n');
s.sendBlob(hash, big);
await s.waitFor('blob_stored', (m) => m.body.hash === hash, 120_000);
process.stdout.write('stored\n');
await s.close();
