// The partner side: the bank payee check against a 1,000,000-entry index (throughput and p99 beside a Fastify
// hello-world in the same run; goal ≥ 0.7× and ≥ 7,500 checks/s on one node, p99 < 5 ms), and the telcos' call
// screening on the same index.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openScamgraph, type Scamgraph } from '../src/main.js';
import { rng } from '../test/helpers/report-generator.js';
import type { Comparison } from './harness.js';
import { benchPhone, buildDatabase, load, startServer, stopServer, type Load } from './service.bench.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = Buffer.alloc(32, 7).toString('base64');

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/**
 * What a bank checks: one payee per call, as an FPS phone proxy (a third of them listed numbers, a third
 * unlisted), an FPS ID or a Hong Kong account; amounts and new payees mixed.
 */
function payeeBodies(count: number, perCall = 1): string[] {
  const random = rng(17 + perCall);
  const line = (i: number) => {
    const pick = random();
    const n = Math.floor(random() * 600_000);
    const payee =
      pick < 0.34 ? { type: 'fps_phone', value: benchPhone(n * 3) ?? '+852 9123 4567' }
      : pick < 0.67 ? { type: 'fps_phone', value: benchPhone(3_000_000 + n) ?? '+852 5123 4567' }
      : pick < 0.84 ? { type: 'fps_id', value: String(1_000_000 + n) }
      : { type: 'hk_account', value: `${String(3 + (n % 40)).padStart(3, '0')}-${String(100 + (n % 900))}-${String(n).padStart(9, '0')}` };
    return { ...payee, amount: 1 + Math.round(random() * 20_000), currency: 'HKD', newPayee: random() < 0.5, reference: `tx-${i}` };
  };
  return Array.from({ length: count }, (_, i) => JSON.stringify({ payees: Array.from({ length: perCall }, (_, j) => line(i * perCall + j)) }));
}

/** What a telco asks as calls arrive: a third listed callers, the rest unlisted; a fifth from abroad. */
function callBodies(count: number): string[] {
  const random = rng(29);
  return Array.from({ length: count }, () => {
    const n = Math.floor(random() * 600_000);
    const caller = random() < 0.34 ? benchPhone(n * 3) : benchPhone(3_000_000 + n);
    return JSON.stringify({ caller: (caller ?? '+852 9123 4567').replace(/ /g, ''), callee: '+85261234567', ingress: random() < 0.2 ? 'international' : 'domestic' });
  });
}

