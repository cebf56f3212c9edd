// The reply: TwiML that Twilio accepts, whatever the message holds.
import { twimlMessages } from '@hands-on-knative/twilio-tools';
import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { copycatText, MAX_ECHO_LENGTH, MAX_MESSAGE_LENGTH, PREFIX, stripXmlIllegal, truncateCodePoints, twiml } from '../src/reply.js';
import { form, postSigned, PUBLIC_BASE_URL, server, sign, smsFields } from './helpers.js';

const XML_ILLEGAL_SAMPLES = ['\u0000', '\u0008', '\u000B', '\u000C', '\u001F', '\uDFFF', '\uD800', '\uFFFE', '\uFFFF'];

/** Strings of any code points, lone surrogates and XML-illegal controls included. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 2_000 }),
  fc.string({ unit: fc.constantFrom(...XML_ILLEGAL_SAMPLES, 'a', '&', '<', '>', '"', "'", '\r', '\n', '\t', ' ', ']]>', '😀', '👩‍👩‍👧'), maxLength: 2_000 }),
  fc.string({ unit: 'grapheme', minLength: 1_500, maxLength: 1_700 }),
);

function expectedReply(body: string): string {
  const stripped = stripXmlIllegal(body);
  return stripped.trim() === '' ? `${PREFIX}-` : PREFIX + [...stripped].slice(0, MAX_ECHO_LENGTH).join('');
}

describe('the reply', () => {
  it('is well-formed TwiML that parses back to the stripped, truncated input (property, 5,000 bodies)', () => {
    fc.assert(
      fc.property(anyText, (body) => {
        const xml = twiml(copycatText({ body, numMedia: 0 }));
        const messages = twimlMessages(xml); // fast-xml-parser: validates, then parses
        expect(messages).toEqual([expectedReply(body)]);
        expect([...messages[0]!].length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      }),
      { numRuns: 5_000 },
    );
  });

  it('strips every character XML 1.0 forbids and keeps the rest', () => {
    expect(stripXmlIllegal(`a${XML_ILLEGAL_SAMPLES.join('')}b\t\n\r😀`)).toBe('ab\t\n\r😀');
    expect(stripXmlIllegal('\uD83D\uDE00\uD83D')).toBe('\uD83D\uDE00'); // a pair stays, a lone high surrogate goes
  });

  it('cuts the echo to 1,573 code points, never inside a surrogate pair', () => {
    expect(MAX_ECHO_LENGTH).toBe(1_573);
    const long = '😀'.repeat(2_000);
    const cut = truncateCodePoints(long, MAX_ECHO_LENGTH);
    expect([...cut].length).toBe(1_573);
    expect(cut.length).toBe(3_146);
    expect([...copycatText({ body: 'x'.repeat(5_000), numMedia: 0 })].length).toBe(1_600);
    expect(copycatText({ body: 'x'.repeat(1_573), numMedia: 0 })).toBe(PREFIX + 'x'.repeat(1_573));
  });

  it('echoes "-" for an empty or missing Body, as the original did', () => {
    expect(copycatText({ body: '', numMedia: 0 })).toBe(`${PREFIX}-`);
    expect(copycatText({ body: undefined, numMedia: 0 })).toBe(`${PREFIX}-`);
    expect(copycatText({ body: ' \n\u0000 ', numMedia: 0 })).toBe(`${PREFIX}-`);
  });

  it('answers a media-only message without an empty <Message>', () => {
    expect(copycatText({ body: '', numMedia: 1 })).toBe('The Knative copy cat got an attachment but can only copy text. Send some words!');
    expect(copycatText({ body: '', numMedia: 3 })).toContain('3 attachments');
    expect(copycatText({ body: 'look', numMedia: 1 })).toBe(`${PREFIX}look`);
  });

  it('is an empty <Response/> when there is nothing to send', () => {
    expect(twiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(twimlMessages(twiml())).toEqual([]);
  });

  it('goes out as text/xml for hostile bodies over HTTP too', async () => {
    const listener = server().listener;
    for (const body of ['<b>&amp;</b>', '\u0000\u0007bell', 'x'.repeat(3_000), '']) {
      const fields = smsFields(body, { NumMedia: '0' });
      const res = await postSigned(listener, fields);
      expect(twimlMessages(res.text)).toEqual([expectedReply(body)]);
    }
  });

  it('answers a signed media-only webhook sensibly', async () => {
    const fields = smsFields('', { NumMedia: '1', MediaUrl0: 'https://example.com/cat.jpg', MediaContentType0: 'image/jpeg' });
    const res = await request(server().listener)
      .post('/sms')
      .set('x-twilio-signature', sign(`${PUBLIC_BASE_URL}/sms`, fields))
      .type('form')
      .send(form(fields))
      .expect(200);
    expect(twimlMessages(res.text)).toEqual(['The Knative copy cat got an attachment but can only copy text. Send some words!']);
  });
});
