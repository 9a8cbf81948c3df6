import { createServer, type Socket } from 'node:net';

/**
 * A stand-in server speaking just enough RESP2 for connection tests: each command (an array of bulk strings) gets
 * what `answer` returns — a string as a bulk string, an array of strings as an array, null as a null bulk, or a
 * `{ status }` line (`+OK`). Unknown commands get +OK, which node-redis' connection handshake is content with.
 */
export async function fakeResp(
  answer: (command: string[]) => string | string[] | null | { status: string } | undefined,
): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const encode = (v: ReturnType<typeof answer>): string => {
    if (v === undefined) return '+OK\r\n';
    if (v === null) return '$-1\r\n';
    if (typeof v === 'string') return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
    if (Array.isArray(v)) return `*${v.length}\r\n${v.map((x) => encode(x)).join('')}`;
    return `+${v.status}\r\n`;
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = '';
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (;;) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (!m) return;
        let at = m[0].length;
        const parts: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const b = /^\$(\d+)\r\n/.exec(buf.slice(at));
          if (!b || buf.length < at + b[0].length + Number(b[1]) + 2) return;
          parts.push(buf.slice(at + b[0].length, at + b[0].length + Number(b[1])));
          at += b[0].length + Number(b[1]) + 2;
        }
        buf = buf.slice(at);
        socket.write(encode(answer(parts)));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
