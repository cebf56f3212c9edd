// A MessageSid seen again within the window (Twilio's retry, or a replay of a
// captured request) gets an empty <Response/>: the user never gets two echoes.
import { twimlMessages } from '@hands-on-knative/twilio-tools';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { RecentMessages } from '../src/recent-messages.js';
import { form, postSigned, PUBLIC_BASE_URL, server, sign, smsFields, testConfig } from './helpers.js';

describe('RecentMessages', () => {
  it('remembers a sid for the window, then forgets it', () => {
    let now = 1_000;
    const recent = new RecentMessages(60_000, 10, () => now);
    expect(recent.checkAndRecord('SM1')).toBe(false);
    now += 59_999;
    expect(recent.checkAndRecord('SM1')).toBe(true);
    now += 1;
    expect(recent.checkAndRecord('SM1')).toBe(false);
  });

  it('keeps memory bounded: the oldest sid goes first', () => {
    const recent = new RecentMessages(60_000, 3, () => 0);
    for (const sid of ['a', 'b', 'c', 'd']) expect(recent.checkAndRecord(sid)).toBe(false);
    expect(recent.size).toBe(3);
    expect(recent.checkAndRecord('d')).toBe(true);
    expect(recent.checkAndRecord('a')).toBe(false); // evicted, so answered again
    for (let i = 0; i < 10_000; i++) recent.checkAndRecord(`flood-${i}`);
    expect(recent.size).toBe(3);
  });

  it('drops expired entries as time passes', () => {
    let now = 0;
    const recent = new RecentMessages(1_000, 1_000, () => now);
    for (let i = 0; i < 500; i++) recent.checkAndRecord(`sid-${i}`);
    now = 2_000;
    recent.checkAndRecord('later');
    expect(recent.size).toBe(1);
  });

  it('remembers nothing with a zero window', () => {
    const recent = new RecentMessages(0, 10, () => 0);
    expect(recent.checkAndRecord('SM1')).toBe(false);
    expect(recent.checkAndRecord('SM1')).toBe(false);
  });
});

describe('the webhook with a repeated MessageSid', () => {
  const post = postSigned;

  it('answers a replay with an empty <Response/> within the window, and again after it', async () => {
    let now = 0;
    const t = server(testConfig({ dedupWindowMs: 10_000 }), () => now);
    const fields = smsFields('only once');
    expect(twimlMessages((await post(t.listener, fields)).text)).toEqual(['The Knative copy cat says: only once']);
    const replay = await post(t.listener, fields);
    expect(replay.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(t.logs.some((line) => line.message.includes('already answered') && line.messageSid === fields.MessageSid)).toBe(true);
    now = 10_000;
    expect(twimlMessages((await post(t.listener, fields)).text)).toHaveLength(1);
  });

  it('does not let a request with a bad signature use up a MessageSid', async () => {
    const t = server();
    const fields = smsFields('real one');
    await request(t.listener).post('/sms').set('x-twilio-signature', 'forged').type('form').send(form(fields)).expect(403);
    expect(twimlMessages((await post(t.listener, fields)).text)).toEqual(['The Knative copy cat says: real one']);
  });

  it('treats a GET replay of a POST-answered message the same way', async () => {
    const t = server();
    const fields = smsFields('either way');
    await post(t.listener, fields);
    const query = form(fields);
    const res = await request(t.listener)
      .get(`/sms?${query}`)
      .set('x-twilio-signature', sign(`${PUBLIC_BASE_URL}/sms?${query}`))
      .expect(200);
    expect(twimlMessages(res.text)).toEqual([]);
  });
});
