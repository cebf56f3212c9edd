// The parts of @kubernetes/client-node 1.4.0 this package uses, from one module.
// The build bundles this file with esbuild (src/bundle-client.mjs): loading
// client-node module by module costs ~830 module loads (~0.3-0.5 s on every
// command); one bundled file costs ~0.1 s. Tests and typechecks use it unbundled.
export { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
