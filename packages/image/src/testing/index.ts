// Helpers for tests and benchmarks of image builds on a machine that cannot
// pull images: a locally made Node base, a real docker-registry on loopback,
// and a way to put an OCI layout into a registry.
export { writeTestBase, sharedLibraries, type TestBase, type TestBaseOptions } from './base-image.js';
export { startRegistry, type RegistryOptions, type RunningRegistry, type TokenAuthConfig } from './registry.js';
export { pushLayout } from './push-layout.js';
export { freePort, hasBinary, stopProcess, waitFor, missingComponent } from './processes.js';
