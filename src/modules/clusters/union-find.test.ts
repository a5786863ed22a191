import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UnionFind } from './union-find.js';

/** The components by brute force: repeated relaxation of labels along the edges. */
function components(n: number, edges: [number, number][]): number[] {
  const label = Array.from({ length: n }, (_, i) => i);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [a, b] of edges) {
      const low = Math.min(label[a] as number, label[b] as number);
      if (label[a] !== low || label[b] !== low) {
        label[a] = label[b] = low;
        changed = true;
      }
    }
  }
  return label;
}

test('union-find puts two elements together exactly when a path of unions joins them', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 80 }))),
      ([n, edges]) => {
        const uf = new UnionFind(n);
        for (const [a, b] of edges) uf.union(a, b);
        const expected = components(n, edges);
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) assert.equal(uf.find(a) === uf.find(b), expected[a] === expected[b]);
      },
    ),
  );
});

test('a long chain of unions ends in one set', () => {
  const n = 200_000;
  const uf = new UnionFind(n);
  for (let i = 1; i < n; i++) uf.union(i - 1, i);
  const root = uf.find(0);
  for (let i = 0; i < n; i++) assert.equal(uf.find(i), root);
});
