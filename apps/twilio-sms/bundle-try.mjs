import { build } from 'esbuild';
const r = await build({ entryPoints: ['src/index.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: 'dist/bundle-test.mjs', sourcemap: true, minify: process.argv[2]==='min', metafile: true,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
const m = r.metafile; const by = {};
for (const [f, i] of Object.entries(m.outputs['dist/bundle-test.mjs'].inputs)) { const k = f.replace(/.*node_modules\//,'').split('/').slice(0, f.includes('/@')?2:1).join('/'); by[k]=(by[k]||0)+i.bytesInOutput; }
console.log(Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,25));
