// What the copycat answers, as TwiML that Twilio accepts. Pure.
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';

export const PREFIX = 'The Knative copy cat says: ';
/** Twilio refuses a message body longer than 1,600 characters. */
export const MAX_MESSAGE_LENGTH = 1600;
/** What is left of the limit for the echo, in code points. */
export const MAX_ECHO_LENGTH = MAX_MESSAGE_LENGTH - [...PREFIX].length;

export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';

// Everything outside XML 1.0's Char production: C0 controls other than tab, LF
// and CR, lone surrogates (the `u` flag sees them as code points), U+FFFE/U+FFFF.
// The TwiML builder throws on these, so they are removed first.
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripXmlIllegal(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

/** The first `max` code points of `text` (never splits a surrogate pair). */
export function truncateCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let units = 0;
  let points = 0;
  for (const char of text) {
    if (points === max) return text.slice(0, units);
    units += char.length;
    points++;
  }
  return text;
}

export interface IncomingSms {
  /** The message text; Twilio sends an empty Body for media-only messages. */
  body: string | undefined;
  /** NumMedia: how many pictures or other attachments came with it. */
  numMedia: number;
}

/** The reply text: the echo, cut to fit one message, or a sensible answer when there is nothing to echo. */
export function copycatText({ body, numMedia }: IncomingSms): string {
  const echo = truncateCodePoints(stripXmlIllegal(body ?? ''), MAX_ECHO_LENGTH);
  if (echo.trim() !== '') return PREFIX + echo;
  if (numMedia > 0) {
    const what = numMedia === 1 ? 'an attachment' : `${numMedia} attachments`;
    return `The Knative copy cat got ${what} but can only copy text. Send some words!`;
  }
  // What the original tutorial echoed for an empty message.
  return `${PREFIX}-`;
}

/** TwiML for one message, or an empty `<Response/>` (Twilio then sends nothing). */
export function twiml(text?: string): string {
  const response = new MessagingResponse();
  if (text !== undefined) response.message(text);
  return response.toString();
}
