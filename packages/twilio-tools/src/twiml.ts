// Reading the messages out of a TwiML reply, with a real XML parser.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class TwimlError extends Error {
  override name = 'TwimlError';
}

const parser = new XMLParser({
  ignoreAttributes: true,
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'Message' || name === 'Body',
});

type Node = string | { '#text'?: string; Body?: Node[] } | undefined;

/** The text of each `<Message>` (or its `<Body>`), in order; [] for an empty `<Response/>`. */
export function twimlMessages(xml: string): string[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new TwimlError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as { Response?: '' | { Message?: Node[] } };
  if (!('Response' in doc)) throw new TwimlError('not TwiML: the root element is not <Response>');
  const response = doc.Response;
  if (typeof response !== 'object') return [];
  return (response.Message ?? []).map(messageText);
}

function messageText(node: Node): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  if (node.Body) return node.Body.map(messageText).join('');
  return node['#text'] ?? '';
}
