// pnpm apply -> Ready for hello world against the local serving, side by side with
// `kubectl apply --server-side` + `kubectl wait --for=condition=Ready` on the same
// local serving; and the start-up cost of the CLI itself (`--help` vs bare node),
// with the modules each command loads (status must not load YAML or image code).
// Run after `pnpm build`: node bench/deploy.bench.mjs   (BENCH_QUICK=1 for fewer rounds)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, rotated, table, verdicts } from './lib.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.env.BENCH_QUICK === '1';
const ROUNDS = quick ? 3 : 7;
const STARTUP_RUNS = quick ? 5 : 15;
const script = (name) => path.join(repoRoot, 'scripts', 'dist', `${name}.js`);
const manifest = path.join(repoRoot, 'manifests', 'helloworld', 'service-v1.yaml');

/** Spawns without blocking this process's event loop (the local serving runs in it). */
function timed(command, args, env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, output }));
  });
}

async function must(command, args, env) {
  const result = await timed(command, args, env);
  if (result.code !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} exited ${result.code}:\n${result.output}`);
  return result;
}

// --- start-up cost: before the local serving starts, so nothing else runs in this process.
function startup(args) {
  const times = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

function modulesLoaded(args, env = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-bench-trace-'));
  const file = path.join(dir, 'modules.txt');
  try {
    const r = spawnSync(process.execPath, ['--import', path.join(repoRoot, 'bench/fixtures/trace-modules/register.mjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env, TRACE_MODULES_FILE: file },
      stdio: 'ignore',
    });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    return [...new Set(readFileSync(file, 'utf8').split('\n').filter((u) => u.startsWith('file:')))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bare = startup(['-e', '0']);
const statusHelp = startup([script('status'), '--help']);
const applyHelp = startup([script('apply'), '--help']);
const helpModules = modulesLoaded([script('status'), '--help']);

// --- apply -> Ready against the local serving.
const { startLocalServing } = await import(path.join(repoRoot, 'packages/local-serving/dist/index.js'));
const temp = mkdtempSync(path.join(os.tmpdir(), 'deploy-bench-'));
mkdirSync(path.join(temp, 'home'));
const serving = await startLocalServing({ stateDir: path.join(temp, 'state'), repoRoot, ingressPort: 0, apiPort: 0, onLog: () => {}, onNotice: () => {} });
const env = { PATH: process.env.PATH, HOME: path.join(temp, 'home'), KUBECONFIG: serving.kubeconfigPath };
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

const contestants = [
  { name: 'pnpm apply (node scripts/dist/apply.js)', run: () => must(process.execPath, [script('apply'), manifest], env) },
];
if (hasKubectl) {
  contestants.push({
    name: 'kubectl apply --server-side + kubectl wait',
    run: async () => {
      const applied = await must('kubectl', ['apply', '--server-side', '-f', manifest], env);
      const waited = await must('kubectl', ['wait', '--for=condition=Ready', 'ksvc/helloworld', '--timeout=120s'], env);
      return { ms: applied.ms + waited.ms };
    },
  });
}

const times = new Map(contestants.map((c) => [c.name, []]));
let statusModules = [];
let statusRun = { ms: NaN };
try {
  // One warm-up each (kubectl caches discovery under HOME; the apps' files get into the page cache).
  for (let round = -1; round < ROUNDS; round++) {
    for (const contestant of rotated(contestants, Math.max(round, 0))) {
      await must(process.execPath, [script('delete'), 'helloworld', '--wait'], env).catch(() => {});
      const { ms } = await contestant.run();
      if (round >= 0) times.get(contestant.name).push(ms);
    }
  }
  const statusTimes = [];
  for (let i = 0; i < ROUNDS; i++) {
    statusRun = await must(process.execPath, [script('status'), 'helloworld'], env);
    statusTimes.push(statusRun.ms);
  }
  statusRun = { ms: median(statusTimes) };
} finally {
  // status's module list needs the serving up but spawnSync would block it: trace asynchronously.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-bench-trace-'));
  const file = path.join(dir, 'modules.txt');
  await must(process.execPath, ['--import', path.join(repoRoot, 'bench/fixtures/trace-modules/register.mjs'), script('status'), 'helloworld'], { ...env, TRACE_MODULES_FILE: file });
  statusModules = [...new Set(readFileSync(file, 'utf8').split('\n').filter((u) => u.startsWith('file:')))];
  rmSync(dir, { recursive: true, force: true });
  await serving.close();
  rmSync(temp, { recursive: true, force: true });
}

const ours = median(times.get(contestants[0].name));
const rows = contestants.map((c) => {
  const m = median(times.get(c.name));
  return [c.name, `${m.toFixed(0)} ms`, `${(m / ours).toFixed(2)}x`, times.get(c.name).map((t) => t.toFixed(0)).join(' ')];
});
console.log(`apply -> Ready, hello world on the local serving (median of ${ROUNDS}; each after a delete --wait)\n`);
console.log(table(['command', 'median', 'vs pnpm apply', 'runs (ms)'], rows));

const pkg = (url) => /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url.replace(`file://${repoRoot}/`, '').split('/dist/')[0];
const count = (list, predicate) => list.filter(predicate).length;
// client-node is bundled into packages/deploy/dist/kube.js by the build (one module instead of ~830).
const isClientNode = (u) => u.includes('@kubernetes/client-node') || u.includes('@kubernetes+client-node') || u.endsWith('packages/deploy/dist/kube.js');
const isYaml = (u) => /node_modules\/(\.pnpm\/yaml@[^/]+\/node_modules\/)?yaml\//.test(u);
const isImage = (u) => u.includes('packages/image/') || u.includes('@hands-on-knative/image') || u.includes('/esbuild');
console.log('\nstart-up and modules loaded\n');
console.log(
  table(
    ['what', 'median', 'vs node -e 0', 'modules loaded'],
    [
      ['node -e 0', `${bare.toFixed(0)} ms`, '1.00x', '-'],
      ['status --help', `${statusHelp.toFixed(0)} ms`, `${(statusHelp / bare).toFixed(2)}x`, `${helpModules.length} (client-node: ${count(helpModules, isClientNode)})`],
      ['apply --help', `${applyHelp.toFixed(0)} ms`, `${(applyHelp / bare).toFixed(2)}x`, '-'],
      ['status helloworld (with the cluster)', `${statusRun.ms.toFixed(0)} ms`, `${(statusRun.ms / bare).toFixed(2)}x`, `${statusModules.length}: client-node ${count(statusModules, isClientNode)}, yaml ${count(statusModules, isYaml)}, image/esbuild ${count(statusModules, isImage)}`],
    ],
  ),
);
const ours3p = [...new Set(statusModules.filter((u) => !isClientNode(u)).map(pkg))].sort();
console.log(`\nstatus loads, besides client-node: ${ours3p.join(', ')}`);
console.log('(client-node and its dependencies, js-yaml among them for kubeconfigs, are one bundled module: packages/deploy/dist/kube.js)\n');

const checks = [
  { what: 'status --help start-up vs node -e 0', value: `${(statusHelp / bare).toFixed(2)}x`, ok: statusHelp / bare <= 1.5, target: '<= 1.50x' },
  { what: 'apply --help start-up vs node -e 0', value: `${(applyHelp / bare).toFixed(2)}x`, ok: applyHelp / bare <= 1.5, target: '<= 1.50x' },
  { what: '--help loads no Kubernetes client', value: `${count(helpModules, isClientNode)} modules`, ok: count(helpModules, isClientNode) === 0, target: '0' },
  { what: 'status loads no YAML parser, image or esbuild code', value: `${count(statusModules, isYaml) + count(statusModules, isImage)} modules`, ok: count(statusModules, isYaml) + count(statusModules, isImage) === 0, target: '0' },
];
if (hasKubectl) {
  const theirs = median(times.get(contestants[1].name));
  checks.push({ what: 'pnpm apply -> Ready vs kubectl apply --server-side + wait', value: `${(ours / theirs).toFixed(2)}x`, ok: ours / theirs <= 1.5, target: '<= 1.50x' });
} else {
  console.log('kubectl not found: the side-by-side comparison was skipped');
}
process.exit(verdicts(checks) === 0 ? 0 : 1);
