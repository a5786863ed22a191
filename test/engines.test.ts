import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

// `npm ci` must install on Node 20 without an engine warning: npm warns for every package in the lock file
// whose `engines.node` the running Node does not satisfy, and a package that wants Node 22 may use what
// Node 20 lacks. content-disposition 3 (from @fastify/static) and cookie 2 (from light-my-request) did;
// package.json's overrides pin versions that do not.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface LockPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };

/** Every installed package's `engines.node` range, by its path in the lock file. */
function nodeRanges(): [string, string][] {
  return Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, pkg]): [string, string][] => {
      const range = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      return range === undefined ? [] : [[`${path.replace(/^.*node_modules\//, '')}@${pkg.version}`, range]];
    });
}

describe('engines', () => {
  // The oldest Node 20 package.json admits, and the newest Node 20 there is as far as these tests know.
  const oldest = semver.minVersion(manifest.engines.node)?.version as string;
  const node20 = [oldest, ...(semver.major(process.version) === 20 ? [process.version] : [])];

  it('package.json admits Node 20', () => {
    assert.equal(semver.major(oldest), 20);
  });

  it('no package in the lock file wants a Node that excludes the Node 20 package.json admits', () => {
    const ranges = nodeRanges();
    assert.ok(ranges.length > 50, `only ${ranges.length} packages declare engines: is this the lock file?`);
    const excluding = ranges.filter(([, range]) => node20.some((version) => !semver.satisfies(version, range)));
    assert.deepEqual(excluding, [], `these want another Node than ${node20.join(' and ')}`);
  });
});
