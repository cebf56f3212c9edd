import { createServer } from 'node:net';

/** A loopback port that was free a moment ago (for a server started by a test). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A loopback port nothing listens on: connecting to it is refused. */
export const closedPort = freePort;
