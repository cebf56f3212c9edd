// Credentials never reach the terminal: every line we print passes through here.
// Known secrets (the kubeconfig's token or password, registry passwords) are
// replaced wherever they appear, and anything shaped like an Authorization
// header is masked even if we did not know the value.

export const REDACTED = '[redacted]';

const AUTH_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\b(authorization|token|password|client-key-data)(["']?\s*[:=]\s*["']?)[^\s"',}]{8,}/gi,
];

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  out = out.replace(AUTH_PATTERNS[0]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(AUTH_PATTERNS[1]!, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
  return out;
}
