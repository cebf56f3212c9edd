// Names and hosts as Knative derives them.
import { createHash } from 'node:crypto';

/** Knative's default domain when none is configured (config-domain). */
export const DEFAULT_DOMAIN = 'example.com';
/** The cluster-local suffix of address.url (config-network). */
export const CLUSTER_LOCAL_DOMAIN = 'svc.cluster.local';

const LONGEST = 63;
const MD5_HEX_LEN = 32;

/**
 * kmeta.ChildName (knative.dev/pkg kmeta/names.go): parent + suffix, hashing the
 * parent when the result would exceed 63 characters.
 */
export function childName(parent: string, suffix: string): string {
  const head = LONGEST - suffix.length;
  if (parent.length <= head) return parent + suffix;
  if (head <= MD5_HEX_LEN) {
    // The suffix leaves no room for a readable parent: hash everything.
    const h = createHash('md5').update(parent + suffix).digest('hex');
    return h.slice(0, LONGEST);
  }
  const h = createHash('md5').update(parent).digest('hex');
  const prefix = parent.slice(0, head - MD5_HEX_LEN).replace(/-+$/, '');
  return prefix + h + suffix;
}

/**
 * The name the Configuration reconciler gives the revision of a generation
 * (knative/serving pkg/reconciler/configuration/resources/revision.go:
 * kmeta.ChildName(config.Name, fmt.Sprintf("-%05d", config.Generation))).
 */
export function revisionNameFor(configName: string, generation: number): string {
  return childName(configName, `-${String(generation).padStart(5, '0')}`);
}

/** {{.Name}}.{{.Namespace}}.{{.Domain}}: Knative's default domain template (config-network). */
export function serviceHost(name: string, namespace: string, domain: string = DEFAULT_DOMAIN): string {
  return `${name}.${namespace}.${domain}`;
}

/** {{.Tag}}-{{.Name}} is the default tag template, placed where {{.Name}} goes in the domain template. */
export function tagHost(tag: string, name: string, namespace: string, domain: string = DEFAULT_DOMAIN): string {
  return serviceHost(`${tag}-${name}`, namespace, domain);
}

/** http is the only scheme without TLS (domains.HTTPScheme). */
export function httpUrl(host: string): string {
  return `http://${host}`;
}

/** status.address.url: the cluster-local name of the route. */
export function clusterLocalUrl(name: string, namespace: string, clusterDomain: string = CLUSTER_LOCAL_DOMAIN): string {
  return httpUrl(`${name}.${namespace}.${clusterDomain}`);
}
