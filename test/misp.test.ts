import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { MispFeeds, type MispAttribute, type MispEvent } from '../src/modules/feeds/misp.js';
import { importMispFeed } from '../src/modules/reports/misp.import.js';
import type { Scamgraph } from '../src/main.js';
import { childEnv, ENGINES, openTestScamgraph, TEST_SECRET } from './helpers/database.js';

// The MISP feed (issue 14, "MISP"): the MISP core format (draft-dulaunoy-misp-core-format-18, "§" below), the
// feed layout MISP's Feed model reads (app/Model/Feed.php: {url}/manifest.json, {url}/{uuid}.json,
// {url}/hashes.csv) as PyMISP's feed generator writes it (MISPEvent.to_feed / manifest, tools/feed.py), the
// types and categories of MISP's describeTypes.json, and the value rules of MISP's
// app/Lib/Tools/AttributeValidationTool.php. No MISP consumer is packaged for npm or Debian (apt-cache search
// misp: nothing; PyMISP is Python from PyPI), so these are strict tests written from those sources.

/** describeTypes.json `category_type_mappings`, inverted, for the types a Scamgraph feed writes; and `sane_defaults.to_ids`. */
const DESCRIBE_TYPES: Record<string, { categories: string[]; toIds: 0 | 1 }> = {
  'phone-number': { categories: ['Financial fraud', 'Other', 'Person'], toIds: 0 },
  domain: { categories: ['External analysis', 'Network activity', 'Payload delivery'], toIds: 1 },
  hostname: { categories: ['External analysis', 'Network activity', 'Payload delivery'], toIds: 1 },
  url: { categories: ['External analysis', 'Network activity', 'Payload delivery'], toIds: 1 },
  'email-src': { categories: ['Network activity', 'Payload delivery', 'Social network'], toIds: 1 },
  'ip-dst': { categories: ['External analysis', 'Network activity', 'Payload delivery'], toIds: 1 },
  iban: { categories: ['Financial fraud'], toIds: 1 },
  'bank-account-nr': { categories: ['Financial fraud'], toIds: 1 },
  btc: { categories: ['Financial fraud'], toIds: 1 },
  'twitter-id': { categories: ['Social network'], toIds: 0 },
};

/** PHP's is_numeric (AttributeValidationTool validates phone-number and bank-account-nr with it). */
const PHP_NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Why MISP would refuse or rewrite this value (null: it stores it as given). AttributeValidationTool::validate,
 * after modifyBeforeValidation, which must leave the value as it is, or hashes.csv would not match what MISP stores.
 */
