import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { canonicalizeUrl, lookupExpressions } from '../../src/modules/indicators/index.js';
import { riceDecode } from '../../src/modules/lists/rice.js';
import { messageType } from '../../src/modules/lists/safe-browsing-proto.js';
import type { Scamgraph } from '../../src/main.js';
import { databaseRows, ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, bearer } from '../helpers/http.js';
import { rng } from '../helpers/report-generator.js';

// The Safe Browsing v4 Update API over the hashed link lists (issue 15), checked the way a Safe Browsing
// client uses it (developers.google.com/safe-browsing/v4/local-databases): full then partial updates from the
// client state, removals by index into the client's sorted prefixes, additions merged, the SHA-256 of the
// result compared with the server's checksum; local look-ups by lookup expression; full hashes only on a match.

interface EntrySet {
  compressionType: 'RAW' | 'RICE';
  rawHashes?: { prefixSize: number; rawHashes: string };
  rawIndices?: { indices: number[] };
  riceHashes?: { firstValue: string; riceParameter: number; numEntries: number; encodedData: string };
  riceIndices?: { firstValue: string; riceParameter: number; numEntries: number; encodedData: string };
}
interface ListUpdateResponse {
  threatType: string;
  platformType: string;
  threatEntryType: string;
  responseType: 'FULL_UPDATE' | 'PARTIAL_UPDATE';
  additions?: EntrySet[];
  removals?: EntrySet[];
  newClientState: string;
  checksum: { sha256: string };
}

/** A log stream kept in memory. */
class MemoryLog extends Writable {
  text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text.push(chunk.toString());
    done();
  }
}


interface Metadata {
  entries: { key: string; value: string }[];
}
type Label = { en: string; 'zh-Hant': string };
/** The verdict a match carries in its metadata, under the key scamgraph-verdict. */
function verdictOf(metadata: Metadata | undefined): { level: string; headline: Label; reasons: { code: string; message: Label }[] } {
  const entry = metadata?.entries.find((e) => Buffer.from(e.key, 'base64').toString() === 'scamgraph-verdict');
  assert.ok(entry, 'the match carries its verdict');
  return JSON.parse(Buffer.from(entry.value, 'base64').toString());
}
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const fromRice = (r: NonNullable<EntrySet['riceHashes']>) => riceDecode({ firstValue: Number(r.firstValue), riceParameter: r.riceParameter, numEntries: r.numEntries, encodedData: Buffer.from(r.encodedData, 'base64') });

/** A Safe Browsing client's local database of one list: sorted prefixes and the state they are at. */
class LocalList {
  prefixes: Buffer[] = [];
  state = '';

  apply(update: ListUpdateResponse): void {
    if (update.responseType === 'FULL_UPDATE') this.prefixes = [];
    const removed = new Set<number>();
    for (const set of update.removals ?? []) {
      const indices = set.compressionType === 'RAW' ? (set.rawIndices as { indices: number[] }).indices : fromRice(set.riceIndices as NonNullable<EntrySet['riceIndices']>);
      for (const i of indices) removed.add(i);
    }
    const kept = this.prefixes.filter((_, i) => !removed.has(i));
    for (const set of update.additions ?? []) {
      if (set.compressionType === 'RAW') {
        const raw = Buffer.from((set.rawHashes as { rawHashes: string }).rawHashes, 'base64');
        assert.equal(set.rawHashes?.prefixSize, 4);
        for (let i = 0; i < raw.length; i += 4) kept.push(raw.subarray(i, i + 4));
      } else {
        for (const n of fromRice(set.riceHashes as NonNullable<EntrySet['riceHashes']>)) {
          const p = Buffer.alloc(4);
          p.writeUInt32LE(n, 0);
          kept.push(p);
        }
      }
    }
    this.prefixes = kept.sort(Buffer.compare);
    // The client's check: a mismatch means its database is wrong, and it must reset and ask afresh.
    assert.equal(createHash('sha256').update(Buffer.concat(this.prefixes)).digest('base64'), update.checksum.sha256, 'checksum of the list after the update');
    this.state = update.newClientState;
  }

  /** The prefixes of a page's lookup expressions that are on the list (what a client sends to fullHashes:find). */
  matches(url: string): Buffer[] {
    const held = new Set(this.prefixes.map((p) => p.toString('hex')));
    return lookupExpressions(canonicalizeUrl(url)).map((e) => sha256(e).subarray(0, 4)).filter((p) => held.has(p.toString('hex')));
  }
}

