// Dev mode: bundle the entry (TypeScript included) with esbuild, run it, and
// rebuild + restart on every change. esbuild is an optional peer dependency.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface DevOptions {
  entry: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each line of status; stderr by default. */
  say?: (line: string) => void;
}

export interface DevSession {
  /** Stops watching and stops the running process. */
  stop(): Promise<void>;
}

export async function startDev(options: DevOptions): Promise<DevSession> {
  const say = options.say ?? ((line: string) => process.stderr.write(`[dev] ${line}\n`));
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('dev mode needs esbuild: add it to your devDependencies (pnpm add -D esbuild)');
  }
  // Inside node_modules, so that the bundle's bare imports resolve from the project.
  const outdir = path.join(options.cwd, 'node_modules', '.cache', 'fn-runtime');
  mkdirSync(outdir, { recursive: true });
  const outfile = path.join(outdir, 'dev.mjs');
  let child: ChildProcess | undefined;
  let generation = 0;
  // The old process is gone only when this settles: a second change during its
  // drain must wait too, or the new process finds the port still taken.
  let stopping: Promise<void> = Promise.resolve();

  const stopChild = (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
      stopping = stopping.then(() => exited).finally(() => clearTimeout(timer));
    }
    return stopping;
  };

  const restart = async (): Promise<void> => {
    const mine = ++generation;
    await stopChild();
    if (mine !== generation) return;
    child = spawn(process.execPath, ['--enable-source-maps', outfile], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: 'inherit',
    });
    child.once('exit', (code, signal) => {
      if (signal === null && code !== 0) say(`process exited with code ${code}; waiting for a change`);
    });
  };

  const context = await esbuild.context({
    entryPoints: [path.resolve(options.cwd, options.entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    packages: 'external',
    logLevel: 'silent',
    plugins: [
      {
        name: 'restart',
        setup(build) {
          let first = true;
          build.onEnd((result) => {
            if (result.errors.length > 0) {
              for (const error of result.errors) {
                const where = error.location ? `${error.location.file}:${error.location.line}: ` : '';
                say(`build failed: ${where}${error.text}`);
              }
              return;
            }
            say(first ? `running ${options.entry}` : 'change detected: restarting');
            first = false;
            void restart();
          });
        },
      },
    ],
  });
  await context.watch();
  return {
    async stop() {
      await context.dispose();
      generation++;
      await stopChild();
    },
  };
}
