import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_RPZ, buildRpzZone, rpzZone, zoneFile } from '../src/modules/feeds/rpz.js';
import { RpzServer } from '../src/modules/feeds/rpz-server.js';
import { parseTsigKeys } from '../src/modules/feeds/tsig.js';
import { ENGINES, childEnv, openTestScamgraph } from './helpers/database.js';
import { startChild, type Child } from './helpers/processes.js';

// DNS Response Policy Zones for ISPs' resolvers (issue 14), checked with a real resolver: Unbound (Debian's
// package, installed by .ci/run) loads the zone from Scamgraph by zone transfer, answers a listed name with the
// policy (NXDOMAIN), an unlisted or protected one normally, and sees a decision after Scamgraph's NOTIFY.

const UNBOUND = '/usr/sbin/unbound';
const DIG = '/usr/bin/dig';
const ZONE = 'rpz.scamgraph.test';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function query(port: number, name: string, type: 'A' | 'SOA' = 'A'): Promise<DecodedPacket> {
  const socket = createSocket('udp4');
  try {
    const id = Math.floor(Math.random() * 65_536);
    socket.send(dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] }), port, '127.0.0.1');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer for ${name}`)), 2000)));
    const [message] = (await Promise.race([once(socket, 'message'), timeout])) as [Buffer];
    clearTimeout(timer);
    return dnsPacket.decode(message);
  } finally {
    socket.close();
  }
}

/** What Unbound answers for a name: NXDOMAIN, or the A or CNAME it gives. */
async function resolve(port: number, name: string): Promise<string> {
  const reply = await query(port, name).catch(() => null);
  if (reply === null) return 'timeout';
  const rcode = (reply as { rcode?: string }).rcode;
  if (rcode !== 'NOERROR') return rcode ?? '?';
  return (reply.answers ?? []).map((a) => `${a.type} ${String((a as { data: unknown }).data)}`).join(', ') || 'NODATA';
}

/** What BIND's dig prints (it exits 0 on a failed transfer too, so callers read its output). */
async function digAt(port: number, ...args: string[]): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(DIG, ['-p', String(port), '@127.0.0.1', '+tries=1', '+time=5', ...args]).catch((e: { stdout: string; stderr: string }) => e);
  return `${stdout}${stderr}`;
}

async function until(what: string, fn: () => Promise<boolean>, ms = 20_000): Promise<number> {
  const started = performance.now();
  while (!(await fn())) {
    if (performance.now() - started > ms) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - started;
}

/** An AXFR or IXFR straight from our server over TCP (RFC 1035 §4.2.2 framing): every record of every message. */
async function transfer(port: number, type: 'AXFR' | 'IXFR', serial?: number): Promise<DecodedPacket[]> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const authorities = serial === undefined ? [] : [{ name: ZONE, type: 'SOA' as const, data: { mname: 'x', rname: 'y', serial } }];
  socket.write(dnsPacket.streamEncode({ type: 'query', id: 7, questions: [{ name: ZONE, type, class: 'IN' }], authorities }));
  const messages: DecodedPacket[] = [];
  let pending = Buffer.alloc(0);
  let soas = 0;
  for await (const chunk of socket) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const message = dnsPacket.decode(pending.subarray(2, 2 + pending.readUInt16BE(0)));
      pending = pending.subarray(2 + pending.readUInt16BE(0));
      messages.push(message);
      soas += (message.answers ?? []).filter((a) => a.type === 'SOA').length;
    }
    if (soas >= 2 || (type === 'IXFR' && soas === 1 && serial !== undefined && messages.length === 1 && messages[0]!.answers!.length === 1)) break;
  }
  socket.destroy();
  return messages;
}

describe('RPZ zone', () => {
  it('each site and every name under it; protected sites pass through; names the DNS cannot carry left out', () => {
    const zone = rpzZone(42, ['evil.example', 'both.example', 'bad name.example'], ['bank.example', 'both.example'], { ...DEFAULT_RPZ, zone: ZONE });
    assert.equal(zone.soa.data.serial, 42);
    assert.deepEqual(zone.records.map((r) => `${r.name} ${r.type} ${r.data}`), [
      `${ZONE} NS ns.${ZONE}`,
      `evil.example.${ZONE} CNAME .`,
      `*.evil.example.${ZONE} CNAME .`,
      `bank.example.${ZONE} CNAME rpz-passthru`,
      `*.bank.example.${ZONE} CNAME rpz-passthru`,
      `both.example.${ZONE} CNAME rpz-passthru`,
      `*.both.example.${ZONE} CNAME rpz-passthru`,
    ]);
    const text = [...zoneFile(zone)].join('');
    assert.match(text, new RegExp(`^${ZONE.replace(/\./g, '\\.')}\\. 60 IN SOA ns\\.${ZONE.replace(/\./g, '\\.')}\\. hostmaster\\.`, 'm'));
    assert.match(text, /^evil\.example\.rpz\.scamgraph\.test\. 60 IN CNAME \.$/m);
    assert.match(text, /^bank\.example\.rpz\.scamgraph\.test\. 60 IN CNAME rpz-passthru\.$/m);
  });
});

for (const engine of ENGINES) {
  describe(`RPZ by zone transfer to Unbound (${engine})`, () => {
    let sg: Awaited<ReturnType<typeof openTestScamgraph>>;
    let server: RpzServer;
    let unbound: ChildProcess | null = null;
    let dnsPort = 0;
    let rpzPort = 0;
    const dir = mkdtempSync(join(tmpdir(), 'scamgraph-rpz-'));
    let log = '';

    before(async () => {
      assert.equal(spawnSync(UNBOUND, ['-V']).status, 0, `${UNBOUND} is needed (apt-get install unbound; .ci/run installs it)`);
      sg = await openTestScamgraph(engine);
      await sg.verdicts.decide('user:test', { value: 'rpz-evil.example', kind: 'domain' }, 'high_risk', 'rpz test');
      await sg.verdicts.protect('user:test', { value: 'rpz-bank.example', kind: 'domain' }, 'RPZ Bank');
      dnsPort = await freePort();
      server = new RpzServer(() => buildRpzZone(sg.blockLists, 'domains-high-risk', { ...DEFAULT_RPZ, zone: ZONE, refreshSeconds: 3600 }), () => sg.verdicts.logEnd(), { host: '127.0.0.1', port: 0, notify: [`127.0.0.1@${dnsPort}`] });
      rpzPort = (await server.start()).port;
      // The names themselves, as an authoritative zone of the resolver (RPZ applies before auth zones).
      const names = ['rpz-evil.example', 'www.rpz-evil.example', 'rpz-ok.example', 'rpz-bank.example', 'rpz-later.example', 'rpz-file.example', 'warn.example'];
      writeFileSync(join(dir, 'example.zone'), `example. 60 IN SOA ns.example. h.example. 1 3600 600 86400 60\nexample. 60 IN NS ns.example.\n${names.map((n, i) => `${n}. 60 IN A 192.0.2.${i + 1}\n`).join('')}`);
      // A second policy zone from the file writer, with the Local Data action (a CNAME to a warning host).
      writeFileSync(join(dir, 'file.rpz'), [...zoneFile(rpzZone(1, ['rpz-file.example'], [], { ...DEFAULT_RPZ, zone: 'file.rpz.test', action: { type: 'cname', target: 'warn.example' } }))].join(''));
      writeFileSync(
        join(dir, 'unbound.conf'),
        [
          'server:',
          `  interface: 127.0.0.1`,
          `  port: ${dnsPort}`,
          '  do-ip6: no',
          '  do-daemonize: no',
          '  use-syslog: no',
          `  logfile: ""`,
          `  username: ""`,
          `  chroot: ""`,
          `  directory: "${dir}"`,
          `  pidfile: "${join(dir, 'unbound.pid')}"`,
          '  access-control: 127.0.0.0/8 allow',
          '  module-config: "respip iterator"',
          '  verbosity: 1',
          'auth-zone:',
          '  name: "example."',
          `  zonefile: "${join(dir, 'example.zone')}"`,
          '  for-downstream: yes',
          '  for-upstream: yes',
          'rpz:',
          `  name: "${ZONE}."`,
          `  primary: 127.0.0.1@${rpzPort}`,
          'rpz:',
          '  name: "file.rpz.test."',
          `  zonefile: "${join(dir, 'file.rpz')}"`,
          'remote-control:',
          '  control-enable: no',
          '',
        ].join('\n'),
      );
      unbound = spawn(UNBOUND, ['-d', '-c', join(dir, 'unbound.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
      unbound.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      unbound.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      await until(`Unbound answers and has the zone by transfer (log: ${log.slice(-500)})`, async () => (await resolve(dnsPort, 'rpz-evil.example')) === 'NXDOMAIN');
    });
    after(async () => {
      unbound?.kill('SIGTERM');
      if (unbound !== null && unbound.exitCode === null) await once(unbound, 'exit');
      await server?.close();
      await sg?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a listed site and the names under it get NXDOMAIN; unlisted and protected names their answer', async () => {
      assert.equal(await resolve(dnsPort, 'rpz-evil.example'), 'NXDOMAIN');
      assert.equal(await resolve(dnsPort, 'www.rpz-evil.example'), 'NXDOMAIN');
      assert.equal(await resolve(dnsPort, 'rpz-ok.example'), 'A 192.0.2.3');
      assert.equal(await resolve(dnsPort, 'rpz-bank.example'), 'A 192.0.2.4');
    });

    it('the zone file writer’s output loads in Unbound, and its Local Data action answers with the warning host', async () => {
      assert.match(await resolve(dnsPort, 'rpz-file.example'), /^CNAME warn\.example/);
    });

    it('after a decision, Unbound answers with the policy once told by NOTIFY (no waiting for the refresh)', async () => {
      assert.equal(await resolve(dnsPort, 'rpz-later.example'), 'A 192.0.2.5');
      await sg.verdicts.decide('user:test', { value: 'rpz-later.example', kind: 'domain' }, 'high_risk', 'rpz test');
      assert.deepEqual(await server.refresh(), [`127.0.0.1@${dnsPort}`], 'Unbound acknowledged the NOTIFY');
      // The SOA's refresh is an hour: seeing the change now is the NOTIFY's doing.
      const ms = await until('Unbound sees the new serial', async () => (await resolve(dnsPort, 'rpz-later.example')) === 'NXDOMAIN', 10_000);
      assert.ok(ms < 10_000, `${ms} ms`);
      assert.deepEqual(await server.refresh(), [], 'nothing new: no NOTIFY');
    });

    it('AXFR: SOA first and last with the log’s end as serial (RFC 5936 §2.2); IXFR from the current serial: the SOA alone (RFC 1995 §2)', async () => {
      const end = await sg.verdicts.logEnd();
      const messages = await transfer(rpzPort, 'AXFR');
      const records = messages.flatMap((m) => m.answers ?? []);
      assert.equal(records[0]?.type, 'SOA');
      assert.equal(records.at(-1)?.type, 'SOA');
      assert.equal((records[0] as { data: { serial: number } }).data.serial, end);
      assert.ok(messages.every((m) => m.flag_aa));
      assert.ok(records.some((r) => r.name === `rpz-later.example.${ZONE}` && r.type === 'CNAME'));
      const ixfr = await transfer(rpzPort, 'IXFR', end);
      assert.deepEqual(ixfr.flatMap((m) => m.answers ?? []).map((r) => r.type), ['SOA']);
      const refused = await query(rpzPort, 'rpz-evil.example');
      assert.equal((refused as { rcode?: string }).rcode, 'REFUSED');
    });
  });
}

// TSIG (RFC 8945), checked with BIND's dig (Debian's bind9-dnsutils, installed by .ci/run): dig verifies every
// message of a signed transfer and says "Couldn't verify signature" or "tsig indicates error" when one is wrong.
describe('RPZ transfers signed with TSIG, verified by dig', () => {
  const secret = Buffer.from('scamgraph rpz test key, 32 bytes').toString('base64');
  const [key] = parseTsigKeys(`hmac-sha256:isp-one.:${secret}`);
  const sites = Array.from({ length: 1000 }, (_, i) => `tsig-${i}.example`);
  let server: RpzServer;
  let port = 0;

  const dig = (...args: string[]): Promise<string> => digAt(port, ...args);

  before(async () => {
    assert.equal(spawnSync(DIG, ['-v']).status, 0, `${DIG} is needed (apt-get install bind9-dnsutils; .ci/run installs it)`);
    const zone = rpzZone(77, sites, [], { ...DEFAULT_RPZ, zone: ZONE });
    server = new RpzServer(async () => zone, async () => 77, { host: '127.0.0.1', port: 0, notify: [], tsigKeys: [key!] });
    port = (await server.start()).port;
  });
  after(async () => server?.close());

  it('a signed AXFR of many messages verifies in dig, each message signed (§5.3, §5.3.1)', async () => {
    const out = await dig('-y', `hmac-sha256:isp-one:${secret}`, 'AXFR', ZONE);
    assert.doesNotMatch(out, /Couldn't verify|tsig indicates error|Transfer failed/);
    // 1,000 sites: the NS, two records each, and the SOA twice.
    const size = /XFR size: (\d+) records \(messages (\d+)/.exec(out);
    assert.ok(size, out.slice(-400));
    assert.equal(Number(size[1]), 2003);
    assert.ok(Number(size[2]) > 1, `${size[2]} messages: the later-message rule of §5.3.1 is exercised`);
    assert.match(out, /^tsig-999\.example\.rpz\.scamgraph\.test\.\s+60\s+IN\s+CNAME\s+\.$/m);
  });

  it('with keys configured an unsigned transfer is refused, while the SOA stays public', async () => {
    assert.match(await dig('AXFR', ZONE), /Transfer failed/);
    assert.match(await dig('+tcp', 'IXFR=1', ZONE), /Transfer failed|REFUSED/);
    assert.match(await dig('+short', 'SOA', ZONE), / 77 300 /);
  });

  it('a wrong secret gets BADSIG and an unknown key BADKEY, answered without a MAC (§5.2, §5.3.2)', async () => {
    const wrong = Buffer.from('not the key that was agreed at all').toString('base64');
    const badsig = await dig('-y', `hmac-sha256:isp-one:${wrong}`, 'AXFR', ZONE);
    assert.match(badsig, /tsig indicates error|BADSIG/i);
    assert.doesNotMatch(badsig, /tsig-1\.example/);
    const badkey = await dig('-y', `hmac-sha256:isp-two:${secret}`, 'AXFR', ZONE);
    assert.match(badkey, /tsig indicates error|BADKEY/i);
    assert.doesNotMatch(badkey, /tsig-1\.example/);
  });

  it('key lists are parsed strictly', () => {
    assert.equal(key!.name, 'isp-one');
    assert.throws(() => parseTsigKeys('hmac-md5:old:' + secret), /algorithm/);
    assert.throws(() => parseTsigKeys('hmac-sha256:nosecret'), /algorithm:name:base64-secret/);
    assert.equal(parseTsigKeys(` hmac-sha512:a:${secret} , hmac-sha384:b:${secret}`).length, 2);
  });
});

// The operator's side: `scamgraph serve --rpz-port` serves the zone with the SCAMGRAPH_RPZ_* settings and sends
// a NOTIFY when a decision moves the verdict log; `scamgraph feeds rpz --out` writes it as a zone file.
describe('scamgraph serve --rpz-port and feeds rpz', () => {
  const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
  const BIN = join(ROOT, 'bin', 'scamgraph.js');
  const secret = Buffer.from('the operator key for isp-one, 32').toString('base64');
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-rpz-cli-'));
  const notified = createSocket('udp4');
  const notifies: DecodedPacket[] = [];
  let server: Child;
  let port = 0;

  function scamgraph(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => execFile(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv() }, (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr })));
  }

  before(async () => {
    notified.on('message', (message: Buffer) => notifies.push(dnsPacket.decode(message)));
    notified.bind(0, '127.0.0.1');
    await once(notified, 'listening');
    writeFileSync(join(dir, 'sites.txt'), 'rpz-cli-one.example\n');
    const env = { SCAMGRAPH_RPZ_ZONE: 'rpz.cli.test', SCAMGRAPH_RPZ_TSIG: `hmac-sha256:isp-one:${secret}`, SCAMGRAPH_RPZ_NOTIFY: `127.0.0.1@${notified.address().port}` };
    server = startChild(process.execPath, [BIN, 'serve', '--port', '0', '--rpz-port', '0', '--data', join(dir, 'data')], { cwd: dir, env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    const [, zone, rpzPort] = await server.waitForStderr(/DNS policy zone (\S+) \(feed domains-high-risk\) by zone transfer on port (\d+), TCP and UDP, TSIG required \(1 key\)/);
    assert.equal(zone, 'rpz.cli.test');
    port = Number(rpzPort);
  });
  after(async () => {
    await server?.stop();
    notified.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a listing imported while it runs is served to a key holder, after a NOTIFY to the configured secondary', async () => {
    const imported = await scamgraph('import', 'sites.txt', '--as', 'feed:cli-test', '--level', 'high_risk', '--data', 'data');
    assert.equal(imported.status, 0, imported.stderr);
    await until('the server sends a NOTIFY', async () => notifies.length > 0, 10_000);
    assert.equal((notifies[0] as { opcode?: string }).opcode, 'NOTIFY');
    assert.equal(notifies[0]!.questions?.[0]?.name, 'rpz.cli.test');
    const out = await digAt(port, '-y', `hmac-sha256:isp-one:${secret}`, 'AXFR', 'rpz.cli.test');
    assert.doesNotMatch(out, /Couldn't verify|Transfer failed/);
    assert.match(out, /^rpz-cli-one\.example\.rpz\.cli\.test\.\s+60\s+IN\s+CNAME\s+\.$/m);
    assert.match(await digAt(port, 'AXFR', 'rpz.cli.test'), /Transfer failed/, 'no key, no zone');
  });

  it('feeds rpz writes the same zone as a file (the writer whose output Unbound loads above)', async () => {
    const written = await scamgraph('feeds', 'rpz', '--out', 'scamgraph.rpz', '--data', 'data');
    assert.equal(written.status, 0, written.stderr);
    assert.match(written.stdout, /^scamgraph\.rpz: zone rpz\.cli\.test, serial \d+, 1 sites blocked, 0 protected \(feed domains-high-risk\)\.$/m);
    const text = readFileSync(join(dir, 'scamgraph.rpz'), 'utf8');
    assert.match(text, /^rpz-cli-one\.example\.rpz\.cli\.test\. 60 IN CNAME \.$/m);
    assert.match(text, /^\*\.rpz-cli-one\.example\.rpz\.cli\.test\. 60 IN CNAME \.$/m);
    const wrong = await scamgraph('feeds', 'rpz', '--out', 'x.rpz', '--feed', 'phones-high-risk', '--data', 'data');
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /has no domain kind .*\[VALIDATION_FAILED\]/);
  });

  it('bad RPZ settings stop the server with a message that names the variable and never the secret', async () => {
    const bad = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(process.execPath, [BIN, 'serve', '--port', '0', '--rpz-port', '0', '--data', join(dir, 'other')], { env: childEnv({ SCAMGRAPH_RPZ_TSIG: 'hmac-md5:old:c2VjcmV0c2VjcmV0' }) }, (error, _out, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr })),
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /SCAMGRAPH_RPZ_TSIG: a TSIG key is algorithm:name:base64-secret/);
    assert.doesNotMatch(bad.stderr, /c2VjcmV0c2VjcmV0/);
    for (const [name, value, message] of [
      ['SCAMGRAPH_RPZ_FEED', 'phones-high-risk', /must name a feed with the domain kind/],
      ['SCAMGRAPH_RPZ_FEED', 'no-such-feed', /must name a feed with the domain kind/],
      ['SCAMGRAPH_RPZ_ACTION', 'drop', /must be nxdomain or cname:HOST/],
      ['SCAMGRAPH_RPZ_ACTION', 'cname:not a host', /must be nxdomain or cname:HOST/],
      ['SCAMGRAPH_RPZ_NOTIFY', '10.0.0.1@99999', /is not an IP address, optionally with @port/],
      ['SCAMGRAPH_RPZ_NOTIFY', 'resolver.example', /is not an IP address/],
      ['SCAMGRAPH_RPZ_ZONE', 'bad zone', /is not a DNS name/],
      ['SCAMGRAPH_RPZ_REFRESH', '1', /SCAMGRAPH_RPZ_REFRESH=1 must be a whole number from 10/],
    ] as const) {
      assert.throws(() => loadConfig({ [name]: value }), (e: Error) => e instanceof ConfigError && message.test(e.message), `${name}=${value}`);
    }
    const good = loadConfig({ SCAMGRAPH_RPZ_ACTION: 'cname:Warn.Scamgraph.example.', SCAMGRAPH_RPZ_NOTIFY: '192.0.2.1, 2001:db8::1@5353' });
    assert.deepEqual(good.rpz.options.action, { type: 'cname', target: 'warn.scamgraph.example' });
    assert.deepEqual(good.rpz.notify, ['192.0.2.1', '2001:db8::1@5353']);
  });
});
