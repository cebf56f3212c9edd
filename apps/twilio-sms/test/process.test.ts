// The production form, `node apps/twilio-sms` after the build, as a container runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateSms, SimulatorError } from '@hands-on-knative/twilio-tools';
import { afterEach, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'process-test-token-5f3a9c2e7d';
const PUBLIC = 'https://twilio-sms.default.example.com';
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  /** Resolves the port once the app logs that it listens. */
  ready: () => Promise<number>;
}

function spawnApp(env: Record<string, string>, args: string[] = [appDir]): Started {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, PORT: '0', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    output: () => ({ stdout, stderr }),
    async ready() {
      const since = Date.now();
      for (;;) {
        const match = /listening on port (\d+)/.exec(stdout);
        if (match) return Number(match[1]);
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stdout}${stderr}`);
        if (Date.now() - since > 20_000) throw new Error(`no listening line: ${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

describe('node apps/twilio-sms', () => {
  it('refuses to start without TWILIO_AUTH_TOKEN: one clear line, exit 1', async () => {
    const app = spawnApp({ PUBLIC_BASE_URL: PUBLIC });
    expect(await exitOf(app.child)).toBe(1);
    const { stdout, stderr } = app.output();
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      severity: 'CRITICAL',
      message: expect.stringMatching(/^Configuration error: TWILIO_AUTH_TOKEN is required/),
    });
    expect(stderr).toBe('');
  });

  it('starts with validation switched off only explicitly, and says so loudly', async () => {
    const app = spawnApp({ TWILIO_SIGNATURE_VALIDATION: 'off' });
    const port = await app.ready();
    await expect.poll(() => app.output().stdout).toMatch(/"severity":"WARNING".*NOT checked for a Twilio signature/);
    const res = await fetch(`http://127.0.0.1:${port}/sms?Body=hi`);
    expect(await res.text()).toContain('The Knative copy cat says: hi');
    app.child.kill('SIGTERM');
    expect(await exitOf(app.child)).toBe(0);
  });

  it('answers the simulator, refuses forgeries, and never prints the token, even on errors', async () => {
    const app = spawnApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: PUBLIC, LOG_LEVEL: 'debug', LOG_REQUESTS: 'true' });
    const port = await app.ready();
    const url = `http://127.0.0.1:${port}/sms`;
    const publicUrl = `${PUBLIC}/sms`;

    const reply = await simulateSms({ url, publicUrl, authToken: TOKEN, body: 'Hello from the test' });
    expect(reply.messages).toEqual(['The Knative copy cat says: Hello from the test']);
    const get = await simulateSms({ url, publicUrl, authToken: TOKEN, body: 'by GET', method: 'GET' });
    expect(get.messages).toEqual(['The Knative copy cat says: by GET']);

    // Errors of every kind: wrong token, no signature, wrong URL signed, bad body type, bad method.
    await expect(simulateSms({ url, publicUrl, authToken: 'not-the-token', body: 'forged' })).rejects.toThrow(/403 Forbidden: Invalid X-Twilio-Signature/);
    await expect(simulateSms({ url, authToken: TOKEN, body: 'signed for the internal URL' })).rejects.toThrow(SimulatorError);
    expect((await fetch(url, { method: 'POST', body: new URLSearchParams({ Body: 'x' }) })).status).toBe(400);
    const json = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': 'x' }, body: `{"t":"${TOKEN}"}` });
    expect(json.status).toBe(415);
    expect(await json.text()).not.toContain(TOKEN);
    const probe = await fetch(`http://127.0.0.1:${port}/${TOKEN}`);
    expect(probe.status).toBe(404);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);

    app.child.kill('SIGTERM');
    expect(await exitOf(app.child)).toBe(0);
    const { stdout, stderr } = app.output();
    expect(stdout).toContain('[REDACTED]'); // the 404 path was logged, with the token masked
    expect(stdout).toContain('"status":403');
    expect(stdout).not.toContain(TOKEN);
    expect(stderr).not.toContain(TOKEN);
  });

  it('keeps the token out of start-up errors too', async () => {
    const envs: Record<string, string>[] = [
      { TWILIO_AUTH_TOKEN: TOKEN },
      { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: 'not a url' },
      { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: PUBLIC, SMS_DEDUP_MAX_ENTRIES: TOKEN },
    ];
    for (const env of envs) {
      const app = spawnApp(env);
      expect(await exitOf(app.child)).toBe(1);
      const { stdout, stderr } = app.output();
      expect(stdout).toMatch(/"severity":"CRITICAL","time":"[^"]+","message":"Configuration error: /);
      expect(stdout + stderr).not.toContain(TOKEN);
    }
  });
});

describe('what the app loads', () => {
  it('loads the two twilio modules it needs and never the REST client', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'twilio-sms-modules-'));
    try {
      const out = path.join(dir, 'modules.json');
      // The unbundled build, so that every CommonJS module shows in require.cache.
      const app = spawnApp(
        { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: PUBLIC, RECORD_MODULES_TO: out },
        ['--require', fileURLToPath(new URL('fixtures/record-modules.cjs', import.meta.url)), path.join(appDir, 'dist/index.js')],
      );
      const port = await app.ready();
      const reply = await simulateSms({ url: `http://127.0.0.1:${port}/sms`, publicUrl: `${PUBLIC}/sms`, authToken: TOKEN, body: 'modules' });
      expect(reply.messages).toHaveLength(1);
      app.child.kill('SIGTERM');
      expect(await exitOf(app.child)).toBe(0);
      const twilioModules = (JSON.parse(readFileSync(out, 'utf8')) as string[])
        .filter((file) => file.includes(`${path.sep}twilio${path.sep}lib${path.sep}`))
        .map((file) => file.slice(file.lastIndexOf(`${path.sep}twilio${path.sep}lib${path.sep}`) + 1).split(path.sep).join('/'));
      expect(twilioModules.sort()).toEqual(['twilio/lib/twiml/MessagingResponse.js', 'twilio/lib/twiml/TwiML.js', 'twilio/lib/webhooks/webhooks.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts from the V8 code cache the build made', async () => {
    const probe = spawn(
      process.execPath,
      ['-e', `const l = require(${JSON.stringify(path.join(appDir, 'dist/server.cjs'))}); console.error('rejected=' + l.cacheRejected()); process.exit(0);`],
      { env: { PATH: process.env.PATH, PORT: '0', TWILIO_SIGNATURE_VALIDATION: 'off', LOG_LEVEL: 'error' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    probe.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(probe)).toBe(0);
    expect(stderr.trim()).toBe('rejected=false');
  });

  it('bundles no REST client into the production entry', () => {
    const map = JSON.parse(readFileSync(path.join(appDir, 'dist/app.cjs.map'), 'utf8')) as { sources: string[] };
    const twilioSources = map.sources.filter((source) => source.includes('/twilio/lib/'));
    expect(twilioSources.map((source) => source.slice(source.indexOf('twilio/lib/'))).sort()).toEqual([
      'twilio/lib/twiml/MessagingResponse.js',
      'twilio/lib/twiml/TwiML.js',
      'twilio/lib/webhooks/webhooks.js',
    ]);
    expect(map.sources.filter((source) => /\/(axios|twilio\/lib\/rest)\//.test(source))).toEqual([]);
  });
});
