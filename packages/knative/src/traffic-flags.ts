// kn's traffic flags applied to a Service's spec.traffic, with kn's order, rules and messages
// (knative/client pkg/kn/commands/traffic/compute.go: Compute, verifyInput).
import type { TrafficTarget } from './types.js';

export const LATEST_REF = '@latest';

export interface TrafficFlags {
  /** --untag <tag> */
  untag?: readonly string[];
  /** --tag <revision|@latest>=<tag> */
  tag?: readonly string[];
  /** --traffic <revision|tag|@latest>=<percent>; a bare number means @latest. */
  traffic?: readonly string[];
}

export interface TrafficFlagContext {
  /** For messages: "tag(s) x not present for any revisions of service <name>". */
  serviceName?: string;
  /** The Service's status.latestReadyRevisionName: what @latest means for the remainder rule. */
  latestReadyRevisionName?: string;
  /** True when this update also creates a new revision (then @latest is that new one). */
  mutation?: boolean;
}

/** An input kn would refuse; the message is kn's. */
export class TrafficFlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficFlagError';
  }
}

function splitByEqualSign(pair: string): [string, string] {
  const parts = pair.split('=');
  if (parts.length === 1) return [LATEST_REF, parts[0]!];
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new TrafficFlagError(`expecting the value format in value1=value2, given ${pair}`);
  }
  return [parts[0]!, parts[1]!.replace(/%$/, '')];
}

function repeating(flag: string, name: string): TrafficFlagError {
  const what = name === LATEST_REF ? `identifier ${LATEST_REF}` : `revision reference ${name}`;
  return new TrafficFlagError(`repetition of ${what} is not allowed, use only once with ${flag} flag`);
}

function distributionError(sum: number, reason: 'count' | 'notFound'): TrafficFlagError {
  const why =
    reason === 'count'
      ? 'incorrect number of revisions specified. Only 1 revision should be missing'
      : 'cannot determine the missing revision';
  return new TrafficFlagError(`unable to allocate the remaining traffic: ${100 - sum}%. Reason: ${why}`);
}

const isLatest = (t: TrafficTarget) => t.latestRevision ?? !t.revisionName;

/**
 * Checks the flags and, when the given percents sum below 100, adds `<rev>=<remainder>`
 * for the single revision left unnamed (kn's verifyInput). Returns the traffic flags to apply.
 */
function verifyInput(flags: TrafficFlags, revisions: readonly string[], ctx: TrafficFlagContext): string[] {
  let latestTagged = false;
  for (const each of flags.tag ?? []) {
    const [revision] = splitByEqualSign(each);
    if (revision === LATEST_REF) {
      if (latestTagged) throw repeating('--tag', LATEST_REF);
      latestTagged = true;
    }
  }

  const refs = new Map<string, number>();
  let sum = 0;
  (flags.traffic ?? []).forEach((each, i) => {
    const [ref, percent] = splitByEqualSign(each);
    if (refs.has(ref)) throw repeating('--traffic', ref);
    refs.set(ref, i);
    if (!/^[+-]?\d+$/.test(percent)) {
      throw new TrafficFlagError(`error converting given ${percent} to integer value for traffic distribution`);
    }
    const n = Number(percent);
    if (n < 0 || n > 100) throw new TrafficFlagError(`invalid value for traffic percent ${n}, expected 0 <= percent <= 100`);
    sum += n;
  });
  const traffic = [...(flags.traffic ?? [])];
  if (sum === 100 || traffic.length === 0) return traffic;
  if (sum > 100) throw new TrafficFlagError(`given traffic percents sum to ${sum}, want <=100`);

  const toLatest = refs.has(LATEST_REF);
  const given = traffic.length;
  const existing = revisions.length;
  if (given < existing - 1) throw distributionError(sum, 'count');
  if (given === existing - 1 && toLatest) {
    // @latest names an existing revision unless this update creates a new one.
    if (ctx.mutation) throw distributionError(sum, 'count');
    if (ctx.latestReadyRevisionName) refs.set(ctx.latestReadyRevisionName, 0);
  }
  if (given === existing && toLatest && !ctx.mutation) throw distributionError(sum, 'count');
  const left = revisions.find((name) => !refs.has(name));
  if (left === undefined) throw distributionError(sum, 'notFound');
  traffic.push(`${left}=${100 - sum}`);
  return traffic;
}

