// The copycat webhook as an express app: verify Twilio's signature, answer
// each message once, reply with TwiML. The runtime parses the form body (flat
// string fields, as Twilio signs them) and turns thrown HttpErrors into JSON.
import express, { type Express, type Request, type Response } from 'express';
import { HttpError } from '@hands-on-knative/function-runtime';
import '@hands-on-knative/function-runtime/express';
import type { SmsConfig } from './config.js';
import { RecentMessages } from './recent-messages.js';
import { copycatText, twiml, TWIML_CONTENT_TYPE } from './reply.js';
import { isValidSignature, signedUrl } from './signature.js';

export const SMS_PATH = '/sms';

type Fields = Record<string, string | string[]>;

export function createApp(config: SmsConfig, now: () => number = Date.now): Express {
  const recent = new RecentMessages(config.dedupWindowMs, config.dedupMaxEntries, now);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  const answer = (req: Request, res: Response): void => {
    const fields = messageFields(req);
    if (config.signature) verify(req, fields, config.signature.authToken, config.signature.publicBaseUrl);
    const sid = first(fields.MessageSid);
    let text: string | undefined;
    if (sid !== undefined && recent.checkAndRecord(sid)) {
      req.log.info('message already answered: empty reply', { messageSid: sid });
    } else {
      text = copycatText({ body: first(fields.Body), numMedia: Number(first(fields.NumMedia) ?? 0) || 0 });
    }
    // Node's own writeHead: express's res.set/res.send would load mime-types
    // (and build its tables) on the first request, which a cold start pays for.
    const xml = twiml(text);
    res
      .writeHead(200, { 'content-type': TWIML_CONTENT_TYPE, 'content-length': Buffer.byteLength(xml), 'cache-control': 'no-store' })
      .end(xml);
  };

  // One route (app.all would add a layer per HTTP method).
  app
    .route(SMS_PATH)
    .post(answer)
    .get(answer)
    .all(() => {
      throw new HttpError(405, 'Use POST (or GET) for /sms', { headers: { allow: 'GET, HEAD, POST' } });
    });
  return app;
}

/** The parameters Twilio sent: the form body of a POST, the query of a GET. */
function messageFields(req: Request): Fields {
  if (req.method === 'GET' || req.method === 'HEAD') return req.query as Fields;
  // type-is: null when there is no body at all, false for another media type.
  const form = req.is('application/x-www-form-urlencoded');
  if (form === null) return {};
  if (form === false) throw new HttpError(415, 'Twilio webhooks are application/x-www-form-urlencoded');
  return req.body as Fields;
}

function verify(req: Request, fields: Fields, authToken: string, publicBaseUrl: string): void {
  const signature = req.get('x-twilio-signature');
  if (!signature) throw new HttpError(400, 'Missing X-Twilio-Signature header');
  // For GET the parameters are part of the signed URL only.
  const params = req.method === 'POST' ? fields : {};
  if (!isValidSignature(authToken, signature, signedUrl(publicBaseUrl, req.originalUrl), params)) {
    throw new HttpError(403, 'Invalid X-Twilio-Signature');
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
