// pnpm sms "<text>" [--url <service url>] [--from <number>] ...
// Sends the service a signed, Twilio-shaped SMS webhook and prints the reply.
import { parseArgs } from 'node:util';
import { DEFAULT_FROM, DEFAULT_SERVICE_URL, DEFAULT_TO, simulateSms, SimulatorError } from '@hands-on-knative/twilio-tools';

const HELP = `usage: pnpm sms "<text>" [options]

Sends a correctly signed incoming-SMS webhook, as Twilio would, and prints the reply.

options:
  --url <url>         the service's /sms URL (default ${DEFAULT_SERVICE_URL})
  --public-url <url>  the URL the service validates signatures against, when it
                      differs from --url (its PUBLIC_BASE_URL + /sms)
  --from <number>     sender (default ${DEFAULT_FROM})
  --to <number>       your Twilio number (default ${DEFAULT_TO})
  --token <token>     auth token to sign with (default: $TWILIO_AUTH_TOKEN; prefer the
                      variable: a flag shows in ps and in your shell history)
  --get               send GET with the parameters in the query, as the original tutorial configured
  --media <url>       attach a picture URL (repeatable)
  -h, --help          this help
`;

function usage(message: string): never {
  process.stderr.write(`sms: ${message}\n\n${HELP}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'public-url': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      token: { type: 'string' },
      get: { type: 'boolean' },
      media: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (positionals.length !== 1) usage('give the message text as one argument, in quotes');
const authToken = values.token ?? process.env.TWILIO_AUTH_TOKEN;
if (!authToken) usage('no auth token: set TWILIO_AUTH_TOKEN (the one the service uses) or pass --token');
for (const flag of ['url', 'public-url'] as const) {
  const value = values[flag];
  if (value !== undefined && !URL.canParse(value)) usage(`--${flag} must be an absolute URL, got "${value}"`);
}

try {
  const result = await simulateSms({
    body: positionals[0]!,
    url: values.url,
    publicUrl: values['public-url'],
    from: values.from,
    to: values.to,
    authToken,
    method: values.get ? 'GET' : 'POST',
    mediaUrls: values.media,
  });
  if (result.messages.length === 0) process.stderr.write('(no reply: the service answered an empty <Response/>)\n');
  for (const message of result.messages) process.stdout.write(`${message}\n`);
} catch (error) {
  if (!(error instanceof SimulatorError)) throw error;
  process.stderr.write(`sms: ${error.message}\n`);
  process.exit(1);
}