function mispValueProblem(type: string, value: string): string | null {
  const same = (modified: string) => (modified === value ? null : `MISP would store “${modified}”`);
  switch (type) {
    case 'domain':
    case 'hostname':
      if (!/^[A-Z0-9.\-_]+\.[A-Z0-9-]{2,}$/i.test(value)) return 'not a domain to isDomainValid';
      return same(value.toLowerCase().replace(/^\.+|\.+$/g, ''));
    case 'email-src':
      if (!/^.[^\s]*@.*\..*$/i.test(value)) return 'not an e-mail address to MISP';
      return same(value.toLowerCase());
    case 'ip-dst':
      return isIP(value) === 0 ? 'not an IP address (FILTER_VALIDATE_IP)' : null;
    case 'iban':
      return /^[a-zA-Z0-9]+$/.test(value) ? same(value.toUpperCase().replace(/[^0-9A-Z]+/g, '')) : 'not alphanumeric';
    case 'btc':
      return /^[a-zA-Z0-9]+$/.test(value) ? null : 'not alphanumeric';
    case 'phone-number':
      if (!PHP_NUMERIC.test(value)) return 'not is_numeric';
      return value.startsWith('00') ? 'MISP would rewrite 00 as +' : same(value.replace(/\(0\)/g, '').replace(/[^+0-9]+/g, ''));
    case 'bank-account-nr':
      return PHP_NUMERIC.test(value) ? null : 'not is_numeric';
    case 'url':
    case 'twitter-id':
      return value.includes('\n') ? 'a new line' : null;
    default:
      return `no rule for ${type}`;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNIX = /^\d{1,12}$/;
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const HIGH_RISK = [
  ['misp-example.com', 'domain'],
  ['shop.misp-evil.example', 'domain'],
  ['john@misp.example', 'email'],
  ['198.51.100.7', 'ip'],
  ['https://misp-evil.example/login?x=1', 'url'],
  ['+85291234567', 'phone'],
  ['GB33BUKB20201555555555', 'bank_account'],
  ['004-123-456789', 'bank_account'],
  ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'crypto_wallet'],
  ['https://x.com/misp_scammer', 'social_account'],
  // MISP has no type for a payment proxy ID: left out of the feed.
  ['fps:1234567', 'payment_proxy'],
] as const;

/** What a feed lists, kinds MISP carries only, as `kind value level` lines (the block list's own words). */
async function listed(sg: Scamgraph, feed = 'all-flagged'): Promise<string[]> {
  const { lines } = await sg.blockLists.snapshot(feed);
  return lines.filter((l) => l.kind !== 'payment_proxy').map((l) => `${l.kind} ${l.value} ${l.level}`).sort();
}

for (const engine of ENGINES) {
  describe(`MISP feed (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let reader = '';
    let other = '';
    const dir = mkdtempSync(join(tmpdir(), 'scamgraph-misp-'));
    const get = (url: string, headers: Record<string, string> = { authorization: `Bearer ${reader}` }) => app.inject({ method: 'GET', url, headers });
    const manifestOf = async (feed = 'all-flagged') => (await get(`/feeds/misp/${feed}/manifest.json`)).json() as Record<string, Record<string, unknown>>;
    const eventsOf = async (feed = 'all-flagged'): Promise<MispEvent[]> =>
      Promise.all(Object.keys(await manifestOf(feed)).map(async (uuid) => ((await get(`/feeds/misp/${feed}/${uuid}.json`)).json() as { Event: MispEvent }).Event));
    const attributeOf = (events: MispEvent[], value: string): MispAttribute | undefined => events.flatMap((e) => e.Attribute).find((a) => a.value === value);

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      reader = (await sg.partners.addOrganisation('cli', { name: 'MISP T', type: 'peer_centre', scopes: ['feeds:read'] }, 'test partner')).key.token;
      other = (await sg.partners.addOrganisation('cli', { name: 'Bank M', type: 'bank', scopes: ['payee:check'] }, 'test partner')).key.token;
      for (const [value, kind] of HIGH_RISK) await sg.verdicts.decide('user:test', { value, kind }, 'high_risk', 'misp test');
      await sg.verdicts.decide('user:test', { value: '+85261234567', kind: 'phone' }, 'suspicious', 'misp test');
    });
    after(async () => {
      await app.close();
      await sg.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses no key (401, with a challenge) and a key without feeds:read (403), on every file and feed path', async () => {
      const uuid = Object.keys(await manifestOf('all-high-risk'))[0] as string;
      for (const path of ['manifest.json', 'hashes.csv', `${uuid}.json`, 'all-flagged/manifest.json', 'all-flagged/hashes.csv', `all-flagged/${uuid}.json`, 'no-such-feed/manifest.json']) {
        const none = await get(`/feeds/misp/${path}`, {});
        assert.equal(none.statusCode, 401, path);
        assert.equal((none.json() as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
        assert.match(String(none.headers['www-authenticate']), /Bearer/);
        const wrong = await get(`/feeds/misp/${path}`, { authorization: `Bearer ${other}` });
        assert.equal(wrong.statusCode, 403, path);
        assert.equal((wrong.json() as { error: { code: string } }).error.code, 'FORBIDDEN');
      }
      // MISP's feed headers setting sends `Authorization: Bearer KEY`; HTTP Basic takes the key as the password.
      assert.equal((await get('/feeds/misp/manifest.json', { authorization: `Basic ${Buffer.from(`misp:${reader}`).toString('base64')}` })).statusCode, 200);
      assert.equal((await get('/feeds/misp/no-such-feed/manifest.json')).json().error.code, 'FEED_NOT_FOUND');
      assert.equal((await get('/feeds/misp/00000000-0000-4000-8000-000000000000.json')).statusCode, 404);
      assert.equal((await get('/feeds/misp/notes.txt')).statusCode, 404);
    });

    it('manifest.json (§4.1) names each event file, with the event’s own fields and its SHA-256', async () => {
      const res = await get('/feeds/misp/all-flagged/manifest.json');
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const manifest = res.json() as Record<string, Record<string, unknown>>;
      assert.ok(Object.keys(manifest).length >= 1);
      for (const [uuid, entry] of Object.entries(manifest)) {
        assert.match(uuid, UUID);
        const file = await get(`/feeds/misp/all-flagged/${uuid}.json`);
        assert.equal(file.statusCode, 200);
        const event = (file.json() as { Event: MispEvent }).Event;
        // §4.1: info, Orgc (MUST), analysis (SHALL), timestamp, date (MUST), threat_level_id (SHALL), from the event.
        for (const field of ['info', 'Orgc', 'analysis', 'timestamp', 'date', 'threat_level_id', 'Tag'] as const) assert.deepEqual(entry[field], event[field], field);
        // §4.1 integrity:sha256: the hexadecimal SHA-256 of the event file.
        assert.equal(entry['integrity:sha256'], sha256(file.body));
        assert.equal(event.uuid, uuid, '§4.1: the file is named by its event uuid');
      }
    });

    it('each event is the MISP core format (§2.2.1): one per UTC day of listing, published, fields as JSON strings', async () => {
      for (const event of await eventsOf()) {
        assert.match(event.uuid, UUID, '§2.2.1.1');
        assert.equal(event.published, true, '§2.2.1.3: a JSON boolean, true when published');
        assert.ok(event.info.length <= 256 && !event.info.includes('\n'), '§2.2.1.4');
        assert.match(event.info, new RegExp(`listed on ${event.date}`));
        assert.ok(['1', '2', '3', '4'].includes(event.threat_level_id), '§2.2.1.5');
        assert.equal(event.threat_level_id, '2', 'a feed with suspicious values: medium');
        assert.ok(['0', '1', '2'].includes(event.analysis), '§2.2.1.6');
        assert.match(event.date, /^\d{4}-\d{2}-\d{2}$/, '§2.2.1.7');
        assert.match(event.timestamp, UNIX, '§2.2.1.8');
        assert.equal(event.timestamp, String(Math.max(...event.Attribute.map((a) => Number(a.timestamp)))), '§2.2.1.8: the latest change of the event or an attribute');
        assert.match(event.publish_timestamp, UNIX, '§2.2.1.9');
        assert.ok(['0', '1', '2', '3', '4'].includes(event.distribution), '§2.2.1.14');
        assert.equal(event.sharing_group_id, '0', '§2.2.1.15: "0" unless distribution is 4');
        assert.match(event.Orgc.uuid, UUID, '§2.2.2.2');
        assert.equal(event.Orgc.name, 'Scamgraph HK');
        assert.ok(event.Tag.some((t) => t.name === 'tlp:green'), '§2.8: a MISP taxonomy tag');
        for (const t of event.Tag) assert.match(t.colour, /^#[0-9a-f]{6}$/i, '§2.8 colour');
        // A UTC day: every attribute of the event's day, and the same uuid for the same day.
        assert.equal(event.uuid, sg.misp.eventUuid('all-flagged', event.date));
      }
    });

    it('attributes (§2.3.2): a type valid for its category (describeTypes), a value MISP stores as given, to_ids true for high risk only', async () => {
      const events = await eventsOf();
      const attributes = events.flatMap((e) => e.Attribute);
      assert.equal(attributes.length, HIGH_RISK.length, 'every value but the payment proxy ID, and the suspicious number');
      for (const a of attributes) {
        assert.match(a.uuid, UUID, '§2.3.2.1');
        const defined = DESCRIBE_TYPES[a.type];
        assert.ok(defined !== undefined, `§2.3.2.3: ${a.type} is a MISP type`);
        assert.ok(defined.categories.includes(a.category), `§2.3.2.3-4: ${a.type} is valid in ${a.category}`);
        assert.equal(mispValueProblem(a.type, a.value), null, `${a.type} ${a.value}`);
        assert.equal(typeof a.to_ids, 'boolean', '§2.3.2.5');
        assert.equal(typeof a.deleted, 'boolean', '§2.3.2.11: MUST be present');
        assert.match(a.timestamp, UNIX, '§2.3.2.8');
        assert.ok(['0', '1', '2', '3', '4', '5'].includes(a.distribution), '§2.3.2.7');
        assert.equal(a.sharing_group_id, '0', '§2.3.2.10');
        assert.ok(a.comment.length > 0, 'the reasons in words');
      }
      const byValue = (v: string) => attributeOf(events, v) as MispAttribute;
      assert.deepEqual(
        Object.fromEntries(attributes.map((a) => [a.value, a.type])),
        {
          'misp-example.com': 'domain',
          'shop.misp-evil.example': 'hostname',
          'john@misp.example': 'email-src',
          '198.51.100.7': 'ip-dst',
          'misp-evil.example/login?x=1': 'url',
          '+85291234567': 'phone-number',
          '+85261234567': 'phone-number',
          GB33BUKB20201555555555: 'iban',
          '004123456789': 'bank-account-nr',
          bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq: 'btc',
          misp_scammer: 'twitter-id',
        },
      );
      // The rule (docs/feeds.md): actionable (§2.3.2.5) exactly when high risk; a suspicious value informs.
      assert.equal(byValue('+85291234567').to_ids, true, 'a high-risk number is for call blocking, although describeTypes defaults phone-number to 0');
      assert.equal(byValue('+85261234567').to_ids, false);
      assert.equal(byValue('+85291234567').category, 'Financial fraud');
      assert.match(byValue('+85291234567').comment, /^High risk: .*officer/);
      assert.equal(byValue('misp-example.com').to_ids, true);
    });

    it('hashes.csv is `md5(value),event uuid` a line for each listed attribute, as the feed generators write it', async () => {
      const res = await get('/feeds/misp/all-flagged/hashes.csv');
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      const events = await eventsOf();
      const expected = events.flatMap((e) => e.Attribute.filter((a) => !a.deleted).map((a) => `${md5(a.value)},${e.uuid}`));
      const lines = res.body.split('\n');
      assert.equal(lines.pop(), '', 'each line ends in \\n');
      assert.deepEqual(lines, expected);
      assert.ok(lines.includes(`${md5('+85291234567')},${events[0]?.uuid}`));
      for (const line of lines) assert.match(line, /^[0-9a-f]{32},[0-9a-f-]{36}$/);
    });

    it('a listing that ends stays as its attribute, deleted (§2.3.2.11) and not actionable, and its event’s timestamp moves on', async () => {
      const before = await eventsOf();
      const was = attributeOf(before, '198.51.100.7') as MispAttribute;
      const etag = (await get('/feeds/misp/all-flagged/manifest.json')).headers.etag as string;
      await sg.verdicts.decide('user:test', { value: '198.51.100.7', kind: 'ip' }, 'cleared', 'misp test');
      // MISP asks again with If-None-Match: the log moved, so the manifest is new.
      const again = await get('/feeds/misp/all-flagged/manifest.json', { authorization: `Bearer ${reader}`, 'if-none-match': etag });
      assert.equal(again.statusCode, 200);
      assert.notEqual(again.headers.etag, etag);
      const events = await eventsOf();
      const now = attributeOf(events, '198.51.100.7') as MispAttribute;
      assert.equal(now.uuid, was.uuid, '§2.3.2.1: the same attribute, updated');
      assert.equal(now.deleted, true);
      assert.equal(now.to_ids, false);
      assert.match(now.comment, /No longer listed/);
      assert.ok(Number(now.timestamp) >= Number(was.timestamp));
      const event = events.find((e) => e.Attribute.includes(now)) as MispEvent;
      // Feed.php getNewEventUuids pulls an event again when the manifest's timestamp is newer than its copy's.
      assert.ok(Number(event.timestamp) >= Number(now.timestamp));
      assert.ok(!(await get('/feeds/misp/all-flagged/hashes.csv')).body.includes(md5('198.51.100.7')), 'a revoked value is no feed hit');
    });

    it('answers 304 to the ETag it gave while the log has not moved (MISP caches the manifest by its ETag)', async () => {
      const first = await get('/feeds/misp/manifest.json');
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['cache-control'], 'private, no-cache');
      const second = await get('/feeds/misp/manifest.json', { authorization: `Bearer ${reader}`, 'if-none-match': first.headers.etag as string });
      assert.equal(second.statusCode, 304);
      assert.equal(second.body, '');
    });

    it('is a function of the log and the deployment’s key: the same files from another instance, other uuids in another deployment', async () => {
      const twin = new MispFeeds(sg.db, sg.verdicts, sg.config.feeds, sg.secrets.stixKey, 'HK');
      const [a, b] = [await sg.misp.files('all-flagged'), await twin.files('all-flagged')];
      assert.equal(b.manifest, a.manifest);
      assert.equal(b.hashes, a.hashes);
      const elsewhere = await new MispFeeds(sg.db, sg.verdicts, sg.config.feeds, Buffer.alloc(32, 7), 'HK').files('all-flagged');
      assert.notDeepEqual(Object.keys(JSON.parse(elsewhere.manifest)), Object.keys(JSON.parse(a.manifest)));
    });

    it('round trip: the feed written to a directory and imported (--misp-feed DIR) into another Scamgraph lists the same values at the same levels; again, nothing', async () => {
      const files = await sg.misp.files('all-flagged');
      const out = join(dir, 'feed');
      mkdirSync(out);
      for (const [uuid, { text }] of files.events) writeFileSync(join(out, `${uuid}.json`), text);
      writeFileSync(join(out, 'manifest.json'), files.manifest);
      const copy = await openTestScamgraph(engine);
      try {
        const options = { region: 'HK', rejectsPath: join(dir, 'dir.rejects.jsonl'), level: 'high_risk' as const };
        const first = await importMispFeed(copy.db, out, 'misp-copy', options);
        assert.equal(first.rejected, 0, readFileSync(options.rejectsPath, 'utf8'));
        assert.equal(first.deleted, 1, 'the cleared IP address is passed over');
        await copy.verdicts.catchUp();
        assert.deepEqual(await listed(copy), (await listed(sg)).filter((l) => !l.includes('198.51.100.7')));
        assert.ok((await listed(copy)).includes('phone +85261234567 suspicious'), 'to_ids false: suspicious');
        const second = await importMispFeed(copy.db, out, 'misp-copy', options);
        assert.equal(second.stored, 0);
        assert.equal(second.alreadyPresent, first.stored);
      } finally {
        await copy.close();
      }
    });

    it('imports over HTTP from the running server with the key as MISP sends it, and refuses to go on without one', async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      const copy = await openTestScamgraph(engine);
      try {
        const options = { region: 'HK', rejectsPath: join(dir, 'http.rejects.jsonl'), level: 'high_risk' as const, headers: { authorization: `Bearer ${reader}` } };
        const url = `http://127.0.0.1:${port}/feeds/misp/all-flagged/`;
        const first = await importMispFeed(copy.db, url, 'misp-http', options);
        assert.equal(first.rejected, 0);
        assert.ok(first.stored >= 9);
        await copy.verdicts.catchUp();
        assert.deepEqual(await listed(copy), (await listed(sg)).filter((l) => !l.includes('198.51.100.7')));
        assert.equal((await importMispFeed(copy.db, url, 'misp-http', options)).stored, 0, 'a second run adds nothing');
        await assert.rejects(importMispFeed(copy.db, url, 'misp-http', { ...options, headers: {} }), (e: Error & { code?: string }) => e.code === 'FEED_FETCH_FAILED' && /answered 401/.test(e.message));
      } finally {
        await copy.close();
      }
    });

    it('reads another producer’s feed by the spec: composites, objects, deleted attributes, to_ids as "0", dates; refuses what is not a feed', async () => {
      const feedDir = join(dir, 'foreign');
      mkdirSync(feedDir);
      const [e1, e2, missing] = ['57c6ac4c-c60c-4f79-a38f-b666950d210f', '5720accd-dd28-45f8-80e5-4605950d210f', '5720accd-dd28-45f8-80e5-4605950d2100'];
      const org = { name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' };
      // §4.1.1's sample manifest, with a name that is not a uuid (it must never become a path).
      writeFileSync(join(feedDir, 'manifest.json'), JSON.stringify({ [e1]: { info: 'a', Orgc: org, timestamp: '1472638251', date: '2016-08-31' }, [e2]: { info: 'b', Orgc: org }, [missing]: { info: 'c', Orgc: org }, '../../etc/passwd': { info: 'x' } }));
      const attr = (type: string, value: string, extra: Record<string, unknown> = {}) => ({ uuid: '57f4f6d9-cd20-458b-84fd-109ec0a83869', type, category: 'Other', value, to_ids: true, deleted: false, timestamp: '1475679332', ...extra });
      writeFileSync(
        join(feedDir, `${e1}.json`),
        JSON.stringify({
          Event: {
            uuid: e1,
            info: 'foreign',
            Attribute: [
              attr('phone-number', '+85291234568', { to_ids: '0' }),
              attr('domain|ip', 'foreign-evil.example|203.0.113.9'),
              attr('ip-dst|port', '203.0.113.10|443'),
              attr('md5', 'd41d8cd98f00b204e9800998ecf8427e'),
              attr('url', 'http://gone.example/x', { deleted: true }),
              attr('email-src', 'someone@foreign.example', { first_seen: '2019-06-02T22:14:28.711954+00:00', last_seen: null }),
              attr('phone-number', 'not a number'),
              attr('phone-number', '+85291234569', { first_seen: 'yesterday' }),
            ],
            Object: [
              { name: 'domain-ip', Attribute: [attr('domain', 'object-evil.example')] },
              { name: 'domain-ip', deleted: true, Attribute: [attr('domain', 'deleted-object.example')] },
            ],
          },
        }),
      );
      // The same number actionable in a later event: the higher level stands.
      writeFileSync(join(feedDir, `${e2}.json`), JSON.stringify({ Event: { uuid: e2, info: 'b', Attribute: [attr('phone-number', '+85291234568', { to_ids: true })] } }));
      const copy = await openTestScamgraph(engine);
      try {
        const rejectsPath = join(dir, 'foreign.rejects.jsonl');
        const summary = await importMispFeed(copy.db, feedDir, 'foreign', { region: 'HK', rejectsPath, level: 'high_risk' });
        await copy.verdicts.catchUp();
        assert.deepEqual(await listed(copy), [
          'domain foreign-evil.example high_risk',
          'domain object-evil.example high_risk',
          'email someone@foreign.example high_risk',
          'ip 203.0.113.10 high_risk',
          'ip 203.0.113.9 high_risk',
          'phone +85291234568 high_risk',
        ]);
        assert.equal(summary.events, 2);
        assert.equal(summary.deleted, 2, 'a deleted attribute and one in a deleted object');
        assert.equal(summary.untyped, 1, 'the md5');
        const rejects = readFileSync(rejectsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; reason: string });
        assert.deepEqual(rejects.map((r) => r.code).sort(), ['FEED_FETCH_FAILED', 'INVALID_PHONE', 'VALIDATION_FAILED', 'VALIDATION_FAILED'].sort(), JSON.stringify(rejects));
        assert.ok(rejects.some((r) => r.reason.includes('../../etc/passwd') && /not an event uuid/.test(r.reason)));
        assert.ok(rejects.some((r) => r.reason.includes(missing)));
        assert.ok(rejects.some((r) => /ISO 8601/.test(r.reason)));
        writeFileSync(join(feedDir, 'manifest.json'), '[]');
        await assert.rejects(importMispFeed(copy.db, feedDir, 'foreign', { region: 'HK', rejectsPath, level: 'high_risk' }), (e: Error & { code?: string }) => e.code === 'VALIDATION_FAILED');
      } finally {
        await copy.close();
      }
    });
  });
}