for (const engine of ENGINES) {
  describe(`Safe Browsing v4 Update API (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let key: string;
    let bank: string;

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      key = (await sg.partners.addOrganisation('cli', { name: 'Browser B', type: 'app', scopes: ['lists:read'] }, 'test partner')).key.token;
      bank = (await sg.partners.addOrganisation('cli', { name: 'Bank B', type: 'bank', scopes: ['payee:check', 'feeds:read'] }, 'test partner')).key.token;
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const decide = (value: string, level: 'high_risk' | 'suspicious' | 'cleared', kind?: 'domain') => sg.verdicts.decide('user:test', { value, ...(kind === undefined ? {} : { kind }) }, level, 'safe browsing test');
    const listRequest = (threatType: string, state: string, rice: boolean) => ({ threatType, platformType: 'ANY_PLATFORM', threatEntryType: 'URL', state, constraints: { supportedCompressions: rice ? ['RAW', 'RICE'] : ['RAW'] } });
    const fetchUpdates = async (lists: { threatType: string; state: string }[], rice = false): Promise<ListUpdateResponse[]> => {
      const res = await app.inject({ method: 'POST', url: `/safebrowsing/v4/threatListUpdates:fetch?key=${key}`, payload: { client: { clientId: 'test', clientVersion: '1' }, listUpdateRequests: lists.map((l) => listRequest(l.threatType, l.state, rice)) } });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { listUpdateResponses: ListUpdateResponse[]; minimumWaitDuration: string };
      assert.match(body.minimumWaitDuration, /^\d+s$/);
      return body.listUpdateResponses;
    };
    const findFullHashes = async (prefixes: Buffer[]) => {
      const res = await app.inject({
        method: 'POST',
        url: '/safebrowsing/v4/fullHashes:find',
        headers: bearer(key),
        payload: { client: { clientId: 'test', clientVersion: '1' }, threatInfo: { threatTypes: ['SOCIAL_ENGINEERING', 'UNWANTED_SOFTWARE'], platformTypes: ['ANY_PLATFORM'], threatEntryTypes: ['URL'], threatEntries: prefixes.map((p) => ({ hash: p.toString('base64') })) } },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { matches: { threatType: string; threat: { hash: string }; threatEntryMetadata?: Metadata; cacheDuration: string }[]; negativeCacheDuration: string };
    };

    it('refuses every route without a key (401) and with a key lacking lists:read (403)', async () => {
      const routes = [
        { method: 'GET' as const, url: '/safebrowsing/v4/threatLists' },
        { method: 'POST' as const, url: '/safebrowsing/v4/threatListUpdates:fetch' },
        { method: 'POST' as const, url: '/safebrowsing/v4/fullHashes:find' },
      ];
      for (const route of routes) {
        assertRefused(await app.inject({ ...route, payload: route.method === 'POST' ? {} : undefined }), 'UNAUTHENTICATED');
        assertRefused(await app.inject({ ...route, url: `${route.url}?key=${bank}`, payload: route.method === 'POST' ? {} : undefined }), 'FORBIDDEN');
        assertRefused(await app.inject({ ...route, url: `${route.url}?key=sgp_not_a_key`, payload: route.method === 'POST' ? {} : undefined }), 'UNAUTHENTICATED');
      }
      const lists = await app.inject({ url: `/safebrowsing/v4/threatLists?key=${key}` });
      assert.equal(lists.statusCode, 200);
      assert.deepEqual(lists.json(), { threatLists: [{ threatType: 'SOCIAL_ENGINEERING', platformType: 'ANY_PLATFORM', threatEntryType: 'URL' }, { threatType: 'UNWANTED_SOFTWARE', platformType: 'ANY_PLATFORM', threatEntryType: 'URL' }] });
    });

    it('a client syncs full then partial updates, RAW and RICE alike, and its list always checks out', async () => {
      await decide('sb-evil.example', 'high_risk', 'domain');
      await decide('https://sb-shop.example/pay/now?order=1', 'high_risk');
      await decide('http://sb-odd.example/offer', 'suspicious');
      const raw = { high: new LocalList(), suspicious: new LocalList() };
      const rice = { high: new LocalList(), suspicious: new LocalList() };
      const sync = async () => {
        for (const [lists, compressed] of [[raw, false], [rice, true]] as const) {
          const [high, suspicious] = await fetchUpdates([{ threatType: 'SOCIAL_ENGINEERING', state: lists.high.state }, { threatType: 'UNWANTED_SOFTWARE', state: lists.suspicious.state }], compressed);
          assert.equal(high?.threatType, 'SOCIAL_ENGINEERING');
          assert.equal(suspicious?.threatType, 'UNWANTED_SOFTWARE');
          for (const set of [...(high?.additions ?? []), ...(high?.removals ?? [])]) assert.equal(set.compressionType, compressed ? 'RICE' : 'RAW');
          lists.high.apply(high as ListUpdateResponse);
          lists.suspicious.apply(suspicious as ListUpdateResponse);
        }
        assert.deepEqual(rice.high.prefixes, raw.high.prefixes);
        assert.deepEqual(rice.suspicious.prefixes, raw.suspicious.prefixes);
      };
      await sync();
      const expected = ['sb-evil.example/', 'sb-shop.example/pay/now?order=1'].map((e) => sha256(e).subarray(0, 4)).sort(Buffer.compare);
      assert.deepEqual(raw.high.prefixes, expected);
      assert.equal(raw.suspicious.prefixes.length, 1);

      // Nothing changed: a partial update with nothing in it and the same state.
      const [same] = await fetchUpdates([{ threatType: 'SOCIAL_ENGINEERING', state: raw.high.state }]);
      assert.equal(same?.responseType, 'PARTIAL_UPDATE');
      assert.equal(same?.additions, undefined);
      assert.equal(same?.removals, undefined);
      assert.equal(same?.newClientState, raw.high.state);

      // One site cleared, one link raised from suspicious to high risk, one new: removals by index and additions.
      await decide('sb-evil.example', 'cleared', 'domain');
      await decide('http://sb-odd.example/offer', 'high_risk');
      await decide('https://sb-new.example/', 'high_risk');
      const [partial] = await fetchUpdates([{ threatType: 'SOCIAL_ENGINEERING', state: raw.high.state }]);
      assert.equal(partial?.responseType, 'PARTIAL_UPDATE');
      assert.deepEqual(partial?.removals, [{ compressionType: 'RAW', rawIndices: { indices: [raw.high.prefixes.findIndex((p) => p.equals(sha256('sb-evil.example/').subarray(0, 4)))] } }]);
      await sync();
      assert.deepEqual(raw.high.prefixes, ['sb-shop.example/pay/now?order=1', 'sb-odd.example/offer', 'sb-new.example/'].map((e) => sha256(e).subarray(0, 4)).sort(Buffer.compare));
      assert.deepEqual(raw.suspicious.prefixes, []);

      // Random decisions over a dozen links, synced at random points: the client always equals a fresh copy.
      const random = rng(5);
      const links = Array.from({ length: 12 }, (_, i) => `https://sb-r${i}.example/p${i}`);
      for (let step = 0; step < 40; step++) {
        const link = links[Math.floor(random() * links.length)] as string;
        const level = (['high_risk', 'suspicious', 'cleared'] as const)[Math.floor(random() * 3)] as 'high_risk';
        if (random() < 0.3) await decide(new URL(link).host, level, 'domain');
        else await decide(link, level);
        if (random() < 0.3) await sync();
      }
      await sync();
      const fresh = new LocalList();
      fresh.apply((await fetchUpdates([{ threatType: 'SOCIAL_ENGINEERING', state: '' }]))[0] as ListUpdateResponse);
      assert.deepEqual(raw.high.prefixes, fresh.prefixes);
    });

    it('checks a page locally by its lookup expressions and asks for full hashes only on a match', async () => {
      await decide('sb-phish.example', 'high_risk', 'domain');
      const local = new LocalList();
      local.apply((await fetchUpdates([{ threatType: 'SOCIAL_ENGINEERING', state: '' }]))[0] as ListUpdateResponse);
      assert.deepEqual(local.matches('http://www.unlisted-sb.example/login'), []);
      const hit = local.matches('https://login.sb-phish.example/account/verify.html?id=7');
      assert.equal(hit.length, 1);
      const found = await findFullHashes(hit);
      assert.deepEqual(found.matches.map((m) => [m.threatType, m.threat.hash]), [['SOCIAL_ENGINEERING', sha256('sb-phish.example/').toString('base64')]]);
      assert.match(found.matches[0]?.cacheDuration ?? '', /^\d+s$/);
      assert.match(found.negativeCacheDuration, /^\d+s$/);
      // The match says why, in both languages, for the client's warning (ThreatEntryMetadata, docs/lists.md).
      const verdict = verdictOf(found.matches[0]?.threatEntryMetadata);
      assert.equal(verdict.level, 'high_risk');
      assert.deepEqual(verdict.reasons.map((r) => r.code), ['OFFICER_CONFIRMED']);
      assert.ok(verdict.headline.en.length > 0 && verdict.headline['zh-Hant'].length > 0);
      // A prefix that is on no list: no match, and the negative cache duration to remember it by.
      assert.deepEqual((await findFullHashes([Buffer.from('00000000', 'hex')])).matches, []);
    });

    it('speaks protobuf as well (alt=proto, application/x-protobuf bodies): the same answers as JSON', async () => {
      await decide('sb-proto.example', 'high_risk', 'domain');
      const request = { client: { clientId: 'test', clientVersion: '1' }, listUpdateRequests: [listRequest('SOCIAL_ENGINEERING', '', true), listRequest('UNWANTED_SOFTWARE', '', false)] };
      const asJson = await app.inject({ method: 'POST', url: `/safebrowsing/v4/threatListUpdates:fetch?key=${key}`, payload: request });
      const type = messageType('FetchThreatListUpdatesRequest');
      const body = Buffer.from(type.encode(type.fromObject(request)).finish());
      const asProto = await app.inject({ method: 'POST', url: `/safebrowsing/v4/threatListUpdates:fetch?key=${key}&alt=proto`, headers: { 'content-type': 'application/x-protobuf' }, payload: body });
      assert.equal(asProto.statusCode, 200, asProto.body);
      assert.match(String(asProto.headers['content-type']), /^application\/x-protobuf/);
      const answer = messageType('FetchThreatListUpdatesResponse');
      const read = answer.toObject(answer.decode(asProto.rawPayload), { enums: String, bytes: String, longs: String });
      assert.deepEqual(read, { ...asJson.json(), minimumWaitDuration: { seconds: '120' } });
      const local = new LocalList();
      local.apply((read as { listUpdateResponses: ListUpdateResponse[] }).listUpdateResponses[0] as ListUpdateResponse);
      const hit = local.matches('https://www.sb-proto.example/');
      assert.equal(hit.length, 1);
      const find = messageType('FindFullHashesRequest');
      const findBody = { threatInfo: { threatTypes: ['SOCIAL_ENGINEERING'], platformTypes: ['ANY_PLATFORM'], threatEntryTypes: ['URL'], threatEntries: hit.map((p) => ({ hash: p.toString('base64') })) } };
      const found = await app.inject({ method: 'POST', url: `/safebrowsing/v4/fullHashes:find?key=${key}&alt=proto`, headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from(find.encode(find.fromObject(findBody)).finish()) });
      assert.equal(found.statusCode, 200, found.body);
      const matches = messageType('FindFullHashesResponse');
      const m = matches.toObject(matches.decode(found.rawPayload), { enums: String, bytes: String, longs: String }) as { matches: { threat: { hash: string }; threatEntryMetadata?: Metadata }[]; negativeCacheDuration: { seconds: string } };
      assert.deepEqual(m.matches.map((x) => x.threat.hash), [sha256('sb-proto.example/').toString('base64')]);
      assert.equal(verdictOf(m.matches[0]?.threatEntryMetadata).level, 'high_risk');
      assert.deepEqual(m.negativeCacheDuration, { seconds: '300' });
      const lists = await app.inject({ url: `/safebrowsing/v4/threatLists?key=${key}&alt=proto` });
      const listType = messageType('ListThreatListsResponse');
      assert.deepEqual(listType.toObject(listType.decode(lists.rawPayload), { enums: String }), { threatLists: [{ threatType: 'SOCIAL_ENGINEERING', platformType: 'ANY_PLATFORM', threatEntryType: 'URL' }, { threatType: 'UNWANTED_SOFTWARE', platformType: 'ANY_PLATFORM', threatEntryType: 'URL' }] });
    });

    it('learns no link: after 1,000 client checks, neither the log nor the database holds a page that was checked', async () => {
      const sites = Array.from({ length: 5 }, (_, i) => `sb-priv${i}.example`);
      for (const site of sites) await decide(site, 'high_risk', 'domain');
      const log = new MemoryLog();
      const logged = await buildApp(sg, { logger: { level: 'info', stream: log } });
      const local = new LocalList();
      const update = await logged.inject({ method: 'POST', url: `/safebrowsing/v4/threatListUpdates:fetch?key=${key}`, payload: { listUpdateRequests: [listRequest('SOCIAL_ENGINEERING', '', true)] } });
      local.apply((update.json() as { listUpdateResponses: ListUpdateResponse[] }).listUpdateResponses[0] as ListUpdateResponse);
      const random = rng(11);
      const pages = Array.from({ length: 1000 }, (_, i) =>
        i % 2 === 0 ? `https://m.${sites[i % 5]}/pv-${i}-${Math.floor(random() * 1e9)}/login?acct=pq${i}` : `https://pv-unlisted-${i}-${Math.floor(random() * 1e9)}.example/pv-${i}`,
      );
      let asked = 0;
      let warned = 0;
      for (const page of pages) {
        const hit = local.matches(page);
        if (hit.length === 0) continue;
        asked++;
        const res = await logged.inject({ method: 'POST', url: `/safebrowsing/v4/fullHashes:find?key=${key}`, payload: { threatInfo: { threatTypes: ['SOCIAL_ENGINEERING'], platformTypes: ['ANY_PLATFORM'], threatEntryTypes: ['URL'], threatEntries: hit.map((p) => ({ hash: p.toString('base64') })) } } });
        const fulls = new Set((res.json() as { matches: { threat: { hash: string } }[] }).matches.map((m) => m.threat.hash));
        if (lookupExpressions(canonicalizeUrl(page)).some((e) => fulls.has(sha256(e).toString('base64')))) warned++;
      }
      await logged.close();
      assert.equal(warned, 500, 'every page under a listed site is warned about');
      assert.ok(asked >= 500 && asked < 510, `full-hash requests only on a local match (${asked})`);
      const text = log.text.join('') + (await databaseRows(sg)).join('\n');
      // The dump and the log are read: the decided sites are in the database, the calls counted in the log.
      assert.ok(text.includes('sb-priv0.example') && /"route":"\/safebrowsing\/v4\/fullHashes:?:find"/.test(text), 'the log and the database were read');
      for (const page of pages) {
        const { host, pathname } = new URL(page);
        for (const part of [page, pathname, host.startsWith('m.') ? `${host}${pathname}` : host]) assert.ok(!text.includes(part), `the server holds ${part}`);
      }
      assert.ok(!/pv-\d+-\d+|pv-unlisted|acct=pq/.test(text), 'no trace of a checked page');
    });

    it('answers a state it cannot use with a full update, and refuses lists it does not serve', async () => {
      const [reset] = await fetchUpdates([{ threatType: 'SOCIAL_ENGINEERING', state: Buffer.from('not a state').toString('base64') }]);
      assert.equal(reset?.responseType, 'FULL_UPDATE');
      const [other] = await fetchUpdates([{ threatType: 'UNWANTED_SOFTWARE', state: reset?.newClientState ?? '' }]);
      assert.equal(other?.responseType, 'FULL_UPDATE', 'a state of another list');
      const malware = await app.inject({ method: 'POST', url: `/safebrowsing/v4/threatListUpdates:fetch?key=${key}`, payload: { listUpdateRequests: [{ threatType: 'MALWARE', platformType: 'ANY_PLATFORM', threatEntryType: 'URL' }] } });
      assertRefused(malware, 'UNKNOWN_LIST');
      const garbage = await app.inject({ method: 'POST', url: `/safebrowsing/v4/threatListUpdates:fetch?key=${key}`, headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from([0x0a, 0xff, 0xff]) });
      assertRefused(garbage, 'VALIDATION_FAILED');
      const short = await app.inject({ method: 'POST', url: `/safebrowsing/v4/fullHashes:find?key=${key}`, payload: { threatInfo: { threatTypes: ['SOCIAL_ENGINEERING'], platformTypes: ['ANY_PLATFORM'], threatEntryTypes: ['URL'], threatEntries: [{ hash: 'AAA=' }] } } });
      assertRefused(short, 'VALIDATION_FAILED');
      // Bodies that are not the API's: refused with the field named, whatever the list.
      for (const payload of [{}, { listUpdateRequests: listRequest('SOCIAL_ENGINEERING', '', false) }, { listUpdateRequests: [] }, { listUpdateRequests: [{ ...listRequest('SOCIAL_ENGINEERING', '', false), extra: 1 }] }, { listUpdateRequests: [listRequest('SOCIAL_ENGINEERING', '%%%', false)] }, { listUpdateRequests: [{ ...listRequest('SOCIAL_ENGINEERING', '', false), constraints: { supportedCompressions: ['ZIP'] } }] }]) {
        assertRefused(await app.inject({ method: 'POST', url: `/safebrowsing/v4/threatListUpdates:fetch?key=${key}`, payload }), 'VALIDATION_FAILED');
      }
      assertRefused(await app.inject({ url: `/safebrowsing/v4/threatLists?key=${key}&unexpected=1` }), 'VALIDATION_FAILED');
    });
  });
}
