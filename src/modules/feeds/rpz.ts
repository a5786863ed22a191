import type { SoaAnswer, StringAnswer } from 'dns-packet';
import { AppError } from '../../errors.js';
import type { VerdictLevel } from '../verdicts/verdict.types.js';
import type { BlockLists } from './block-lists.js';

/**
 * A DNS Response Policy Zone (draft-vixie-dnsop-dns-rpz) of the sites Scamgraph judges high risk, for ISPs'
 * resolvers: QNAME triggers only, each site and every name under it (`evil.example` and `*.evil.example`),
 * protected sites as `rpz-passthru.` so that no other policy zone blocks them. Only whole sites are in it (the
 * verdict log's `domain` kind: the evidence covers the site), never the parent of a shared host.
 */
export interface RpzOptions {
  /** The policy zone's own name, such as `rpz.scamgraph.example`. */
  zone: string;
  /** NXDOMAIN (`CNAME .`, §4.1) or Local Data: a CNAME to a warning page's host (§4.6). */
  action: { type: 'nxdomain' } | { type: 'cname'; target: string };
  /** The SOA's refresh: how often a secondary asks for the serial when no NOTIFY came (seconds). */
  refreshSeconds: number;
  ttl: number;
}

export const DEFAULT_RPZ: Readonly<RpzOptions> = Object.freeze<RpzOptions>({ zone: 'rpz.scamgraph', action: { type: 'nxdomain' }, refreshSeconds: 300, ttl: 60 });

export interface RpzZone {
  /** The verdict log's sequence number the zone is current at: the SOA serial. */
  serial: number;
  soa: SoaAnswer;
  /** Everything after the SOA: the zone's NS and the policy records, in name order. */
  records: StringAnswer[];
}

const NAME = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Whether `name` (lower case, no final dot) can be a name in the zone. */
export function isRpzName(name: string): boolean {
  return NAME.test(name);
}

/** The zone from the verdict log: the feed's sites at its levels, and the protected sites, at one cursor. */
export async function buildRpzZone(blockLists: BlockLists, feedName: string, options: RpzOptions): Promise<RpzZone> {
  const feed = blockLists.feed(feedName);
  if (!feed.kinds.includes('domain')) throw new AppError('VALIDATION_FAILED', `An RPZ zone holds names: the feed ${feedName} has no domain kind (try domains-high-risk).`);
  const { cursor, lines } = await blockLists.sites([...feed.levels, 'verified'] as VerdictLevel[]);
  const blocked = lines.filter((l) => l.level !== 'verified').map((l) => l.value);
  const passthru = lines.filter((l) => l.level === 'verified').map((l) => l.value);
  return rpzZone(cursor, blocked, passthru, options);
}

export function rpzZone(serial: number, blocked: readonly string[], passthru: readonly string[], options: RpzOptions): RpzZone {
  const zone = options.zone.replace(/\.$/, '').toLowerCase();
  const ttl = options.ttl;
  const soa: SoaAnswer = {
    name: zone,
    type: 'SOA',
    ttl,
    data: {
      mname: `ns.${zone}`,
      rname: `hostmaster.${zone}`,
      // RFC 1982 serial arithmetic is modulo 2^32.
      serial: serial % 2 ** 32,
      refresh: options.refreshSeconds,
      retry: Math.max(1, Math.floor(options.refreshSeconds / 5)),
      expire: Math.max(86_400, options.refreshSeconds * 10),
      minimum: ttl,
    },
  };
  const action = options.action.type === 'nxdomain' ? '.' : options.action.target.replace(/\.$/, '');
  const records: StringAnswer[] = [{ name: zone, type: 'NS', ttl, data: `ns.${zone}` }];
  const add = (site: string, target: string) => {
    const name = site.toLowerCase();
    // A name the DNS cannot carry is left out, never written half (values come from URL hosts, which are ASCII).
    if (!NAME.test(name)) return;
    records.push({ name: `${name}.${zone}`, type: 'CNAME', ttl, data: target }, { name: `*.${name}.${zone}`, type: 'CNAME', ttl, data: target });
  };
  const protectedSites = new Set(passthru);
  for (const site of blocked) if (!protectedSites.has(site)) add(site, action);
  for (const site of passthru) add(site, 'rpz-passthru');
  return { serial, soa, records };
}

/** The zone as an RFC 1035 §5 master file, every name absolute. */
export function* zoneFile(zone: RpzZone): Generator<string> {
  const d = zone.soa.data;
  yield `; Scamgraph DNS Response Policy Zone, current at verdict-log sequence ${zone.serial}\n`;
  yield `${zone.soa.name}. ${zone.soa.ttl} IN SOA ${d.mname}. ${d.rname}. ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}\n`;
  let text = '';
  for (const [i, r] of zone.records.entries()) {
    const data = String(r.data);
    text += `${r.name}. ${r.ttl} IN ${r.type} ${data === '.' || data === '' ? '.' : `${data}.`}\n`;
    if (i % 2000 === 1999) {
      yield text;
      text = '';
    }
  }
  yield text;
}
