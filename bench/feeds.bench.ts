// Partners' block lists (issue 14): a snapshot of a 1,000,000-entry feed over HTTP beside the database's own read
// of the same rows, and a delta of 10,000 changes beside that snapshot. Medians of 3, in one process.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { openScamgraph } from '../src/main.js';
import { importFeed } from '../src/modules/reports/report.import.js';
import type { Comparison } from './harness.js';
import { benchPhone, buildDatabase } from './service.bench.js';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const DELTA = 10_000;

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function feedBenchmarks(): Promise<Comparison[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-bench-feeds-'));
  try {
    const entries = await buildDatabase(dir);
    const config = { ...loadConfig({ SCAMGRAPH_SECRET_KEY: SECRET }), databaseUrl: null, dataDir: dir };
    const sg = await openScamgraph(config, { loadIndex: true });
    const app = await buildApp(sg);
    try {
      const { key } = await sg.partners.addOrganisation('cli', { name: 'Bench Telco', type: 'telco', scopes: ['feeds:read'], requestsPerMinute: 0, dailyQuota: 0 }, 'benchmark');
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      // node:http, not fetch: the bytes as sent (fetch undoes the gzip); a connection each (a kept-alive one idles
      // past the server's keep-alive while the database read of the baseline runs).
      const get = async (path: string, gzip: boolean) => {
        const [res] = (await once(request(base + path, { agent: false, headers: { authorization: `Bearer ${key.token}`, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) } }).end(), 'response')) as [IncomingMessage];
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        const bytes = Buffer.concat(chunks);
        if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${bytes.toString('utf8').slice(0, 200)}`);
        return { bytes, cursor: Number(res.headers['scamgraph-cursor']) };
      };
      const feed = 'all-flagged';
      const filter = { kinds: sg.blockLists.feed(feed).kinds, levels: sg.blockLists.feed(feed).levels };
      const reads: number[] = [];
      const plain: number[] = [];
      const zipped: number[] = [];
      let lines = 0;
      let plainBytes = 0;
      let zippedBytes = 0;
      let cursor = 0;
      for (let round = 0; round < 3; round++) {
        reads.push((await timed(() => sg.verdicts.snapshot(filter))).ms);
        const p = await timed(() => get(`/api/v1/partner/feeds/${feed}`, false));
        plain.push(p.ms);
        plainBytes = p.value.bytes.length;
        lines = p.value.bytes.toString('utf8').split('\n').length - 1;
        cursor = p.value.cursor;
        const z = await timed(() => get(`/api/v1/partner/feeds/${feed}`, true));
        zipped.push(z.ms);
        zippedBytes = z.value.bytes.length;
      }
      if (lines < entries * 0.9) throw new Error(`the snapshot has ${lines} lines for ${entries} entries`);

      // 10,000 changes: a feed listing 10,000 numbers as high risk that were not listed.
      const file = join(dir, 'delta.csv');
      const out = createWriteStream(file);
      for (let n = 0, written = 0; written < DELTA; n++) {
        const phone = benchPhone(5_000_000 + n);
        if (phone === null) continue;
        out.write(`phone,${phone}\n`);
        written++;
      }
      out.end();
      await once(out, 'finish');
      await importFeed(sg.db, file, 'bench-delta', { region: 'HK', rejectsPath: join(dir, 'rejects-delta.jsonl'), level: 'high_risk' });
      const deltas: number[] = [];
      let deltaLines = 0;
      let deltaBytes = 0;
      for (let round = 0; round < 3; round++) {
        const d = await timed(() => get(`/api/v1/partner/feeds/${feed}?since=${cursor}&limit=100000`, true));
        deltas.push(d.ms);
        deltaBytes = d.value.bytes.length;
        deltaLines = gunzipSync(d.value.bytes).toString('utf8').split('\n').length - 1;
      }
      if (deltaLines !== DELTA) throw new Error(`the delta has ${deltaLines} lines, not ${DELTA}`);
      const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
      const snapshotMs = median(plain);
      return [
        { name: `snapshot of ${lines.toLocaleString('en-US')} lines over HTTP (JSON Lines, ${mb(plainBytes)}; gzip ${mb(zippedBytes)} in ${(median(zipped) / 1000).toFixed(1)} s)`, unit: 'ms', baselineName: 'the database read of the same rows alone', baseline: median(reads), candidate: snapshotMs, target: '< 3× the read', pass: snapshotMs < 3 * median(reads) },
        { name: `delta of ${DELTA.toLocaleString('en-US')} changes over HTTP (gzip, ${(deltaBytes / 1e3).toFixed(0)} kB)`, unit: 'ms', baselineName: 'the snapshot', baseline: snapshotMs, candidate: median(deltas), target: '< 0.05× the snapshot', pass: median(deltas) < 0.05 * snapshotMs },
      ];
    } finally {
      await app.close();
      await sg.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
