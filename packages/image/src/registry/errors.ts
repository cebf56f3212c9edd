// Registry failures as one error type whose message says what to do next.

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

interface ErrorBody {
  errors?: Array<{ code?: string; message?: string }>;
}

/** The first `errors[].code: message` of a registry error body, if any. */
export function registryErrorDetail(body: string): { code?: string; text?: string } {
  try {
    const first = (JSON.parse(body) as ErrorBody).errors?.[0];
    if (first) return { ...(first.code ? { code: first.code } : {}), text: [first.code, first.message].filter(Boolean).join(': ') };
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim().slice(0, 200);
  return text ? { text } : {};
}

export interface FailureContext {
  registry: string;
  /** What was being done, e.g. "push manifest to 127.0.0.1:5000/demo/helloworld". */
  action: string;
  status: number;
  body: string;
  /** Extra hint for 401s (e.g. a credential helper that is not used). */
  authNote?: string | undefined;
  hasCredentials: boolean;
}

/** The message for an HTTP failure: status, the registry's own words, the next step. */
export function httpFailure(context: FailureContext): RegistryError {
  const detail = registryErrorDetail(context.body);
  const said = detail.text ? ` (${detail.text})` : '';
  const head = `${context.action} failed: HTTP ${context.status}${said}`;
  let next: string;
  switch (context.status) {
    case 401:
      next = context.hasCredentials
        ? `the credentials for ${context.registry} were rejected: run \`docker login ${context.registry}\` again or fix REGISTRY_USERNAME/REGISTRY_PASSWORD`
        : `${context.registry} needs credentials: run \`docker login ${context.registry}\` or set REGISTRY_USERNAME and REGISTRY_PASSWORD`;
      if (context.authNote) next += ` ${context.authNote}`;
      break;
    case 403:
      next = `the account has no access to this repository: check the namespace in --repo and the account's permissions on ${context.registry}`;
      break;
    case 404:
      next = 'check the image name and tag (for --base, the image must exist in that registry; push it there first)';
      break;
    case 429:
      next = 'the registry is rate limiting: wait, or log in to raise the limit';
      break;
    default:
      next = context.status >= 500 ? `${context.registry} had an internal error: retry later` : 'check the registry address and the reference';
  }
  return new RegistryError(`${head}: ${next}`, context.status, detail.code);
}

/** The message for a connection failure (refused, DNS, TLS to a plain-http server). */
export function networkFailure(registry: string, url: string, error: unknown): RegistryError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  const what = cause?.message ?? (error as Error).message;
  let next = `is the registry running and reachable? Check the address in --repo/--base`;
  if (code === 'ECONNREFUSED') next = `nothing listens there: start the registry, or fix the host:port`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') next = `the host name does not resolve: check the spelling, or the network`;
  if (code === 'EPROTO' || /wrong version number|ssl/i.test(what ?? '')) {
    next = `the registry does not speak https: pass --insecure if it is a plain-http registry you trust`;
  }
  return new RegistryError(`cannot reach ${registry} (${url}): ${code ?? what}: ${next}`, undefined, code);
}
