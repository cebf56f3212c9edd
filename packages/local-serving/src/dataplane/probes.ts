// Readiness probes on a process's port, as the kubelet does them: a TCP connect
// (Knative's default) or an HTTP GET that answers 200-399. And picking a free port.
import http from 'node:http';
import net from 'node:net';

export const PROBE_HOST = '127.0.0.1';

/** One TCP probe: true when the port accepts a connection. */
export function tcpProbe(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: PROBE_HOST, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

/** One HTTP GET probe: true on 200-399, like Kubernetes' httpGet. */
export function httpProbe(port: number, path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: PROBE_HOST, port, path, agent: false, timeout: timeoutMs, headers: { 'user-agent': 'kube-probe/1.32' } },
      (response) => {
        response.on('error', () => undefined); // the verdict is already in
        response.resume();
        const status = response.statusCode ?? 0;
        resolve(status >= 200 && status < 400);
      },
    );
    request.once('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** A port nothing listens on right now, on the loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, PROBE_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
