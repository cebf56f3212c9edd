// Puts an OCI layout's image into a registry with the package's own client
// (the chunked upload path gets exercised by the ~35 MB node layer).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { digestHex } from '../digest.js';
import { isIndexMediaType, type ImageIndex, type ImageManifest } from '../oci.js';
import type { RegistryClient } from '../registry/client.js';

export async function pushLayout(layoutDir: string, client: RegistryClient, repository: string, tag: string): Promise<string> {
  const blob = (digest: string) => readFileSync(path.join(layoutDir, 'blobs', 'sha256', digestHex(digest)));
  const top = (JSON.parse(readFileSync(path.join(layoutDir, 'index.json'), 'utf8')) as ImageIndex).manifests[0]!;
  const pushManifest = async (digest: string, mediaType: string) => {
    const bytes = blob(digest);
    const manifest = JSON.parse(bytes.toString()) as ImageManifest & ImageIndex;
    if (isIndexMediaType(mediaType)) {
      for (const child of manifest.manifests) await pushManifest(child.digest, child.mediaType);
    } else {
      for (const descriptor of [manifest.config, ...manifest.layers]) {
        if (!(await client.blobExists(repository, descriptor.digest))) {
          await client.uploadBlob(repository, descriptor.digest, descriptor.size, blob(descriptor.digest));
        }
      }
    }
    await client.putManifest(repository, digest, bytes, mediaType);
  };
  await pushManifest(top.digest, top.mediaType);
  await client.putManifest(repository, tag, blob(top.digest), top.mediaType);
  return top.digest;
}
