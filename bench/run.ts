// `npm run bench`: every benchmark, each beside a baseline measured in the same run. The service benchmarks
// build a 1,000,000-entry database first (about 2 minutes); `npm run bench -- indicators` (or `import`, or
// `check`, `clusters`, `web`, `cli`, `partners`, `feeds`, `lists` or `messages`) runs only that group.
import { report } from './harness.js';
import { extractBenchmark, phoneBenchmark, tldtsReference, urlBenchmark } from './indicators.bench.js';
import { cliCheckBenchmarks } from './cli-check.bench.js';
import { clusterBenchmarks } from './clusters.bench.js';
import { checkServiceBenchmarks, importBenchmarks } from './service.bench.js';
import { feedBenchmarks } from './feeds.bench.js';
import { listBenchmarks } from './lists.bench.js';
import { messageBenchmarks } from './messages.bench.js';
import { partnerBenchmarks } from './partners.bench.js';
import { webBenchmarks } from './web.bench.js';

const only = process.argv[2];
console.log(`node ${process.version}, ${new Date().toISOString()}\n`);
const wanted = (group: string): boolean => only === undefined || only === group;
const rows = wanted('indicators') ? [phoneBenchmark(), urlBenchmark(), tldtsReference(), extractBenchmark()] : [];
if (wanted('import')) rows.push(...(await importBenchmarks()));
if (wanted('check')) rows.push(...(await checkServiceBenchmarks()));
if (wanted('clusters')) rows.push(...(await clusterBenchmarks()));
if (wanted('web')) rows.push(...(await webBenchmarks()));
if (wanted('cli')) rows.push(...(await cliCheckBenchmarks()));
if (wanted('partners')) rows.push(...(await partnerBenchmarks()));
if (wanted('feeds')) rows.push(...(await feedBenchmarks()));
if (wanted('lists')) rows.push(...(await listBenchmarks()));
if (wanted('messages')) rows.push(...(await messageBenchmarks()));
const ok = report(rows);
process.exitCode = ok ? 0 : 1;
