import { UnionFind } from './union-find.js';

/**
 * Reports grouped by shared keys, in memory: the core of a rebuild and of a split or merge. `links` are
 * (report, key) pairs of correlating keys only; reports without any still form a cluster of their own.
 */
export function reportComponents(reports: readonly number[], links: Iterable<readonly [number, string]>): number[][] {
  const index = new Map<number, number>();
  reports.forEach((id, i) => index.set(id, i));
  const keyIndex = new Map<string, number>();
  const pairs: number[] = [];
  for (const [report, key] of links) {
    const r = index.get(report);
    if (r === undefined) continue;
    let k = keyIndex.get(key);
    if (k === undefined) keyIndex.set(key, (k = reports.length + keyIndex.size));
    pairs.push(r, k);
  }
  const sets = new UnionFind(reports.length + keyIndex.size);
  for (let i = 0; i < pairs.length; i += 2) sets.union(pairs[i] as number, pairs[i + 1] as number);
  const byRoot = new Map<number, number[]>();
  reports.forEach((id, i) => {
    const root = sets.find(i);
    const members = byRoot.get(root);
    if (members === undefined) byRoot.set(root, [id]);
    else members.push(id);
  });
  return [...byRoot.values()];
}

/**
 * A stable id for each component: a cluster's id is the id of one of its reports, so ids never collide.
 * A component keeps the id of the largest earlier cluster whose id-report it holds (a split keeps the id with
 * the part holding that report, a merge keeps the larger cluster's id); a new component takes its lowest
 * report id.
 */
export function componentIds(components: readonly number[][], earlierSize: ReadonlyMap<number, number>): number[] {
  return components.map((members) => {
    let best = -1;
    let bestSize = -1;
    let lowest = Infinity;
    for (const id of members) {
      if (id < lowest) lowest = id;
      const size = earlierSize.get(id);
      if (size !== undefined && (size > bestSize || (size === bestSize && id < best))) {
        best = id;
        bestSize = size;
      }
    }
    return best === -1 ? lowest : best;
  });
}
