// Fixtures derived from kn's own tests: knative/client pkg/kn/commands/traffic/compute_test.go
// (TestCompute and TestComputeErrMsg; case names kept), with kn's error messages.
import { describe, expect, it } from 'vitest';
import { applyTrafficFlags, TrafficFlagError, type TrafficTarget } from '../src/index.js';

const target = (tag: string, revision: string, percent: number, latest: boolean): TrafficTarget =>
  latest ? { ...(tag ? { tag } : {}), latestRevision: true, percent } : { ...(tag ? { tag } : {}), revisionName: revision, latestRevision: false, percent };
const summary = (traffic: TrafficTarget[]) =>
  traffic.map((t) => `${t.latestRevision ? '@latest' : t.revisionName}|${t.tag ?? ''}|${t.percent}`);

describe('applyTrafficFlags (kn fixture: TestCompute)', () => {
  const cases: { name: string; existing: TrafficTarget[]; flags: Parameters<typeof applyTrafficFlags>[1]; revisions?: string[]; want: string[] }[] = [
    { name: "assign 'latest' tag to @latest revision", existing: [target('', '', 100, true)], flags: { tag: ['@latest=latest'] }, want: ['@latest|latest|100'] },
    { name: 'assign tag to revision', existing: [target('', 'echo-v1', 100, false)], flags: { tag: ['echo-v1=stable'] }, want: ['echo-v1|stable|100'] },
    { name: 're-assign same tag to same revision (unchanged)', existing: [target('current', '', 100, true)], flags: { tag: ['@latest=current'] }, want: ['@latest|current|100'] },
    {
      name: 'split traffic to tags',
      existing: [target('', '', 100, true), target('', 'rev-v1', 0, false)],
      flags: { traffic: ['@latest=10,rev-v1=90'] },
      want: ['@latest||10', 'rev-v1||90'],
    },
    {
      name: "split traffic to tags with '%' suffix",
      existing: [target('', '', 100, true), target('', 'rev-v1', 0, false)],
      flags: { traffic: ['@latest=10%,rev-v1=90%'] },
      want: ['@latest||10', 'rev-v1||90'],
    },
    {
      name: 'add 2 more tagged revisions without giving them traffic portions',
      existing: [target('latest', '', 100, true)],
      flags: { tag: ['echo-v0=stale,echo-v1=old'] },
      want: ['@latest|latest|100', 'echo-v0|stale|0', 'echo-v1|old|0'],
    },
    {
      name: 'set 2% traffic to latest revision by appending it in traffic block',
      existing: [target('latest', 'echo-v1', 100, false)],
      flags: { traffic: ['@latest=2,echo-v1=98'] },
      want: ['echo-v1|latest|98', '@latest||2'],
    },
    {
      name: 'set 2% to @latest with tag (append it in traffic block)',
      existing: [target('latest', 'echo-v1', 100, false)],
      flags: { traffic: ['@latest=2,echo-v1=98'], tag: ['@latest=testing'] },
      want: ['echo-v1|latest|98', '@latest|testing|2'],
    },
    {
      name: 'change traffic percent of an existing revision in traffic block, add new revision with traffic share',
      existing: [target('v1', 'echo-v1', 100, false)],
      flags: { tag: ['echo-v2=v2'], traffic: ['v1=10,v2=90'] },
      want: ['echo-v1|v1|10', 'echo-v2|v2|90'],
    },
    { name: "untag 'latest' tag from 'echo-v1' revision", existing: [target('latest', 'echo-v1', 100, false)], flags: { untag: ['latest'] }, want: ['echo-v1||100'] },
    {
      name: "replace revision pointing to 'latest' tag from 'echo-v1' to 'echo-v2' revision",
      existing: [target('latest', 'echo-v1', 50, false), target('', 'echo-v2', 50, false)],
      flags: { untag: ['latest'], tag: ['echo-v1=old,echo-v2=latest'] },
      want: ['echo-v1|old|50', 'echo-v2|latest|50'],
    },
    {
      name: 'have multiple tags for a revision, revision present in traffic block',
      existing: [target('latest', 'echo-v1', 50, false), target('', 'echo-v2', 50, false)],
      flags: { tag: ['echo-v1=latest,echo-v1=current'] },
      want: ['echo-v1|latest|50', 'echo-v2||50', 'echo-v1|current|0'],
    },
    {
      name: "assign echo-v1 10% traffic adjusting rest to @latest, echo-v1 isn't present in existing traffic block",
      existing: [target('', '', 100, true)],
      flags: { traffic: ['echo-v1=10,@latest=90'] },
      want: ['@latest||90', 'echo-v1||10'],
    },
    {
      name: 'traffic split with sum < 100 should work for n-1 revisions (the remainder rule)',
      existing: [target('', 'rev-00001', 0, false), target('', 'rev-00002', 0, false), target('', 'rev-00003', 100, false)],
      flags: { traffic: ['rev-00001=10,rev-00002=10'] },
      revisions: ['rev-00001', 'rev-00002', 'rev-00003'],
      want: ['rev-00001||10', 'rev-00002||10', 'rev-00003||80'],
    },
  ];
  it.each(cases)('$name', ({ existing, flags, revisions, want }) => {
    expect(summary(applyTrafficFlags(existing, flags, revisions ?? [], { serviceName: 'serviceName' }))).toEqual(want);
  });

  it('drops untagged targets left at 0%, keeps tagged ones', () => {
    const out = applyTrafficFlags([target('', 'a-1', 50, false), target('old', 'a-2', 50, false), target('', '', 0, true)], { traffic: ['a-1=100'] }, [
      'a-1',
      'a-2',
    ]);
    expect(summary(out)).toEqual(['a-1||100', 'a-2|old|0']);
  });

  it('tries a ref as a tag before a revision name', () => {
    // Revision "current" exists in the block, but tag "current" names another target.
    const out = applyTrafficFlags([target('', 'current', 50, false), target('current', 'other', 50, false)], { traffic: ['current=100'] });
    expect(summary(out)).toEqual(['other|current|100']);
  });

  it('the tutorial split: pin to 00001 as current, then 80/20 with a candidate', () => {
    const pinned = applyTrafficFlags([target('', '', 100, true)], { tag: ['helloworld-00001=current,@latest=latest'], traffic: ['current=100'] });
    expect(summary(pinned)).toEqual(['@latest|latest|0', 'helloworld-00001|current|100']);
    const split = applyTrafficFlags(pinned, { tag: ['helloworld-00003=candidate'], traffic: ['current=80,candidate=20'] });
    expect(summary(split)).toEqual(['@latest|latest|0', 'helloworld-00001|current|80', 'helloworld-00003|candidate|20']);
  });
});

