import type { Platform } from './oci.js';

/** Parses `linux/amd64`, `linux/arm64/v8`, comma-separated, and `all`. */
export function parsePlatforms(text: string): Platform[] | 'all' {
  if (text.trim() === 'all') return 'all';
  return text.split(',').map((item) => {
    const [os, architecture, variant, extra] = item.trim().split('/');
    if (!os || !architecture || extra !== undefined) {
      throw new Error(`invalid platform "${item.trim()}": write os/arch[/variant], e.g. linux/amd64,linux/arm64`);
    }
    return variant ? { os, architecture, variant } : { os, architecture };
  });
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Whether `candidate` (from a base index) satisfies `wanted`; arm64 without a variant means v8. */
export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  if (wanted.os !== candidate.os || wanted.architecture !== candidate.architecture) return false;
  if (!wanted.variant) return true;
  const normal = (p: Platform) => p.variant ?? (p.architecture === 'arm64' ? 'v8' : undefined);
  return normal(wanted) === normal(candidate);
}
