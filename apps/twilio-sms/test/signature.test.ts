// Signature validation, with signatures made by the twilio library itself.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { form, PUBLIC_BASE_URL, server, sign, smsFields, TOKEN } from './helpers.js';

const SMS_URL = `${PUBLIC_BASE_URL}/sms`;
const REPLY = /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>The Knative copy cat says: (.*)<\/Message><\/Response>$/s;

describe('signature validation', () => {
  it('accepts a signed POST and echoes the Body as TwiML', async () => {
    const fields = smsFields('Hello Knative');
    const res = await request(server().listener)
      .post('/sms')
      .set('x-twilio-signature', sign(SMS_URL, fields))
      .type('form')
      .send(form(fields))
      .expect(200)
      .expect('content-type', 'text/xml; charset=utf-8');
    expect(res.text).toMatch(REPLY);
    expect(REPLY.exec(res.text)![1]).toBe('Hello Knative');
  });

  it('accepts a signed GET with the parameters in the query (the original tutorial)', async () => {
    const query = form(smsFields('from a GET'));
    const res = await request(server().listener)
      .get(`/sms?${query}`)
      .set('x-twilio-signature', sign(`${SMS_URL}?${query}`))
      .expect(200);
    expect(REPLY.exec(res.text)![1]).toBe('from a GET');
  });

  it('validates against the public URL behind a TLS-terminating proxy', async () => {
    // The container sees plain http; Knative's ingress passes the external Host
    // and X-Forwarded-Proto. Twilio signed https://<external host>/sms.
    const fields = smsFields('via the ingress');
    for (const host of ['twilio-sms.default.example.com', 'twilio-sms.default.svc.cluster.local']) {
      const res = await request(server().listener)
        .post('/sms')
        .set('host', host)
        .set('x-forwarded-proto', 'https')
        .set('forwarded', `proto=https;host=${host}`)
        .set('x-twilio-signature', sign(SMS_URL, fields))
        .type('form')
        .send(form(fields))
        .expect(200);
      expect(REPLY.exec(res.text)![1]).toBe('via the ingress');
    }
  });

  it('refuses a signature made for the URL the container sees instead of the public one', async () => {
    const fields = smsFields('hi');
    await request(server().listener)
      .post('/sms')
      .set('host', 'internal:8080')
      .set('x-twilio-signature', sign('http://internal:8080/sms', fields))
      .type('form')
      .send(form(fields))
      .expect(403);
  });

  it('refuses a tampered body with 403 and echoes nothing', async () => {
    const fields = smsFields('original text');
    const res = await request(server().listener)
      .post('/sms')
      .set('x-twilio-signature', sign(SMS_URL, fields))
      .type('form')
      .send(form({ ...fields, Body: 'tampered text' }))
      .expect(403)
      .expect('content-type', /application\/json/);
    expect(res.text).not.toContain('tampered');
    expect(res.text).not.toContain('original');
    expect(res.body.error).toMatchObject({ status: 403, message: 'Invalid X-Twilio-Signature' });
  });

  it('refuses a tampered URL (path or query) with 403', async () => {
    const query = form(smsFields('query text'));
    const signature = sign(`${SMS_URL}?${query}`);
    const listener = server().listener;
    await request(listener).get(`/sms?${query.replace('query+text', 'other+text')}`).set('x-twilio-signature', signature).expect(403);
    await request(listener).get(`/sms?${query}&extra=1`).set('x-twilio-signature', signature).expect(403);
    const fields = smsFields('x');
    await request(listener)
      .post('/sms?tenant=a')
      .set('x-twilio-signature', sign(`${SMS_URL}?tenant=b`, fields))
      .type('form')
      .send(form(fields))
      .expect(403);
  });

  it('accepts a signed query string on a POST (signed as part of the URL)', async () => {
    const fields = smsFields('with query');
    await request(server().listener)
      .post('/sms?tenant=a')
      .set('x-twilio-signature', sign(`${SMS_URL}?tenant=a`, fields))
      .type('form')
      .send(form(fields))
      .expect(200);
  });

  it('answers 400 when X-Twilio-Signature is missing, and echoes nothing', async () => {
    const res = await request(server().listener)
      .post('/sms')
      .type('form')
      .send(form(smsFields('no signature here')))
      .expect(400);
    expect(res.body.error.message).toBe('Missing X-Twilio-Signature header');
    expect(res.text).not.toContain('no signature');
    await request(server().listener).get('/sms?Body=hi').expect(400);
  });

  it('accepts extra parameters Twilio may add without notice', async () => {
    const fields = smsFields('more params', {
      FromCity: 'SAN FRANCISCO',
      FromState: 'CA',
      FromZip: '94105',
      ToCity: 'OAKLAND',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME',
      MediaContentType0: 'image/jpeg',
      NumMedia: '1',
      SomethingNew2030: 'value with spaces & symbols ü',
      'Weird[Key]': 'brackets stay flat',
    });
    const res = await request(server().listener)
      .post('/sms')
      .set('x-twilio-signature', sign(SMS_URL, fields))
      .type('form')
      .send(form(fields))
      .expect(200);
    expect(REPLY.exec(res.text)![1]).toBe('more params');
  });

  it('refuses a signature made with another token, and never puts the token in a body or a log line', async () => {
    const fields = smsFields('wrong token');
    const t = server();
    const res = await request(t.listener)
      .post('/sms')
      .set('x-twilio-signature', sign(SMS_URL, fields, 'some-other-token'))
      .type('form')
      .send(form(fields))
      .expect(403);
    expect(res.text).not.toContain(TOKEN);
    expect(t.lines.join('\n')).not.toContain(TOKEN);
    expect(t.logs.some((line) => line.status === 403)).toBe(true);
  });

  it('answers 415 for a body that is not a form, 405 for other methods, and JSON errors only', async () => {
    const t = server();
    await request(t.listener)
      .post('/sms')
      .set('x-twilio-signature', sign(SMS_URL))
      .set('content-type', 'application/json')
      .send('{"Body":"json"}')
      .expect(415)
      .expect('content-type', /application\/json/);
    // Types the runtime leaves unread (bytes, multipart, none given) too: never a 500.
    for (const type of ['application/octet-stream', 'multipart/form-data; boundary=x']) {
      const other = await request(t.listener).post('/sms').set('x-twilio-signature', sign(SMS_URL)).set('content-type', type).send('Body=x');
      expect(other.status).toBe(415);
      expect(other.body.error.message).toBe('Twilio webhooks are application/x-www-form-urlencoded');
    }
    const res = await request(t.listener).put('/sms').expect(405).expect('allow', 'GET, HEAD, POST');
    expect(res.body.error.status).toBe(405);
    await request(t.listener).get('/elsewhere').expect(404).expect('content-type', /application\/json/);
  });
});

describe('with TWILIO_SIGNATURE_VALIDATION=off', () => {
  it('answers unsigned requests', async () => {
    const t = server({ signature: false, dedupWindowMs: 0, dedupMaxEntries: 1 });
    const res = await request(t.listener).get('/sms?Body=unsigned').expect(200);
    expect(REPLY.exec(res.text)![1]).toBe('unsigned');
  });
});
