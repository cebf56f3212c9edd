// Forwards one request to a revision process and streams the answer back: no
// buffering either way, hop-by-hop headers dropped, errors as 502, the
// revision's timeoutSeconds as 504.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { upstreamRequestHeaders, withoutHopByHop } from './forwarding.js';
import { PROBE_HOST } from './probes.js';
import type { Lease } from './revision.js';

export interface ForwardOptions {
  agent: http.Agent;
  revision: string;
  timeoutMs: number;
}

// Only requests without a body can be sent again: theirs was not consumed.
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

export function forward(req: IncomingMessage, res: ServerResponse, lease: Lease, options: ForwardOptions): void {
  const headers = upstreamRequestHeaders(req.headers, req.socket.remoteAddress);
  const canRetry =
    BODYLESS.has(req.method ?? '') && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined;
  let done = false;
  let upstream: http.ClientRequest | undefined;
  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    lease.release();
  };
  const timer = setTimeout(() => {
    upstream?.destroy();
    if (!res.headersSent) {
      sendText(res, 504, `Revision "${options.revision}" did not answer within its timeoutSeconds (${options.timeoutMs / 1000} s).\n`);
    } else {
      res.destroy();
    }
    finish();
  }, options.timeoutMs);
  // A client that hangs up mid-body makes req fail; 'close' below cleans up.
  req.on('error', () => undefined);
  // The client went away: stop the work upstream too.
  res.once('close', () => {
    if (!res.writableFinished) upstream?.destroy();
    finish();
  });

  const send = (attempt: number): void => {
    const request = http.request({
      host: PROBE_HOST,
      port: lease.port,
      method: req.method,
      path: req.url,
      headers,
      agent: options.agent,
    });
    upstream = request;
    request.once('response', (answer) => {
      answer.on('error', () => undefined); // an aborted answer ends in 'close' below
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      answer.pipe(res);
      answer.once('end', finish);
      answer.once('close', () => {
        // The app dropped the connection mid-answer: the client must not take it as complete.
        if (!answer.complete) res.destroy();
        finish();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (done || upstream !== request) return;
      // A kept-alive socket the app closed just as we reused it: try a fresh one once.
      if (attempt === 0 && canRetry && request.reusedSocket && error.code === 'ECONNRESET') {
        send(1);
        return;
      }
      if (!res.headersSent) {
        sendText(res, 502, `Bad gateway: revision "${options.revision}" did not answer: ${error.message}\n`);
      } else {
        res.destroy();
      }
      finish();
    });
    if (canRetry) {
      req.resume();
      request.end();
    } else {
      req.pipe(request);
    }
  };
  send(0);
}

export function sendText(res: ServerResponse, status: number, body: string, extraHeaders: http.OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...extraHeaders,
  });
  res.end(body);
}
