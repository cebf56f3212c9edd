// The ingress: one HTTP port, routes by Host to a revision picked by the
// traffic split, holds requests while the revision has no free process (the
// activator), then proxies. close() stops accepting and waits for in-flight requests.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, sendText } from './proxy.js';
import type { Revision } from './revision.js';
import { RevisionUnavailable } from './revision.js';
import { normalizeHost, pickTarget, unknownHostMessage, type RouteTable } from './routing.js';

export interface IngressDeps {
  routes(): RouteTable;
  revision(namespace: string, name: string): Revision | undefined;
  random(): number;
}

export class Ingress {
  private readonly server: http.Server;
  // Kept-alive connections to the revision processes; concurrency is limited by the leases.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
  private inflight = 0;
  private closing = false;
  private onIdle: (() => void) | undefined;
  port = 0;

  constructor(private readonly deps: IngressDeps) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // Each revision has its own timeoutSeconds; Node's 300 s default must not cut them first.
    this.server.requestTimeout = 0;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
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

  /** Closes what is left: connections and the agent's sockets. */
  destroy(): void {
    this.server.closeAllConnections();
    this.agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.closing) {
      sendText(res, 503, 'The local serving is shutting down.\n', { connection: 'close' });
      return;
    }
    const host = normalizeHost(req.headers.host);
    const table = this.deps.routes();
    const route = table.lookup(host);
    if (!route) {
      sendText(res, 404, unknownHostMessage(host, table.hosts(), this.port));
      return;
    }
    const target = pickTarget(route.targets, this.deps.random());
    const revision = target ? this.deps.revision(route.namespace, target.revision) : undefined;
    if (!target || !revision) {
      const what = target ? `revision "${target.revision}" is not known to the data plane yet` : 'the route has no traffic targets';
      sendText(res, 503, `Service "${route.service}" in namespace "${route.namespace}" cannot answer: ${what}.\n`);
      return;
    }
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
