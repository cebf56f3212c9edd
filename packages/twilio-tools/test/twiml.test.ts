import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import { describe, expect, it } from 'vitest';
import { twimlMessages, TwimlError } from '../src/twiml.js';

describe('twimlMessages', () => {
  it('reads each <Message>, entities and carriage returns included', () => {
    const response = new MessagingResponse();
    response.message('one & <two> "three" \r\n  spaced  ');
    response.message('second');
    expect(twimlMessages(response.toString())).toEqual(['one & <two> "three" \r\n  spaced  ', 'second']);
  });

  it('reads a <Message> with a <Body> child', () => {
    const response = new MessagingResponse();
    const message = response.message({ to: '+15551230000' }, '');
    message.body('in a body');
    message.media('https://example.com/cat.jpg');
    expect(twimlMessages(response.toString())).toEqual(['in a body']);
  });

  it('is empty for <Response/>', () => {
    expect(twimlMessages('<?xml version="1.0" encoding="UTF-8"?><Response/>')).toEqual([]);
    expect(twimlMessages('<Response></Response>')).toEqual([]);
  });

  it('refuses XML that is not well-formed, or not TwiML', () => {
    expect(() => twimlMessages('<Response><Message>open')).toThrow(TwimlError);
    expect(() => twimlMessages('The Knative copy cat says: hi')).toThrow(TwimlError);
    expect(() => twimlMessages('<html><body>hi</body></html>')).toThrow(/root element is not <Response>/);
  });
});
