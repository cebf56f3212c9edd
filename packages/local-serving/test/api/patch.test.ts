import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMergePatchForMaps } from '../../src/api/patch.js';

describe('merge patch (RFC 7386)', () => {
  it('merges maps, deletes on null, replaces lists', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({ a: { b: 1, d: 3 }, l: [3] });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { labels: { 'a/b': 'x' } }, list: [1, 2, 3] };
  it('adds, removes, replaces, moves, copies and tests', () => {
    const result = jsonPatch(doc, [
      { op: 'test', path: '/metadata/labels/a~1b', value: 'x' },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'remove', path: '/list/0' },
      { op: 'replace', path: '/metadata/labels/a~1b', value: 'y' },
      { op: 'copy', from: '/metadata/labels/a~1b', path: '/copied' },
      { op: 'move', from: '/copied', path: '/moved' },
    ]);
    expect(result).toEqual({ metadata: { labels: { 'a/b': 'y' } }, list: [2, 3, 4], moved: 'y' });
    expect(doc.list).toEqual([1, 2, 3]);
  });
  it('fails a failed test or a missing path with 422', () => {
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/list/0', value: 9 }])).toThrow(/test operation/);
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(/does not exist/);
  });
});

describe('strategic merge patch for map-only kinds', () => {
  it('drops list-order hints and merges like a merge patch', () => {
    expect(strategicMergePatchForMaps({ data: { a: 'x' } }, { data: { b: 'y' }, '$setElementOrder/x': [] })).toEqual({ data: { a: 'x', b: 'y' } });
  });
  it('refuses other directives', () => {
    expect(() => strategicMergePatchForMaps({}, { $patch: 'replace' })).toThrow(/not supported/);
  });
});
