/**
 * A real node:http server on 127.0.0.1 with a free port, for tests that need a peer
 * that misbehaves on purpose (rate limits, hangs, token auth). Closed with every socket.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';

export interface LocalServer {
  /** `127.0.0.1:PORT`, a registry host. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => unknown;

export async function startServer(handler: Handler): Promise<LocalServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks))).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const host = `127.0.0.1:${address.port}`;
  return {
    host,
    url: `http://${host}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bind, note the port, close. */
export async function closedPort(): Promise<string> {
  const s = await startServer(() => undefined);
  await s.close();
  return s.host;
}
