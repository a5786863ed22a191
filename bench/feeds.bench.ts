// Partners' block lists (issue 14): a snapshot of a 1,000,000-entry feed over HTTP beside the database's own read
// of the same rows, a delta of 10,000 changes beside that snapshot, an AXFR of the DNS policy zone (10,000 sites)
// beside the read of its sites, and a TAXII page of 1,000 STIX objects beside a block-list page of as many
// changes. Medians of 3, in one process.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';
import { DEFAULT_RPZ, buildRpzZone } from '../src/modules/feeds/rpz.js';
import { RpzServer } from '../src/modules/feeds/rpz-server.js';
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
const SITES = 10_000;
const TAXII_PAGE = 1000;

/** A whole AXFR over TCP (RFC 5936): every message until the closing SOA; the records received. */
async function axfr(port: number, zone: string): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(dnsPacket.streamEncode({ type: 'query', id: 1, questions: [{ name: zone, type: 'AXFR', class: 'IN' }] }));
  let pending = Buffer.alloc(0);
  let records = 0;
  let soas = 0;
  for await (const chunk of socket) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const answers = dnsPacket.decode(pending.subarray(2, 2 + pending.readUInt16BE(0))).answers ?? [];
      pending = pending.subarray(2 + pending.readUInt16BE(0));
      records += answers.length;
      soas += answers.filter((a) => a.type === 'SOA').length;
    }
    if (soas >= 2) break;
  }
  socket.destroy();
  return records;
}

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

      // The DNS policy zone of 10,000 whole sites, transferred; the baseline is reading those sites alone.
      const sitesFile = join(dir, 'sites.csv');
      const sitesOut = createWriteStream(sitesFile);
      for (let n = 0; n < SITES; n++) sitesOut.write(`domain,bench-site-${n}.example\n`);
      sitesOut.end();
      await once(sitesOut, 'finish');
      await importFeed(sg.db, sitesFile, 'bench-sites', { region: 'HK', rejectsPath: join(dir, 'rejects-sites.jsonl'), level: 'high_risk' });
      const rpzOptions = { ...DEFAULT_RPZ, zone: 'rpz.bench' };
      const rpz = new RpzServer(() => buildRpzZone(sg.blockLists, 'domains-high-risk', rpzOptions), () => sg.verdicts.logEnd(), { host: '127.0.0.1', port: 0, notify: [] });
      const { port } = await rpz.start();
      const siteReads: number[] = [];
      const transfers: number[] = [];
      let records = 0;
      try {
        for (let round = 0; round < 3; round++) {
          siteReads.push((await timed(() => sg.blockLists.sites(['high_risk', 'verified']))).ms);
          const t = await timed(() => axfr(port, 'rpz.bench'));
          transfers.push(t.ms);
          records = t.value;
        }
      } finally {
        await rpz.close();
      }
      if (records < 2 * SITES) throw new Error(`the AXFR held ${records} records for ${SITES} sites`);

      // A TAXII page of 1,000 objects from where the delta above begins, beside a block-list page of 1,000 changes there.
      const taxiiId = sg.taxii.collections().find((c) => c.feed === feed)?.id as string;
      const [row] = (await sg.verdicts.changesSince(cursor, {}, 1)) as { at: Date }[];
      const after = new Date((row as { at: Date }).at.getTime() - 1).toISOString();
      const taxiiGet = async (path: string) => {
        const [res] = (await once(request(base + path, { agent: false, headers: { authorization: `Bearer ${key.token}`, accept: 'application/taxii+json;version=2.1' } }).end(), 'response')) as [IncomingMessage];
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
        return Buffer.concat(chunks);
      };
      const pages: number[] = [];
      const blockPages: number[] = [];
      let taxiiBytes = 0;
      let objects = 0;
      for (let round = 0; round < 3; round++) {
        blockPages.push((await timed(() => get(`/api/v1/partner/feeds/${feed}?since=${cursor}&limit=${TAXII_PAGE}`, false))).ms);
        const t = await timed(() => taxiiGet(`/taxii2/feeds/collections/${taxiiId}/objects/?limit=${TAXII_PAGE}&added_after=${after}`));
        pages.push(t.ms);
        taxiiBytes = t.value.length;
        objects = (JSON.parse(t.value.toString('utf8')) as { objects: unknown[] }).objects.length;
      }
      if (objects !== TAXII_PAGE) throw new Error(`the TAXII page held ${objects} objects`);

      const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
      const snapshotMs = median(plain);
      return [
        { name: `snapshot of ${lines.toLocaleString('en-US')} lines over HTTP (JSON Lines, ${mb(plainBytes)}; gzip ${mb(zippedBytes)} in ${(median(zipped) / 1000).toFixed(1)} s)`, unit: 'ms', baselineName: 'the database read of the same rows alone', baseline: median(reads), candidate: snapshotMs, target: '< 3× the read', pass: snapshotMs < 3 * median(reads) },
        { name: `delta of ${DELTA.toLocaleString('en-US')} changes over HTTP (gzip, ${(deltaBytes / 1e3).toFixed(0)} kB)`, unit: 'ms', baselineName: 'the snapshot', baseline: snapshotMs, candidate: median(deltas), target: '< 0.05× the snapshot', pass: median(deltas) < 0.05 * snapshotMs },
        { name: `AXFR of the DNS policy zone of ${SITES.toLocaleString('en-US')} sites (${records.toLocaleString('en-US')} records)`, unit: 'ms', baselineName: 'the database read of its sites alone', baseline: median(siteReads), candidate: median(transfers), target: '< 5× the read', pass: median(transfers) < 5 * median(siteReads) },
        { name: `TAXII page of ${TAXII_PAGE.toLocaleString('en-US')} STIX objects (${(taxiiBytes / 1e3).toFixed(0)} kB)`, unit: 'ms', baselineName: `a block-list page of ${TAXII_PAGE.toLocaleString('en-US')} changes`, baseline: median(blockPages), candidate: median(pages), target: '< 10× the block-list page', pass: median(pages) < 10 * median(blockPages) },
      ];
    } finally {
      await app.close();
      await sg.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
