// `npm run bench`: every benchmark, each beside a baseline measured in the same run.
import { report } from './harness.js';
import { extractBenchmark, phoneBenchmark, tldtsReference, urlBenchmark } from './indicators.bench.js';

const rows = [phoneBenchmark(), urlBenchmark(), tldtsReference(), extractBenchmark()];
console.log(`node ${process.version}, ${new Date().toISOString()}\n`);
const ok = report(rows);
process.exitCode = ok ? 0 : 1;
