export { runImage, type ImageResult } from './run.js';
export { buildImage, selectPlatforms, appLayerEntries, DEFAULT_BASE, type BuildOptions, type BuiltImage, type PlatformImage } from './build.js';
export { pushImage, blobsToPush, targetReference, type PushOptions, type PushResult, type PushStats } from './push.js';
export { writeOciLayout, writeTarball, layoutFiles, type LocalOutputOptions } from './output.js';
export { renderDockerfile, writeDockerContext } from './dockerfile.js';
export { parseImageArgs, UsageError, USAGE, type ImageCommandOptions, type Output } from './options.js';
export { findApp, findWorkspaceRoot, listApps, type AppSource } from './app.js';
export { bundleApp, collectNodeModules, packageFiles, resolvePackageDir, type Bundle } from './bundle.js';
export { createLayer, sourceDateEpoch, type Layer } from './layer.js';
export { createTar, completeEntries, type TarEntry } from './tar.js';
export {
  appImageConfig,
  appManifest,
  appIndex,
  jsonBlob,
  APP_DIR,
  APP_ENTRY,
  APP_PORT,
  DEFAULT_USER,
  type AppSettings,
  type Blob,
} from './assemble.js';
export { parseReference, formatReference, registryBaseUrl, isLoopbackRegistry, type ImageReference } from './reference.js';
export { parsePlatforms, formatPlatform, platformMatches } from './platform.js';
export { sha256Digest, canonicalJson } from './digest.js';
export { openImageSource, type ImageSource } from './source.js';
export { RegistryClient, type RegistryClientOptions } from './registry/client.js';
export { RegistryError } from './registry/errors.js';
export { parseChallenge, resolveCredentials, credentialsFromDockerConfig, type Credentials } from './registry/auth.js';
export { stderrProgress, formatBlobLine, formatBytes, type ProgressEvent, type ProgressListener } from './progress.js';
export * from './oci.js';
export { readImageRecords, recordImage, IMAGE_RECORDS_FILE } from './records.js';
