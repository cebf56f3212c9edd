// The production form: `node apps/helloworld` after the build, as a container runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

async function startApp(env: Record<string, string>): Promise<{ port: number; output: () => string }> {
  child = spawn(process.execPath, [appDir], { env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const started = Date.now();
  while (!/listening on port (\d+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`exited early: ${output}`);
    if (Date.now() - started > 20_000) throw new Error(`no listening line: ${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { port: Number(/listening on port (\d+)/.exec(output)![1]), output: () => output };
}

describe('node apps/helloworld', () => {
  it('answers Hello World! by default and exits 0 on SIGTERM', async () => {
    const { port } = await startApp({});
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Hello World!\n');
    child!.kill('SIGTERM');
    const [code] = await once(child!, 'exit');
    expect(code).toBe(0);
  }, 30_000);

  it('greets TARGET and logs with the Knative revision', async () => {
    const { port, output } = await startApp({ TARGET: 'Knative', K_SERVICE: 'helloworld', K_REVISION: 'helloworld-00001' });
    expect(await (await fetch(`http://127.0.0.1:${port}/any`)).text()).toBe('Hello Knative!\n');
    const line = JSON.parse(output().split('\n')[0]!);
    expect(line).toMatchObject({ severity: 'INFO', service: 'helloworld', revision: 'helloworld-00001' });
  }, 30_000);
});
