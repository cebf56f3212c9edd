// The app as one ESM file plus its source map (esbuild), and the node_modules
// of the few packages that cannot be bundled.
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { AppSource } from './app.js';
import { APP_ENTRY } from './assemble.js';
import { UsageError } from './errors.js';
import type { TarEntry } from './tar.js';

// Bundled CommonJS packages call require() and read __dirname; an ESM file has
// neither, so they are defined once at the top of the bundle.
const ESM_CJS_SHIM = [
  "import { createRequire as __hokCreateRequire } from 'node:module';",
  "import { fileURLToPath as __hokFileURLToPath } from 'node:url';",
  'const require = __hokCreateRequire(import.meta.url);',
  'const __filename = __hokFileURLToPath(import.meta.url);',
  "const __dirname = __hokFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

export interface Bundle {
  /** The files of /app, paths relative to it (index.mjs, index.mjs.map, package.json, node_modules/...). */
  files: Array<Extract<TarEntry, { type: 'file' }>>;
  /** Size of index.mjs in bytes. */
  bundleSize: number;
  warnings: string[];
}

export interface BundleOptions {
  /** Where paths in the source map and comments are relative to (the workspace root). */
  workingDir: string;
  /** Node version esbuild may target: the oldest Node the project supports. */
  target?: string;
}

export async function bundleApp(app: AppSource, options: BundleOptions): Promise<Bundle> {
  // Nothing is written (write: false); placing the bundle in the app folder makes the
  // source map's paths read src/… from /app, as in the repository.
  const outfile = path.join(app.dir, APP_ENTRY);
  const externalHint = `add "image": { "external": ["<package>"] } to apps/${app.name}/package.json to ship it as node_modules`;
  let result;
  try {
    result = await build({
    entryPoints: [app.entry],
    absWorkingDir: options.workingDir,
    outfile,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: options.target ?? 'node20',
    minify: true,
    keepNames: true, // express and error messages read function names
    sourcemap: 'linked',
    sourcesContent: false, // stack traces need positions, not a second copy of the sources
    legalComments: 'eof',
    external: app.external.flatMap((name) => [name, `${name}/*`]),
    banner: { js: ESM_CJS_SHIM },
    metafile: true,
    logLevel: 'silent',
  });
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors?.[0];
    if (!first) throw error;
    const where = first.location ? ` (${first.location.file}:${first.location.line})` : '';
    const hint = /\.node\b/.test(first.text) ? `: a native addon cannot be bundled; ${externalHint}` : '';
    throw new UsageError(`esbuild cannot bundle apps/${app.name}: ${first.text}${where}${hint}`);
  }
  const native = nativePackages(Object.keys(result.metafile.inputs), options.workingDir);
  if (native.length > 0) {
    throw new UsageError(
      `apps/${app.name} bundles ${native.join(', ')}, which load${native.length === 1 ? 's' : ''} a native addon at run time: ` +
        externalHint.replace('<package>', native.join('", "')),
    );
  }
  const files: Bundle['files'] = [];
  let bundleSize = 0;
  for (const output of result.outputFiles) {
    const name = path.basename(output.path);
    files.push({ type: 'file', path: name, content: output.contents });
    if (name === APP_ENTRY) bundleSize = output.contents.length;
  }
  const modules = collectNodeModules(app.dir, app.external, app.name);
  const manifest = {
    name: app.packageJson.name ?? app.name,
    version: app.packageJson.version ?? '0.0.0',
    private: true,
    type: 'module',
    main: APP_ENTRY,
    dependencies: Object.fromEntries(modules.roots.map((root) => [root.name, root.version])),
  };
  files.push({ type: 'file', path: 'package.json', content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) });
  files.push(...modules.files);
  return { files, bundleSize, warnings: result.warnings.map((warning) => warning.text) };
}

/**
 * Bundled packages that load compiled `.node` files at run time (through
 * `bindings` or `node-gyp-build`, which esbuild cannot see): they must ship
 * as node_modules instead.
 */
export function nativePackages(inputs: readonly string[], workingDir: string): string[] {
  const found = new Set<string>();
  const checked = new Map<string, boolean>();
  for (const input of inputs) {
    const normalized = input.replace(/\\/g, '/');
    const at = normalized.lastIndexOf('node_modules/');
    if (at === -1) continue;
    const parts = normalized.slice(at + 'node_modules/'.length).split('/');
    const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    if (!name) continue;
    const dir = path.resolve(workingDir, normalized.slice(0, at), 'node_modules', name);
    if (!checked.has(dir)) {
      checked.set(dir, ['binding.gyp', 'prebuilds', path.join('build', 'Release')].some((entry) => existsSync(path.join(dir, entry))));
    }
    if (checked.get(dir)) found.add(name);
  }
  return [...found].sort();
}

export interface ResolvedPackage {
  name: string;
  version: string;
  dir: string;
}

/** Finds `name` from `fromDir` the way Node does: node_modules folders upward, through pnpm's symlinks. */
export function resolvePackageDir(name: string, fromDir: string): ResolvedPackage | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      const real = realpathSync(candidate);
      const pkg = JSON.parse(readFileSync(path.join(real, 'package.json'), 'utf8')) as { version?: string };
      return { name, version: pkg.version ?? '0.0.0', dir: real };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Packages and their production dependencies, resolved from `fromDir` and laid
 * out as a flat node_modules (pnpm symlinks dereferenced); a second version of
 * a name nests under the package that needs it. Used for the externals of the
 * app layer (and by the benchmark for the naive node_modules image).
 */
export function collectNodeModules(fromDir: string, names: readonly string[], appName = path.basename(fromDir)): { roots: ResolvedPackage[]; files: Bundle['files'] } {
  const files: Bundle['files'] = [];
  const placed = new Map<string, string>(); // layer path -> real dir
  const roots: ResolvedPackage[] = [];
  const place = (pkg: ResolvedPackage, parentPath: string | undefined): void => {
    let target = `node_modules/${pkg.name}`;
    const existing = placed.get(target);
    if (existing === pkg.dir) return;
    if (existing !== undefined && parentPath) target = `${parentPath}/node_modules/${pkg.name}`;
    if (placed.has(target)) return;
    placed.set(target, pkg.dir);
    files.push(...packageFiles(pkg.dir, target));
    const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }).sort()) {
      const resolved = resolvePackageDir(dep, pkg.dir);
      if (resolved) place(resolved, target);
      else if (!manifest.optionalDependencies?.[dep]) throw new Error(`${pkg.name} needs ${dep}, which is not installed: run pnpm install`);
    }
  };
  for (const name of names) {
    const resolved = resolvePackageDir(name, fromDir);
    if (!resolved) throw new Error(`package "${name}" of app ${appName} is not installed: add it to its dependencies and run pnpm install`);
    roots.push(resolved);
    place(resolved, undefined);
  }
  return { roots, files };
}

/** Every file under `dir` (symlinks followed), except node_modules and .git. */
export function packageFiles(dir: string, layerPath: string): Bundle['files'] {
  const files: Bundle['files'] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    const stat = statSync(full); // follows symlinks: the image gets real files
    if (stat.isDirectory()) files.push(...packageFiles(full, `${layerPath}/${entry.name}`));
    else if (stat.isFile()) {
      files.push({ type: 'file', path: `${layerPath}/${entry.name}`, content: readFileSync(full), mode: stat.mode & 0o111 ? 0o755 : 0o644 });
    }
  }
  return files;
}
