// The add-on's hand-written RFC 6455 client (vibesync_blender/core/wsclient.py) against the `ws`
// library's server: handshake, masked frames, 16/64-bit lengths, fragmentation, ping, close.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { runPython } from './testing/python.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const closers: (() => void)[] = [];
afterEach(() => {
  while (closers.length) closers.pop()!();
});

function wsServer(): Promise<{ port: number; conn: Promise<{ ws: WebSocket; headers: Record<string, unknown> }> }> {
  return new Promise((resolve) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    closers.push(() => wss.close());
    const conn = new Promise<{ ws: WebSocket; headers: Record<string, unknown> }>((res) =>
      wss.on('connection', (ws, req) => res({ ws, headers: req.headers })),
    );
    wss.on('listening', () => resolve({ port: (wss.address() as AddressInfo).port, conn }));
  });
}

describe('python WebSocket client against the ws server', () => {
  it('exchanges text and binary of every length class, fragmented messages, pings and a close code', async () => {
    const { port, conn } = await wsServer();
    const probe = runPython(['adapters/blender/tests/ws_probe.py', `ws://127.0.0.1:${port}/adapter`]);
    const { ws, headers } = await conn;
    expect(headers['x-probe']).toBe('1');
    const inbox: string[] = [];
    let waiter: (() => void) | null = null;
    ws.on('message', (d, isBinary) => {
      expect(isBinary).toBe(false);
      inbox.push(d.toString());
      waiter?.();
    });
    const next = async () => {
      while (!inbox.length)
        await new Promise<void>((r) => {
          waiter = r;
        });
      return inbox.shift()!;
    };

    expect(await next()).toBe('hello');
    const cases: [Buffer | string, boolean][] = [
      ['small ☀', false],
      ['m'.repeat(300), false],
      ['L'.repeat(70_000), false],
      [Buffer.from([0, 1, 2, 255]), true],
    ];
    for (const [data, binary] of cases) {
      ws.send(data, { binary });
      const bytes = Buffer.from(data);
      expect(await next()).toBe(`echo:${binary ? 'binary' : 'text'}:${bytes.length}:${sha(bytes)}`);
    }
    // a message in three fragments with a ping between them
    const pong = new Promise<Buffer>((r) => ws.once('pong', r));
    ws.send('part1-', { fin: false });
    ws.ping(Buffer.from('are you there'));
    ws.send('part2-', { fin: false });
    ws.send('part3', { fin: true });
    expect((await pong).toString()).toBe('are you there');
    expect(await next()).toBe(`echo:text:17:${sha('part1-part2-part3')}`);
    // the client's own large masked frame (64-bit length)
    ws.send('send-big');
    expect(await next()).toBe('x'.repeat(200_000));

    ws.close(4001, 'bye now');
    const out = await probe;
    expect(JSON.parse(out.stdout.trim().split('\n').pop()!)).toEqual({ event: 'closed', code: 4001, reason: 'bye now' });
  });

  it('refuses a server whose Sec-WebSocket-Accept is wrong', async () => {
    const server: Server = createServer((s) =>
      s.once('data', () =>
        s.end(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n',
        ),
      ),
    );
    closers.push(() => server.close());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const out = await runPython(['adapters/blender/tests/ws_probe.py', `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`]);
    expect(JSON.parse(out.stdout.trim())).toEqual({ event: 'refused', error: 'bad Sec-WebSocket-Accept' });
  });
});
