// pnpm twilio-number --number +15551234567 --url https://<service>/sms
// Points a Twilio number's incoming-SMS webhook at the service (POST).
import { parseArgs } from 'node:util';
import {
  credentialsFromEnv,
  CredentialsError,
  InvalidInputError,
  NumberNotFoundError,
  pointSmsWebhook,
  validateInputs,
} from '@hands-on-knative/twilio-tools';

const HELP = `usage: pnpm twilio-number --number <E.164 number> --url <public https URL of /sms>

Points the number's "A message comes in" webhook at --url with POST, and says
what changed (nothing, when it already points there).

credentials (environment): TWILIO_ACCOUNT_SID with TWILIO_API_KEY and
TWILIO_API_SECRET (recommended), or with TWILIO_AUTH_TOKEN. They are never printed.

options:
  --number <number>   the Twilio number, exactly as in the console, e.g. +15551234567
  --url <url>         the service's public URL, e.g. https://twilio-sms.default.example.com/sms
  -h, --help          this help
`;

function fail(code: 1 | 2, message: string, help = false): never {
  process.stderr.write(`twilio-number: ${message}\n${help ? `\n${HELP}` : ''}`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    options: { number: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  fail(2, (error as Error).message, true);
}
const { values } = parsed;
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (!values.number || !values.url) fail(2, 'both --number and --url are required', true);
const { number, url } = values;

let credentials;
try {
  validateInputs(number, url);
  credentials = credentialsFromEnv(process.env);
} catch (error) {
  if (error instanceof InvalidInputError || error instanceof CredentialsError) fail(2, error.message);
  throw error;
}

// Loaded only now: the REST client costs a few hundred ms to load.
const { createClient, describeRestError, incomingNumbers } = await import('@hands-on-knative/twilio-tools/rest');
const apiBaseUrl = process.env.TWILIO_API_BASE_URL; // for tests against a local server
const api = incomingNumbers(createClient(credentials, { apiBaseUrl }));
try {
  const result = await pointSmsWebhook(api, number, url);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  const label = `${result.number.phoneNumber} (${result.number.sid})`;
  if (result.changes.length === 0) {
    process.stdout.write(`${label} already sends incoming SMS to POST ${url}: nothing changed\n`);
  } else {
    process.stdout.write(`${label} updated:\n`);
    for (const change of result.changes) process.stdout.write(`  ${change.field}: ${change.from ?? '(none)'} -> ${change.to}\n`);
  }
} catch (error) {
  if (error instanceof NumberNotFoundError) fail(1, error.message);
  fail(1, describeRestError(error, credentials));
}
