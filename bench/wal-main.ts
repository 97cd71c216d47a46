// `node --import tsx bench/wal-main.ts`: the WAL figures alone, one JSON line each.
import { benchWal } from './wal.js';

for (const f of await benchWal()) console.log(JSON.stringify(f));