// The CLI end to end: `feeds misp --out DIR` from one data directory, `import --misp-feed DIR` into another.
describe('scamgraph feeds misp and import --misp-feed', () => {
  const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'scamgraph.js');
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-misp-cli-'));
  const env = childEnv({ SCAMGRAPH_SECRET_KEY: TEST_SECRET.toString('base64') });
  const scamgraph = (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => execFile(process.execPath, [BIN, ...args], { cwd: dir, env }, (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr })));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SCAMGRAPH_MISP_FEED names the default feed, and a name that is no feed stops the process', () => {
    assert.equal(loadConfig({}).mispFeed, 'all-high-risk');
    assert.equal(loadConfig({ SCAMGRAPH_MISP_FEED: 'phones-high-risk' }).mispFeed, 'phones-high-risk');
    assert.throws(() => loadConfig({ SCAMGRAPH_MISP_FEED: 'no-such-feed' }), (e: Error) => e instanceof ConfigError && /SCAMGRAPH_MISP_FEED=no-such-feed must name a feed/.test(e.message));
  });

  it('writes the directory (manifest last, whole files) and another Scamgraph reads it; usage errors exit 2', async () => {
    writeFileSync(join(dir, 'list.txt'), 'misp-cli-one.example\n+85291230099\nfps:7654321\n');
    assert.equal((await scamgraph('import', 'list.txt', '--as', 'feed:cli', '--level', 'high_risk', '--data', 'one')).status, 0);
    const written = await scamgraph('feeds', 'misp', '--out', 'out', '--data', 'one');
    assert.equal(written.status, 0, written.stderr);
    assert.match(written.stdout, /^out: MISP feed all-high-risk, 1 events \(one per day of listing\), 2 values listed, 0 revoked, 1 left out \(no MISP type\), verdict log \d+\.$/m);
    const names = readdirSync(join(dir, 'out')).sort();
    assert.equal(names.length, 3);
    assert.ok(names.includes('manifest.json') && names.includes('hashes.csv'));
    assert.ok(!names.some((n) => n.endsWith('.partial')));
    const imported = await scamgraph('import', '--misp-feed', 'out', '--as', 'feed:from-misp', '--level', 'high_risk', '--data', 'two');
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /^1 MISP events read; 0 attributes of types Scamgraph does not judge and 0 revoked ones passed over\.$/m);
    assert.match(imported.stdout, /2 entries of feed from-misp added, 0 already present/);
    const again = await scamgraph('import', '--misp-feed', 'out', '--as', 'feed:from-misp', '--level', 'high_risk', '--data', 'two');
    assert.match(again.stdout, /0 entries of feed from-misp added, 2 already present/);
    const check = await scamgraph('check', '+85291230099', '--json', '--data', 'two');
    assert.equal((JSON.parse(check.stdout) as { verdict: { level: string } }).verdict.level, 'high_risk');
    for (const args of [
      ['import', 'list.txt', '--misp-feed', 'out', '--as', 'feed:x', '--level', 'high_risk'],
      ['import', '--misp-feed', 'out', '--level', 'high_risk'],
      ['import', '--misp-feed', 'out', '--as', 'feed:x'],
      ['import', '--misp-feed', 'out', '--as', 'feed:x', '--level', 'high_risk', '--header', 'Authorization: Bearer k'],
      ['import', '--misp-feed', 'ftp://example/feed', '--as', 'feed:x', '--level', 'high_risk'],
      ['import', '--misp-feed', 'https://example/feed', '--as', 'feed:x', '--level', 'high_risk', '--header', 'no colon'],
      ['feeds', 'misp'],
    ]) {
      const refused = await scamgraph(...args, '--data', 'two');
      assert.equal(refused.status, 2, `${args.join(' ')}: ${refused.stderr}`);
    }
  });
});
