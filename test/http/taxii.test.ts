import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { acceptsTaxii } from '../../src/http/routes/taxii.routes.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { registeredRoutes } from '../helpers/http.js';
import { stixPatternErrors } from '../helpers/stix-pattern.js';
import { stixSchemaErrors } from '../helpers/stix-schemas.js';

// TAXII 2.1 (OASIS TAXII Version 2.1, § below) serving STIX 2.1 (OASIS STIX Version 2.1, "STIX §") from the
// verdict log (issue 14). Objects are checked against the OASIS JSON schemas and their patterns with a parser
// generated from the OASIS pattern grammar; observable ids against the STIX spec's own examples.

const TAXII = 'application/taxii+json;version=2.1';
type Json = Record<string, unknown>;
type StixObject = Json & { type: string; id: string; modified?: string; created?: string; revoked?: boolean; pattern?: string };

for (const engine of ENGINES) {
  describe(`TAXII 2.1 server (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let reader = '';
    let other = '';
    let root = '';
    const ids: Record<string, string> = {};

    const get = (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'GET', url, headers: { accept: TAXII, authorization: `Bearer ${reader}`, ...headers } });
    const json = async (url: string): Promise<Json> => {
      const res = await get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      return res.json() as Json;
    };
    const collectionUrl = (feed: string) => `${root}collections/${ids[feed]}/`;
    /** Every object of a collection, following `next` (§3.5) with `limit` per page. */
    async function all(feed: string, limit = 1000, extra = ''): Promise<{ objects: StixObject[]; dates: string[] }> {
      const objects: StixObject[] = [];
      const dates: string[] = [];
      let next: string | undefined;
      for (let page = 0; page < 1000; page++) {
        const res = await get(`${collectionUrl(feed)}objects/?limit=${limit}${extra}${next === undefined ? '' : `&next=${next}`}`);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { more?: boolean; next?: string; objects?: StixObject[] };
        objects.push(...(body.objects ?? []));
        if (body.objects !== undefined) dates.push(res.headers['x-taxii-date-added-first'] as string, res.headers['x-taxii-date-added-last'] as string);
        if (body.more !== true) return { objects, dates };
        assert.ok(body.next, 'more without next (taxii2-client would ask for page one again)');
        next = body.next;
      }
      throw new Error('no end of pages');
    }

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      reader = (await sg.partners.addOrganisation('cli', { name: 'CERT T', type: 'peer_centre', scopes: ['feeds:read'] }, 'test partner')).key.token;
      other = (await sg.partners.addOrganisation('cli', { name: 'Bank T', type: 'bank', scopes: ['payee:check'] }, 'test partner')).key.token;
      for (const [value, kind] of [
        ['example.com', 'domain'],
        ['john@example.com', 'email'],
        ['198.51.100.3', 'ip'],
        ['https://example.com/research/index.html', 'url'],
        ['+85291234567', 'phone'],
        ['GB33BUKB20201555555555', 'bank_account'],
        ['004-123-456789', 'bank_account'],
        ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'crypto_wallet'],
        ['fps:1234567', 'payment_proxy'],
        ['#SCAMCO', 'sms_sender'],
        ['https://www.facebook.com/some.scammer', 'social_account'],
        ["http://quote.example/it's", 'url'],
      ] as const) {
        await sg.verdicts.decide('user:test', { value, kind }, 'high_risk', 'taxii test');
      }
      await sg.verdicts.protect('user:test', { value: 'taxii-bank.example', kind: 'domain' }, 'TAXII Bank');
      const discovery = await json('/taxii2/');
      root = (discovery.api_roots as string[])[0] as string;
      for (const c of ((await json(`${root}collections/`)).collections as { id: string; alias: string }[])) ids[c.alias] = c.id;
    });
    after(async () => {
      await app?.close();
      await sg?.close();
    });

    it('every TAXII route refuses no key (401 with a challenge, §1.6.9) and a key without feeds:read (403), in the TAXII media type', async () => {
      const routes = registeredRoutes(app, '/taxii2/');
      assert.ok(routes.length >= 9, routes.join('\n'));
      for (const route of routes) {
        const [method, path] = route.split(' ') as [string, string];
        const url = `/taxii2${path.replace(':id', ids['all-high-risk'] as string).replace(':objectId', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')}`;
        const none = await app.inject({ method: method as 'GET', url, headers: { accept: TAXII } });
        assert.equal(none.statusCode, 401, route);
        assert.equal(none.headers['content-type'], TAXII, route);
        assert.match(none.headers['www-authenticate'] as string, /^Basic realm="Scamgraph TAXII"/);
        assert.deepEqual(Object.keys(none.json()).sort(), ['description', 'error_code', 'http_status', 'title']);
        assert.equal(none.json().http_status, '401', '§3.6.1: a string equal to the status');
        const wrong = await app.inject({ method: method as 'GET', url, headers: { accept: TAXII, authorization: `Bearer ${other}` } });
        assert.equal(wrong.statusCode, 403, route);
        assert.equal(wrong.json().error_code, 'FORBIDDEN');
      }
    });

    it('HTTP Basic with the key as the password is taken (§8.2.2), as is Bearer; a wrong password is 401', async () => {
      const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
      assert.equal((await get('/taxii2/', { authorization: basic('cert-t', reader) })).statusCode, 200);
      assert.equal((await get('/taxii2/', { authorization: basic('cert-t', 'sgp_not-a-key-at-all-0000') })).statusCode, 401);
      assert.equal((await get('/taxii2/', { authorization: basic('', '') })).statusCode, 401);
    });

    it('§3.1: 2.1 or no version or a wildcard is served in the TAXII media type; other versions and types get 406, also in it', async () => {
      for (const accept of [TAXII, 'application/taxii+json', 'application/taxii+json; version=2.1', '*/*', `${TAXII},application/stix+json;version=2.1`]) {
        const res = await get('/taxii2/', { accept });
        assert.equal(res.statusCode, 200, accept);
        assert.equal(res.headers['content-type'], TAXII);
      }
      for (const accept of ['application/taxii+json;version=2.0', 'application/json', 'text/html', 'application/taxii+json;version=2.1;q=0']) {
        const res = await get('/taxii2/', { accept });
        assert.equal(res.statusCode, 406, accept);
        assert.equal(res.headers['content-type'], TAXII);
        assert.equal(res.json().error_code, 'NOT_ACCEPTABLE');
      }
      assert.equal(acceptsTaxii(undefined), true);
    });

    it('discovery, API root and collections carry their required properties (§4.1.1, §4.2.1, §5.2.1); a collection per feed', async () => {
      const discovery = await json('/taxii2/');
      assert.equal(discovery.title, 'Scamgraph TAXII 2.1');
      assert.deepEqual(discovery.api_roots, [discovery.default]);
      const apiRoot = await json(root);
      assert.deepEqual(apiRoot.versions, [TAXII]);
      assert.ok(Number.isInteger(apiRoot.max_content_length) && (apiRoot.max_content_length as number) > 0);
      const { collections } = (await json(`${root}collections/`)) as { collections: Json[] };
      assert.deepEqual(collections.map((c) => c.alias).sort(), Object.keys(sg.blockLists.feeds).sort());
      for (const c of collections) {
        assert.match(c.id as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'an RFC 4122 version 4 UUID');
        assert.equal(c.can_read, true);
        assert.equal(c.can_write, false);
        assert.deepEqual(c.media_types, ['application/stix+json;version=2.1']);
        assert.deepEqual(await json(`${root}collections/${c.id as string}/`), c);
      }
      assert.equal((await get(`${root}collections/00000000-0000-4000-8000-000000000000/`)).statusCode, 404);
    });

    it('objects are valid STIX 2.1 (OASIS schemas; patterns by the OASIS grammar), sorted by date_added (§3.3), with the date headers (§3.2)', async () => {
      const { objects, dates } = await all('all-high-risk');
      assert.deepEqual(objects.slice(0, 2).map((o) => o.type), ['identity', 'extension-definition']);
      for (const o of objects) {
        assert.deepEqual(stixSchemaErrors(o), [], JSON.stringify(o));
        if (o.type === 'indicator') {
          assert.deepEqual(stixPatternErrors(o.pattern as string), [], o.pattern);
          assert.equal(o.created_by_ref, objects[0]?.id);
        }
      }
      assert.deepEqual([...dates].sort(), dates, 'ascending date_added');
      const indicators = objects.filter((o) => o.type === 'indicator');
      assert.equal(indicators.length, 12, 'one per listed value; the protected site is not published');
      assert.ok(!objects.some((o) => JSON.stringify(o).includes('taxii-bank.example')));
      // STIX §4.7: what a partner's analyst reads.
      const phone = indicators.find((o) => String(o.pattern).includes('phone-number')) as StixObject;
      assert.equal(phone.pattern, "[phone-number:value = '+85291234567']");
      assert.equal(phone.name, 'High-risk phone number +85291234567');
      assert.match(String(phone.description), /^Confirmed by an officer as used in scams\. .*An officer confirmed this/);
      assert.equal(phone.confidence, 85);
      assert.equal(phone.created, phone.modified, 'the first version');
      assert.equal(phone.valid_from, phone.created);
      // §9.2: a quote in a link is escaped, and so is a backslash (links normalize theirs away; an entry may hold one).
      assert.ok(indicators.some((o) => String(o.pattern).includes("url:value = 'http://quote.example/it\\'s'")));
      const odd = sg.taxii.publisher.observed('urle:odd.example/a\\b', 'url');
      assert.equal(odd?.pattern, "[url:value = 'https://odd.example/a\\\\b' OR url:value = 'http://odd.example/a\\\\b']");
      assert.deepEqual(stixPatternErrors(odd?.pattern as string), []);
    });

    it('observables have the deterministic ids of STIX §2.9, as the spec’s own examples give them; custom ones name their extension', async () => {
      const { objects } = await all('all-high-risk');
      const byId = new Set(objects.map((o) => o.id));
      for (const id of [
        'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7', // STIX §6.4: example.com
        'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934', // §6.5: john@example.com
        'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', // §6.8: 198.51.100.3
        'url--47c3cf9a-5027-5bf0-997a-017c7edc7c55', // §6.15: https://example.com/research/index.html
      ]) {
        assert.ok(byId.has(id), id);
      }
      const extension = objects[1] as StixObject;
      for (const type of ['phone-number', 'bank-account', 'cryptocurrency-wallet', 'payment-proxy', 'sms-sender-id']) {
        const found = objects.filter((o) => o.type === type);
        assert.ok(found.length > 0, type);
        for (const o of found) assert.deepEqual(o.extensions, { [extension.id]: { extension_type: 'new-sco' } });
      }
      const account = objects.find((o) => o.type === 'user-account');
      assert.deepEqual([account?.account_type, account?.account_login], ['facebook', 'some.scammer']);
    });

    it('pages of any size hold every object once, in order (§3.4 limit, §3.5 next); limit 0 and a forged next are 400', async () => {
      const whole = (await all('all-high-risk')).objects.map((o) => o.id);
      for (const limit of [1, 2, 3, 7]) assert.deepEqual((await all('all-high-risk', limit)).objects.map((o) => o.id), whole, `limit=${limit}`);
      const first = (await get(`${collectionUrl('all-high-risk')}objects/?limit=2`)).json() as { more: boolean; objects: Json[] };
      assert.equal(first.more, true);
      assert.equal(first.objects.length, 2);
      for (const bad of ['limit=0', 'limit=-1', 'limit=x', 'next=bm9wZQ', 'added_after=yesterday', 'limit=1&limit=2', 'since=3', 'match[type]=indicator,,url', 'match[version]=all,last']) {
        const res = await get(`${collectionUrl('all-high-risk')}objects/?${bad}`);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(res.headers['content-type'], TAXII);
      }
      assert.equal((await get(`${collectionUrl('all-high-risk')}objects/?match[colour]=red`)).statusCode, 200, '§3.4.1: unknown match fields may be ignored');
    });

    it('match[type], match[id] and match[spec_version] filter (§3.4.1); an object, its versions and the manifest agree', async () => {
      const indicators = (await all('all-high-risk', 1000, '&match[type]=indicator')).objects;
      assert.equal(indicators.length, 12);
      assert.ok(indicators.every((o) => o.type === 'indicator'));
      const phones = (await all('all-high-risk', 1000, '&match[type]=phone-number,indicator')).objects;
      assert.equal(phones.filter((o) => o.type === 'phone-number').length, 1);
      assert.deepEqual((await json(`${collectionUrl('all-high-risk')}objects/?match[type]=malware`)), {}, 'an empty envelope (§5.4)');
      assert.deepEqual((await json(`${collectionUrl('all-high-risk')}objects/?match[spec_version]=2.0`)), {});
      const one = indicators[3] as StixObject;
      const byMatch = (await json(`${collectionUrl('all-high-risk')}objects/?match[id]=${one.id}`)).objects as StixObject[];
      assert.deepEqual(byMatch, [one]);
      const res = await get(`${collectionUrl('all-high-risk')}objects/${one.id}/`);
      assert.deepEqual((res.json() as Json).objects, [one]);
      assert.ok(res.headers['x-taxii-date-added-first']);
      assert.deepEqual(await json(`${collectionUrl('all-high-risk')}objects/${one.id}/versions/`), { versions: [one.modified] });
      assert.deepEqual((await json(`${collectionUrl('all-high-risk')}objects/${one.id}/?match[version]=${one.modified}`)).objects, [one]);
      assert.deepEqual(await json(`${collectionUrl('all-high-risk')}objects/${one.id}/?match[version]=2001-01-01T00:00:00.000Z`), {});
      assert.equal((await get(`${collectionUrl('all-high-risk')}objects/indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/`)).statusCode, 404);
      const manifest = (await json(`${collectionUrl('all-high-risk')}manifest/?match[type]=indicator`)).objects as { id: string; version: string; date_added: string; media_type: string }[];
      assert.deepEqual(manifest.map((m) => [m.id, m.version]), indicators.map((o) => [o.id, o.modified]));
      assert.ok(manifest.every((m) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(m.date_added)), '§2: TAXII timestamps have microseconds');
      assert.equal((await app.inject({ method: 'POST', url: `${collectionUrl('all-high-risk')}objects/`, headers: { accept: TAXII, authorization: `Bearer ${reader}`, 'content-type': TAXII }, payload: '{}' })).statusCode, 403, '§5.5: can_write is false');
    });

    it('after added_after, only what changed: a change is a new version of the same indicator; a lapse or a clearance revokes it for good (STIX §3.6)', async () => {
      const flagged = 'all-flagged';
      const before = await get(`${collectionUrl(flagged)}objects/`);
      const last = before.headers['x-taxii-date-added-last'] as string;
      await sg.verdicts.decide('user:test', { value: 'taxii-later.example', kind: 'domain' }, 'suspicious', 'taxii test');
      const added = (await json(`${collectionUrl(flagged)}objects/?added_after=${last}`)).objects as StixObject[];
      assert.deepEqual(added.map((o) => o.type), ['domain-name', 'indicator']);
      const first = added[1] as StixObject;
      assert.equal(first.confidence, 50);
      // Suspicious → high risk stays in this feed: a new version, same id, later modified, same created.
      const mark = (await get(`${collectionUrl(flagged)}objects/?added_after=${last}`)).headers['x-taxii-date-added-last'] as string;
      await sg.verdicts.decide('user:test', { value: 'taxii-later.example', kind: 'domain' }, 'high_risk', 'taxii test');
      const [, second] = (await json(`${collectionUrl(flagged)}objects/?added_after=${mark}`)).objects as StixObject[];
      assert.equal(second?.id, first.id);
      assert.equal(second?.created, first.created);
      assert.ok(String(second?.modified) > String(first.modified));
      assert.equal(second?.confidence, 85);
      // Cleared: the indicator's last version, revoked, with the time it ended.
      const mark2 = (await get(`${collectionUrl(flagged)}objects/?added_after=${mark}`)).headers['x-taxii-date-added-last'] as string;
      await sg.verdicts.decide('user:test', { value: 'taxii-later.example', kind: 'domain' }, 'cleared', 'taxii test');
      const [revoked] = (await json(`${collectionUrl(flagged)}objects/?added_after=${mark2}`)).objects as StixObject[];
      assert.equal(revoked?.id, first.id);
      assert.equal(revoked?.revoked, true);
      assert.ok(String(revoked?.modified) > String(second?.modified));
      assert.equal(revoked?.valid_until, revoked?.modified);
      assert.deepEqual(stixSchemaErrors(revoked), []);
      // Listed again: a new indicator, as a revoked one is never versioned again.
      const mark3 = (await get(`${collectionUrl(flagged)}objects/?added_after=${mark2}`)).headers['x-taxii-date-added-last'] as string;
      await sg.verdicts.decide('user:test', { value: 'taxii-later.example', kind: 'domain' }, 'high_risk', 'taxii test');
      const again = ((await json(`${collectionUrl(flagged)}objects/?added_after=${mark3}`)).objects as StixObject[]).find((o) => o.type === 'indicator');
      assert.ok(again !== undefined && again.id !== first.id && again.revoked === undefined);
      // The revoked version stays in the collection for whoever reads from the start.
      const whole = (await all(flagged)).objects;
      assert.ok(whole.some((o) => o.id === first.id && o.revoked === true));
      assert.ok(whole.some((o) => o.id === again.id));
    });
  });
}