describe('applyTrafficFlags errors (kn fixture: TestComputeErrMsg)', () => {
  const cases: { name: string; existing: TrafficTarget[]; flags: Parameters<typeof applyTrafficFlags>[1]; revisions?: string[]; error: string }[] = [
    { name: 'invalid format for --traffic option', existing: [target('', '', 100, true)], flags: { traffic: ['@latest=100=latest'] }, error: 'expecting the value format in value1=value2, given @latest=100=latest' },
    { name: 'invalid format for --tag option', existing: [target('', '', 100, true)], flags: { tag: ['@latest='] }, error: 'expecting the value format in value1=value2, given @latest=' },
    { name: 'repeatedly splitting traffic to @latest revision', existing: [target('', '', 100, true)], flags: { traffic: ['@latest=90,@latest=10'] }, error: 'repetition of identifier @latest is not allowed, use only once with --traffic flag' },
    { name: 'repeatedly tagging to @latest revision not allowed', existing: [target('', '', 100, true)], flags: { tag: ['@latest=latest,@latest=2'] }, error: 'repetition of identifier @latest is not allowed, use only once with --tag flag' },
    {
      name: 'overwriting tag not allowed, to @latest from other revision',
      existing: [target('latest', '', 2, true), target('stable', 'echo-v2', 98, false)],
      flags: { tag: ['@latest=stable'] },
      error: "refusing to overwrite existing tag in service, add flag '--untag stable' in command to untag it",
    },
    {
      name: 'overwriting tag of @latest not allowed, existing != requested',
      existing: [target('candidate', '', 100, true)],
      flags: { tag: ['@latest=current'] },
      error: "tag 'candidate' exists on latest ready revision of service, refusing to overwrite existing tag with 'current', add flag '--untag candidate' in command to untag it",
    },
    { name: 'verify error for non integer values given to percent', existing: [target('', '', 100, true)], flags: { traffic: ['@latest=100p'] }, error: 'error converting given 100p to integer value for traffic distribution' },
    { name: 'verify error for traffic sum greater than 100', existing: [target('', '', 100, true)], flags: { traffic: ['@latest=40,echo-v1=70'] }, error: 'given traffic percents sum to 110, want <=100' },
    { name: 'verify error for values out of range given to percent', existing: [target('', '', 100, true)], flags: { traffic: ['@latest=-100'] }, error: 'invalid value for traffic percent -100, expected 0 <= percent <= 100' },
    { name: 'repeatedly splitting traffic to the same revision', existing: [target('', '', 100, true)], flags: { traffic: ['echo-v1=40', 'echo-v1=60'] }, error: 'repetition of revision reference echo-v1 is not allowed, use only once with --traffic flag' },
    { name: 'untag multiple tags that do not exist', existing: [target('latest', 'echo-v1', 100, false)], flags: { untag: ['foo', 'bar'] }, error: 'tag(s) foo, bar not present for any revisions of service serviceName' },
    {
      name: 'traffic split sum < 100 should have N-1 revisions specified',
      existing: [target('', 'rev-00001', 0, false), target('', 'rev-00002', 0, false), target('', 'rev-00003', 100, false)],
      flags: { traffic: ['rev-00001=10'] },
      revisions: ['rev-00001', 'rev-00002', 'rev-00003'],
      error: 'unable to allocate the remaining traffic: 90%. Reason: incorrect number of revisions specified. Only 1 revision should be missing',
    },
  ];
  it.each(cases)('$name', ({ existing, flags, revisions, error }) => {
    const run = () => applyTrafficFlags(existing, flags, revisions ?? [], { serviceName: 'serviceName' });
    expect(run).toThrow(TrafficFlagError);
    expect(run).toThrow(error);
  });
});
