// Upgrade requests (WebSocket and the like) through the ingress: the request goes
// to the process with its Upgrade/Connection headers, a 101 is relayed and the
// two sockets are piped together. The request slot is held until either side
// closes, so containerConcurrency and the autoscaler count the connection.
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { upstreamRequestHeaders, withoutHopByHop } from './forwarding.js';
import { PROBE_HOST } from './probes.js';
import type { Lease } from './revision.js';

export function forwardUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, lease: Lease, revision: string): void {
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    lease.release();
  };
  const headers = upstreamRequestHeaders(req.headers, req.socket.remoteAddress);
  headers.connection = 'Upgrade';
  headers.upgrade = req.headers.upgrade;
  const upstream = http.request({ host: PROBE_HOST, port: lease.port, method: req.method, path: req.url, headers, agent: false });
  client.once('close', () => {
    upstream.destroy();
    finish();
  });
  client.on('error', () => client.destroy());

  upstream.once('upgrade', (answer, socket, upstreamHead) => {
    client.write(responseHead(answer.statusCode ?? 101, answer.statusMessage ?? 'Switching Protocols', answer.rawHeaders));
    if (upstreamHead.length > 0) client.write(upstreamHead);
    if (head.length > 0) socket.write(head);
    socket.pipe(client);
    client.pipe(socket);
    const close = (): void => {
      socket.destroy();
      client.destroy();
      finish();
    };
    socket.once('close', close);
    socket.on('error', close);
    client.once('close', close);
  });

  // The app declined the upgrade: relay its (small) answer and close.
  upstream.once('response', (answer) => {
    answer.on('error', () => client.destroy());
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.once('end', () => {
      const body = Buffer.concat(chunks);
      const kept = withoutHopByHop(answer.headers);
      delete kept['content-length'];
      const raw = Object.entries(kept).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [String(value)]).flatMap((one) => [name, one]),
      );
      raw.push('content-length', String(body.length), 'connection', 'close');
      client.end(Buffer.concat([Buffer.from(responseHead(answer.statusCode ?? 502, answer.statusMessage ?? '', raw)), body]));
      finish();
    });
  });

  upstream.on('error', (error) => {
    if (done) return;
    writeRawResponse(client, 502, `Bad gateway: revision "${revision}" did not answer: ${error.message}\n`);
    finish();
  });
  upstream.end();
}

/** A complete plain-text response on a raw socket (an upgrade request has no ServerResponse). */
export function writeRawResponse(client: Duplex, status: number, body: string): void {
  if (client.destroyed) return;
  const raw = ['content-type', 'text/plain; charset=utf-8', 'content-length', String(Buffer.byteLength(body)), 'connection', 'close'];
  client.end(responseHead(status, http.STATUS_CODES[status] ?? '', raw) + body);
}

function responseHead(status: number, message: string, rawHeaders: readonly string[]): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) head += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return `${head}\r\n`;
}
