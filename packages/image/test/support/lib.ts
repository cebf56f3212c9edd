// The package under test, from its sources (tests do not need a build first).
export * from '../../src/index.js';
export * from '../../src/testing/index.js';
export { digestHex } from '../../src/digest.js';