async function loadPayeeChecks(url: string, token: string, bodies: string[], seconds: number, path = '/api/v1/partner/payee-check'): Promise<Load> {
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (request, context) => {
          const state = context as { i?: number };
          state.i = ((state.i ?? Math.floor(Math.random() * bodies.length)) + 1) % bodies.length;
          return { ...request, body: bodies[state.i] as string };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/**
 * A decision made on one node until another node answers it, on PostgreSQL: with the database's notification
 * (the other node polls once a minute) against polling alone every 250 ms. Median of 20 decisions.
 */
async function propagation(listen: boolean): Promise<number> {
  const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `scamgraph_bench_nodes_${process.pid}_${listen ? 'notify' : 'poll'}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const config = { ...loadConfig({ SCAMGRAPH_SECRET_KEY: SECRET }), databaseUrl: url.toString(), dataDir: 'memory://' };
  const options = { loadIndex: true, follow: true, listen, pollMs: listen ? 60_000 : 250 };
  let a: Scamgraph | null = null;
  let b: Scamgraph | null = null;
  try {
    a = await openScamgraph(config, options);
    b = await openScamgraph(config, options);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const value = `+852 6700 ${String(1000 + i)}`;
      const started = performance.now();
      await a.verdicts.decide('user:bench', { value }, 'high_risk', 'propagation benchmark');
      while (b.verdicts.check(value).verdict.level !== 'high_risk') await new Promise((resolve) => setTimeout(resolve, 1));
      times.push(performance.now() - started);
    }
    return median(times);
  } finally {
    await b?.close();
    await a?.close();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  }
}

export async function partnerBenchmarks(): Promise<Comparison[]> {
  const polled = await propagation(false);
  const notified = await propagation(true);
  const nodes: Comparison = { name: 'a decision on one node answered by another (PostgreSQL)', unit: 'ms', baselineName: 'polling alone, every 250 ms', baseline: polled, candidate: notified, target: '< 100 ms (issue: < 1 s)', pass: notified < 100 };
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-bench-partners-'));
  try {
    const entries = await buildDatabase(dir);
    const env = { SCAMGRAPH_SECRET_KEY: SECRET, DATABASE_URL: '' };
    // No limits for the bank of the benchmark: the figure is the check's, not the limiter's refusals.
    const added = execFileSync(process.execPath, ['bin/scamgraph.js', 'partner', 'add', 'Bench Bank', '--type', 'bank', '--scopes', 'payee:check,calls:screen', '--requests-per-minute', '0', '--daily-quota', '0', '--reason', 'benchmark', '--json', '--data', dir], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    const token = (JSON.parse(added) as { key: { token: string } }).key.token;
    const server = await startServer(['bin/scamgraph.js', 'serve', '--port', '0', '--data', dir], env, '/api/health');
    const hello = await startServer(['--import', 'tsx', 'bench/hello-server.ts'], {}, '/hello');
    const bodies = payeeBodies(200_000);
    try {
      await load(hello.url, ['/hello'], 2);
      await loadPayeeChecks(server.url, token, bodies, 10); // warm: the node has seen the popular payees
      const helloRuns: Load[] = [];
      const checkRuns: Load[] = [];
      for (let round = 0; round < 3; round++) {
        helloRuns.push(await load(hello.url, ['/hello'], 5));
        checkRuns.push(await loadPayeeChecks(server.url, token, bodies, 5));
      }
      const helloRps = median(helloRuns.map((r) => r.rps));
      const checkRps = median(checkRuns.map((r) => r.rps));
      // Banks batch: 20 payees a call (a payment file, a list of standing orders) against single checks.
      const BATCH = 20;
      const batched = await loadPayeeChecks(server.url, token, payeeBodies(20_000, BATCH), 5);
      const label = `${entries.toLocaleString('en-US')} entries, 50 conns`;
      // Telcos screen every call: the same index, one call a request.
      const calls = callBodies(200_000);
      await loadPayeeChecks(server.url, token, calls, 5, '/api/v1/partner/call-screen');
      const screen = await loadPayeeChecks(server.url, token, calls, 5, '/api/v1/partner/call-screen');
      return [
        nodes,
        { name: `payee checks/s in calls of ${BATCH}, ${label}`, unit: 'checks/s', baselineName: 'one payee a call', baseline: checkRps, candidate: batched.rps * BATCH, target: '≥ 7,500/s', pass: batched.rps * BATCH >= 7500 },
        { name: `POST /api/v1/partner/payee-check, ${label}`, unit: 'req/s', baselineName: 'Fastify hello-world', baseline: helloRps, candidate: checkRps, target: '≥ 0.70× and ≥ 7,500/s', pass: checkRps / helloRps >= 0.7 && checkRps >= 7500 },
        { name: `POST /api/v1/partner/call-screen, ${label}`, unit: 'req/s', baselineName: 'Fastify hello-world', baseline: helloRps, candidate: screen.rps, target: '≥ 7,500/s', pass: screen.rps >= 7500 },
        { name: 'call-screen p99 latency', unit: 'ms', baselineName: 'hello-world p99', baseline: median(helloRuns.map((r) => r.p99)), candidate: screen.p99, target: '< 5 ms', pass: screen.p99 < 5 },
        { name: 'payee-check p99 latency', unit: 'ms', baselineName: 'hello-world p99', baseline: median(helloRuns.map((r) => r.p99)), candidate: median(checkRuns.map((r) => r.p99)), target: '< 5 ms', pass: median(checkRuns.map((r) => r.p99)) < 5 },
      ];
    } finally {
      await stopServer(hello);
      await stopServer(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
