// `pnpm sms` and `pnpm twilio-number` as users run them (the built commands as
// child processes). sms talks to the real app (`node apps/twilio-sms`);
// twilio-number talks to a small local stand-in of Twilio's IncomingPhoneNumbers
// API, because api.twilio.com cannot be reached from tests (the REST contract
// itself is tested against Twilio's OpenAPI served by Prism in packages/twilio-tools).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'cli-test-auth-token-0123456789';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [`${root}scripts/dist/${command}.js`, ...args], { env: { PATH: process.env.PATH, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

describe('pnpm sms', () => {
  let app: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    url = `http://127.0.0.1:${port}`;
    app = spawn(process.execPath, [`${root}apps/twilio-sms`], {
      env: { PATH: process.env.PATH, PORT: String(port), TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: url },
      stdio: 'ignore',
    });
    for (let i = 0; i < 400; i++) {
      try {
        await fetch(`${url}/health/readiness`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    throw new Error('twilio-sms did not start');
  }, 30_000);
  afterAll(() => {
    app?.kill('SIGKILL');
  });

  it('sends a signed webhook and prints the reply', async () => {
    const result = await run('sms', ['Hello Knative', '--url', `${url}/sms`], { TWILIO_AUTH_TOKEN: TOKEN });
    expect(result).toMatchObject({ code: 0, stdout: 'The Knative copy cat says: Hello Knative\n' });
  }, 30_000);

  it('reports a refused signature without printing the token', async () => {
    const result = await run('sms', ['Hi', '--url', `${url}/sms`, '--token', 'wrong-token-value']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sms: .*403/);
    expect(result.stdout + result.stderr).not.toContain('wrong-token-value');
  }, 30_000);

  it('refuses bad input with exit 2 and the usage', async () => {
    const noToken = await run('sms', ['Hi', '--url', `${url}/sms`]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('no auth token');
    const badUrl = await run('sms', ['Hi', '--url', 'not-a-url', '--token', 'x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url must be an absolute URL');
  }, 30_000);
});

describe('pnpm twilio-number', () => {
  const ACCOUNT = `AC${'a'.repeat(32)}`;
  const KEY = `SK${'b'.repeat(32)}`;
  const SECRET = 'cli-test-api-secret';
  const number = { sid: `PN${'c'.repeat(32)}`, phone_number: '+15551234567', sms_url: 'https://old.example.com/sms', sms_method: 'GET', sms_application_sid: '', friendly_name: 'demo' };
  let stub: Server;
  let base: string;
  const env = () => ({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY: KEY, TWILIO_API_SECRET: SECRET, TWILIO_API_BASE_URL: base });

  beforeAll(async () => {
    stub = createServer(async (req, res) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.headers.authorization !== `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`) {
        return json(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      }
      const path = new URL(req.url!, 'http://stub').pathname;
      const prefix = `/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers`;
      if (req.method === 'GET' && path === `${prefix}.json`) {
        return json(200, { incoming_phone_numbers: [number], page: 0, page_size: 50, next_page_uri: null, uri: path });
      }
      if (req.method === 'POST' && path === `${prefix}/${number.sid}.json`) {
        let body = '';
        for await (const chunk of req) body += chunk;
        const form = new URLSearchParams(body);
        number.sms_url = form.get('SmsUrl') ?? number.sms_url;
        number.sms_method = form.get('SmsMethod') ?? number.sms_method;
        return json(200, number);
      }
      return json(404, { code: 20404, message: 'not found', status: 404 });
    }).listen(0, '127.0.0.1');
    await once(stub, 'listening');
    base = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    stub?.close();
  });

  it('points the number at the URL, then says nothing changed', async () => {
    const first = await run('twilio-number', ['--number', '+15551234567', '--url', 'https://twilio-sms.default.example.com/sms'], env());
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('+15551234567');
    expect(first.stdout).toContain('https://old.example.com/sms -> https://twilio-sms.default.example.com/sms');
    const again = await run('twilio-number', ['--number', '+15551234567', '--url', 'https://twilio-sms.default.example.com/sms'], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
  }, 60_000);

  it('reports rejected credentials without printing them', async () => {
    const result = await run('twilio-number', ['--number', '+15551234567', '--url', 'https://x.example.com/sms'], { ...env(), TWILIO_API_SECRET: 'wrong-secret-value' });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain('wrong-secret-value');
    expect(result.stderr).toMatch(/401|Authenticate/);
  }, 60_000);

  it('refuses missing flags and credentials with exit 2', async () => {
    expect((await run('twilio-number', ['--number', '+15551234567'], env())).code).toBe(2);
    const noCredentials = await run('twilio-number', ['--number', '+15551234567', '--url', 'https://x.example.com/sms']);
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain('TWILIO_ACCOUNT_SID');
  }, 60_000);
});
