// The ingress: one HTTP port, routes by Host to a revision picked by the
// traffic split, holds requests while the revision has no free process (the
// activator), then proxies. close() stops accepting and waits for in-flight requests.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { forward, sendText } from './proxy.js';
import type { Revision } from './revision.js';
import { RevisionUnavailable } from './revision.js';
import { normalizeHost, pickTarget, unknownHostMessage, type RouteTable } from './routing.js';
import { forwardUpgrade, writeRawResponse } from './upgrade.js';

type Routing = { revision: Revision } | { status: number; body: string };

export interface IngressDeps {
  routes(): RouteTable;
  revision(namespace: string, name: string): Revision | undefined;
  random(): number;
  onNotice(message: string): void;
}

export class Ingress {
  private readonly server: http.Server;
  // Kept-alive connections to the revision processes; concurrency is limited by the leases.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
  private inflight = 0;
  private readonly upgraded = new Set<Duplex>();
  private closing = false;
  private onIdle: (() => void) | undefined;
  port = 0;

  constructor(private readonly deps: IngressDeps) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.handleUpgrade(req, socket, head));
    // Each revision has its own timeoutSeconds; Node's 300 s default must not cut them first.
    this.server.requestTimeout = 0;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        const hint = error.code === 'EADDRINUSE' ? ': something else listens there (another local serving?); choose another port' : '';
        reject(Object.assign(new Error(`The ingress cannot listen on ${host}:${port}: ${error.message}${hint}`, { cause: error }), { code: error.code }));
      };
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        // From now on a server error (e.g. out of file descriptors) is reported, not fatal.
        this.server.on('error', (error) => this.deps.onNotice(`ingress error: ${error.message}`));
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** Requests accepted and not yet answered (held or proxied). */
  get inflightRequests(): number {
    return this.inflight;
  }

  /** Stops accepting connections; resolves when in-flight requests are done or the grace is over. */
  async stopAccepting(graceMs: number): Promise<number> {
    this.closing = true;
    // Upgraded connections (WebSockets) have no end to wait for.
    for (const socket of this.upgraded) socket.destroy();
    this.server.close();
    this.server.closeIdleConnections();
    const pending = this.inflight;
    if (this.inflight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.onIdle = resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    return pending;
  }

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const routing = this.route(req);
    if (!('revision' in routing)) {
      writeRawResponse(socket, routing.status, routing.body);
      return;
    }
    this.upgraded.add(socket);
    const clientGone = new AbortController();
    socket.once('close', () => {
      clientGone.abort();
      this.upgraded.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    try {
      const lease = await routing.revision.acquire(clientGone.signal);
      if (socket.destroyed) lease.release();
      else forwardUpgrade(req, socket, head, lease, routing.revision.spec.name);
    } catch (error) {
      writeRawResponse(socket, error instanceof RevisionUnavailable ? error.status : 503, `${(error as Error).message}\n`);
    }
  }

  /** Closes what is left: connections and the agent's sockets. */
  destroy(): void {
    this.server.closeAllConnections();
    this.agent.destroy();
  }

  /** Host -> route -> a revision picked by the traffic split, or the answer to give instead. */
  private route(req: IncomingMessage): Routing {
    if (this.closing) return { status: 503, body: 'The local serving is shutting down.\n' };
    const host = normalizeHost(req.headers.host);
    const table = this.deps.routes();
    const route = table.lookup(host);
    if (!route) return { status: 404, body: unknownHostMessage(host, table.hosts(), this.port) };
    const target = pickTarget(route.targets, this.deps.random());
    const revision = target ? this.deps.revision(route.namespace, target.revision) : undefined;
    if (revision) return { revision };
    const what = target ? `revision "${target.revision}" is not known to the data plane yet` : 'the route has no traffic targets';
    return { status: 503, body: `Service "${route.service}" in namespace "${route.namespace}" cannot answer: ${what}.\n` };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const routing = this.route(req);
    if (!('revision' in routing)) {
      sendText(res, routing.status, routing.body, this.closing ? { connection: 'close' } : {});
      return;
    }
    const { revision } = routing;
    this.inflight++;
    const clientGone = new AbortController();
    res.once('close', () => {
      clientGone.abort();
      this.inflight--;
      if (this.inflight === 0) this.onIdle?.();
    });
    let lease;
    try {
      lease = await revision.acquire(clientGone.signal);
    } catch (error) {
      const status = error instanceof RevisionUnavailable ? error.status : 503;
      sendText(res, status, `${(error as Error).message}\n`);
      return;
    }
    if (res.destroyed || res.writableEnded) {
      lease.release(); // the client gave up while the request was held
      return;
    }
    forward(req, res, lease, {
      agent: this.agent,
      revision: revision.spec.name,
      timeoutMs: revision.timeoutMs,
    });
  }
}
