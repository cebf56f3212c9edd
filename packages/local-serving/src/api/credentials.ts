// The API's TLS certificate, bearer token and kubeconfig. kubectl sends a
// bearer token only over https, so the server is TLS with a self-signed
// certificate (SAN 127.0.0.1 and localhost) that the kubeconfig trusts.
// Token, key and certificate are kept across restarts of the same state folder
// (a kubeconfig handed out keeps working); `rotate` makes fresh ones.
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface Credentials {
  token: string;
  certificate: string;
  privateKey: string;
}

export interface CredentialFiles {
  kubeconfig: string;
  token: string;
  certificate: string;
  privateKey: string;
}

export const credentialFiles = (stateDir: string): CredentialFiles => ({
  kubeconfig: join(stateDir, 'kubeconfig'),
  token: join(stateDir, 'api-token'),
  certificate: join(stateDir, 'api.crt'),
  privateKey: join(stateDir, 'api.key'),
});

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600); // the mode option only applies to new files
}

function stillValid(certificatePem: string): boolean {
  try {
    const cert = new X509Certificate(certificatePem);
    const dayFromNow = Date.now() + 24 * 3600 * 1000;
    return Date.parse(cert.validTo) > dayFromNow && (cert.checkIP('127.0.0.1') ?? '') === '127.0.0.1';
  } catch {
    return false;
  }
}

/** Loads the state folder's credentials, or makes new ones (new token, key, certificate). */
export async function loadOrCreateCredentials(stateDir: string, options: { rotate?: boolean } = {}): Promise<Credentials> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const files = credentialFiles(stateDir);
  if (!options.rotate && existsSync(files.token) && existsSync(files.certificate) && existsSync(files.privateKey)) {
    const existing = {
      token: readFileSync(files.token, 'utf8').trim(),
      certificate: readFileSync(files.certificate, 'utf8'),
      privateKey: readFileSync(files.privateKey, 'utf8'),
    };
    if (existing.token.length >= 32 && stillValid(existing.certificate)) {
      chmodSync(files.token, 0o600);
      chmodSync(files.privateKey, 0o600);
      return existing;
    }
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'knative-local' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  const credentials = { token: randomBytes(32).toString('base64url'), certificate: pems.cert, privateKey: pems.private };
  writePrivate(files.privateKey, credentials.privateKey);
  writePrivate(files.token, `${credentials.token}\n`);
  writeFileSync(files.certificate, credentials.certificate);
  return credentials;
}

export const KUBECONFIG_NAME = 'knative-local';

/** A kubeconfig with one cluster, user and context named knative-local. */
export function kubeconfigYaml(server: string, credentials: Pick<Credentials, 'token' | 'certificate'>, namespace = 'default'): string {
  const ca = Buffer.from(credentials.certificate).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${KUBECONFIG_NAME}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${KUBECONFIG_NAME}`,
    '  user:',
    `    token: ${credentials.token}`,
    'contexts:',
    `- name: ${KUBECONFIG_NAME}`,
    '  context:',
    `    cluster: ${KUBECONFIG_NAME}`,
    `    user: ${KUBECONFIG_NAME}`,
    `    namespace: ${namespace}`,
    `current-context: ${KUBECONFIG_NAME}`,
    'preferences: {}',
    '',
  ].join('\n');
}

export function writeKubeconfig(path: string, server: string, credentials: Credentials): void {
  writePrivate(path, kubeconfigYaml(server, credentials));
}