/**
 * Applies --untag, then --tag, then --traffic to `current` as kn does; a ref is tried as a tag
 * before a revision name; targets left untagged at 0% are dropped. `revisions` are the names of
 * the Service's revisions (for the remainder rule). Throws TrafficFlagError with kn's messages.
 */
export function applyTrafficFlags(
  current: readonly TrafficTarget[],
  rawFlags: TrafficFlags,
  revisions: readonly string[] = [],
  ctx: TrafficFlagContext = {},
): TrafficTarget[] {
  // kn's flags are string slices: "--traffic a=10,b=90" is two values.
  const split = (values: readonly string[] | undefined) => (values ?? []).flatMap((v) => v.split(','));
  const flags: TrafficFlags = { untag: split(rawFlags.untag), tag: split(rawFlags.tag), traffic: split(rawFlags.traffic) };
  const trafficFlags = verifyInput(flags, revisions, ctx);
  let traffic: TrafficTarget[] = current.map((t) => ({ ...t, latestRevision: isLatest(t), percent: t.percent ?? 0 }));
  const tagPresent = (tag: string) => traffic.some((t) => t.tag === tag);

  const missing: string[] = [];
  for (const tag of flags.untag ?? []) {
    const target = traffic.find((t) => t.tag === tag);
    if (target) delete target.tag;
    else missing.push(tag);
  }
  if (missing.length > 0) {
    throw new TrafficFlagError(`tag(s) ${missing.join(', ')} not present for any revisions of service ${ctx.serviceName ?? ''}`.trimEnd());
  }

  for (const each of flags.tag ?? []) {
    const [revision, tag] = splitByEqualSign(each);
    if (revision === LATEST_REF) {
      const latest = traffic.find((t) => t.latestRevision);
      const existingTag = latest?.tag ?? '';
      if (existingTag === tag) continue;
      if (tagPresent(tag)) {
        throw new TrafficFlagError(`refusing to overwrite existing tag in service, add flag '--untag ${tag}' in command to untag it`);
      }
      if (existingTag !== '') {
        throw new TrafficFlagError(
          `tag '${existingTag}' exists on latest ready revision of service, refusing to overwrite existing tag with '${tag}', ` +
            `add flag '--untag ${existingTag}' in command to untag it`,
        );
      }
      if (latest) latest.tag = tag;
      else traffic.push({ tag, latestRevision: true, percent: 0 });
      continue;
    }
    if (traffic.some((t) => t.tag === tag && t.revisionName === revision)) continue;
    if (tagPresent(tag)) {
      throw new TrafficFlagError(`refusing to overwrite existing tag in service, add flag '--untag ${tag}' in command to untag it`);
    }
    // Tag the first target of that revision if it has no tag; a second tag needs a new target.
    const first = traffic.find((t) => t.revisionName === revision);
    if (first && !first.tag) first.tag = tag;
    else traffic.push({ tag, revisionName: revision, latestRevision: false, percent: 0 });
  }

  if (trafficFlags.length > 0) {
    // What is on the command line is the desired split: everything else goes to 0.
    for (const t of traffic) t.percent = 0;
    for (const each of trafficFlags) {
      const [ref, percentText] = splitByEqualSign(each);
      const percent = Number(percentText);
      if (ref === LATEST_REF) {
        const latest = traffic.find((t) => t.latestRevision);
        if (latest) latest.percent = percent;
        else traffic.push({ latestRevision: true, percent });
        continue;
      }
      const byTag = traffic.find((t) => t.tag === ref);
      if (byTag) {
        byTag.percent = percent;
        continue;
      }
      const byName = traffic.find((t) => t.revisionName === ref);
      if (byName) {
        byName.percent = percent;
        continue;
      }
      traffic.push({ revisionName: ref, latestRevision: false, percent });
    }
  }
  traffic = traffic.filter((t) => t.tag || t.percent !== 0);
  return traffic;
}
