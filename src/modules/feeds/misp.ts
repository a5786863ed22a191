import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { Database } from '../../storage/schema.js';
import { evidenceFromRow } from '../verdicts/verdict-log.repository.js';
import { LEVEL_CODE, LEVEL_OF_CODE, type Verdict, type VerdictLevel } from '../verdicts/verdict.types.js';
import type { VerdictService } from '../verdicts/verdicts.service.js';
import { BlockLists, type FeedDefinition } from './block-lists.js';
import { mispAttributeOf } from './misp-types.js';
import { keyedUuid } from './stix.js';
import { servedRows, type ServedRow } from './taxii.repository.js';

/**
 * A block list as a MISP feed (MISP core format, draft-dulaunoy-misp-core-format; "§" below), as MISP's own
 * feed generators write one and MISP's "MISP Feed" source format reads it: `manifest.json`, one
 * `{uuid}.json` per event and `hashes.csv`. An event holds the entries first listed on one UTC day; each
 * listing is an attribute. Made from the verdict log alone (the rows a TAXII collection serves), so that a
 * feed is a function of the log: the same log, the same bytes.
 *
 * A listing that ends stays in its event as the same attribute with `deleted: true` (§2.3.2.11: "revoked
 * attributes ... exist merely to inform other instances of a revocation"), `to_ids: false` and the time it
 * ended as its timestamp: MISP updates an event from a feed by the attributes the new version holds and
 * keeps any it no longer finds, so an attribute that disappeared would stay actionable on every MISP that
 * pulled it.
 */

export interface MispTag {
  name: string;
  colour: string;
}

export interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  deleted: boolean;
  disable_correlation: boolean;
  distribution: string;
  sharing_group_id: string;
  timestamp: string;
  comment: string;
  Tag?: MispTag[];
}

export interface MispEvent {
  uuid: string;
  info: string;
  date: string;
  timestamp: string;
  publish_timestamp: string;
  published: boolean;
  analysis: string;
  threat_level_id: string;
  distribution: string;
  sharing_group_id: string;
  extends_uuid: string;
  Orgc: { name: string; uuid: string };
  Tag: MispTag[];
  Attribute: MispAttribute[];
}

/** One feed's files, made at one position of the verdict log. */
export interface MispFeedFiles {
  feed: string;
  /** The verdict log's end when the files were made (what a client's ETag names). */
  cursor: number;
  /** Each event as its file's text, by uuid, oldest day first. */
  events: Map<string, { event: MispEvent; text: string; sha256: string }>;
  manifest: string;
  hashes: string;
  /** Entries of the feed that MISP has no attribute type for (left out). */
  untyped: number;
}

/** TLP:GREEN (MISP's tlp taxonomy, its colour): partners may share it within their community, not publicly. */
const TLP: MispTag = { name: 'tlp:green', colour: '#339900' };
const TAG_COLOUR = '#ffffff';
/** §2.2.1.14 "1": this community only, as TLP:GREEN says; §2.3.2.7 "5": an attribute inherits its event's. */
const EVENT_DISTRIBUTION = '1';
const ATTRIBUTE_DISTRIBUTION = '5';

/** A TAXII timestamp of the log (`2026-12-04T08:00:00.123456Z`) as §2.2.1.8's Unix seconds, a JSON string. */
function unixSeconds(time: string): string {
  return String(Math.floor(Date.parse(time) / 1000));
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Why a value is on the list, in the words the public check gives (counts rounded, days only). */
function reasonsOf(verdict: Verdict): string {
  return [verdict.headline.en, ...verdict.reasons.map((r) => r.message.en)].join(' ');
}

export class MispFeeds {
  private readonly lists: BlockLists;
  /** UUID v5 names are made in a namespace of this deployment's own: the same ids on every node, none shared with another deployment. */
  private readonly namespace: string;
  readonly org: { name: string; uuid: string };
  /** The files last made for each feed, and the log end they were made at; requests in between share them. */
  private readonly made = new Map<string, { end: number; files: Promise<MispFeedFiles> }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly verdicts: Pick<VerdictService, 'explainEvidence' | 'changesSince' | 'snapshot' | 'logEnd'>,
    feeds: Readonly<Record<string, FeedDefinition>>,
    key: Buffer,
    region: string,
  ) {
    this.lists = new BlockLists(verdicts, feeds);
    this.namespace = keyedUuid(key, 'misp-namespace');
    // The publishing centre; the region in its name, as MISP organisation names are unique on an instance.
    this.org = { name: `Scamgraph ${region}`, uuid: uuidv5('orgc', this.namespace) };
  }

  /** The feed's definition (FEED_NOT_FOUND naming the feeds there are). */
  feed(name: string): FeedDefinition {
    return this.lists.feed(name);
  }

  /** A fingerprint of the feed's definition and the log's end: what an ETag for its files is made of. */
  async version(name: string): Promise<string> {
    return `${this.lists.version(name)}.${await this.lists.end()}`;
  }

  /** The feed's files as of the log's end now, made once per new end. */
  async files(name: string): Promise<MispFeedFiles> {
    const definition = this.lists.feed(name);
    const end = await this.lists.end();
    const cached = this.made.get(name);
    if (cached !== undefined && cached.end === end) return cached.files;
    const files = this.make(name, definition, end);
    this.made.set(name, { end, files });
    files.catch(() => this.made.delete(name));
    return files;
  }

  eventUuid(feed: string, day: string): string {
    return uuidv5(`event:${feed}:${day}`, this.namespace);
  }

  attributeUuid(feed: string, entry: string, episode: number): string {
    return uuidv5(`attribute:${feed}:${entry}:${episode}`, this.namespace);
  }

  private async make(feed: string, definition: FeedDefinition, end: number): Promise<MispFeedFiles> {
    const codes = definition.levels.map((l) => LEVEL_CODE[l]);
    // One read of the whole log in one snapshot: rows after `end` that committed meanwhile are in it too, so
    // no entry whose latest row came after `end` is missed.
    const { rows, evidence } = await servedRows(this.db, { codes, kinds: [...definition.kinds], from: 0, upTo: Number.MAX_SAFE_INTEGER, keys: null });
    const evidenceOf = new Map(evidence.map((row) => [row.key, row]));
    const days = new Map<string, MispAttribute[]>();
    let untyped = 0;
    for (const row of rows) {
      const attribute = this.attribute(feed, row, codes, evidenceOf);
      if (attribute === null) {
        untyped++;
        continue;
      }
      // The UTC day the listing began (a listing older than the log's levels: the entry's first row).
      const day = (row.listed ?? row.first_added).slice(0, 10);
      const list = days.get(day) ?? [];
      list.push(attribute);
      days.set(day, list);
    }
    const events = new Map<string, { event: MispEvent; text: string; sha256: string }>();
    const manifest: Record<string, unknown> = {};
    let hashes = '';
    const threat = definition.levels.includes('suspicious') ? '2' : '1';
    for (const day of [...days.keys()].sort()) {
      const attributes = days.get(day) as MispAttribute[];
      const event = this.event(feed, day, threat, attributes);
      const text = JSON.stringify({ Event: event });
      const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
      events.set(event.uuid, { event, text, sha256 });
      // §4.1: the event's info, Orgc, analysis, timestamp, date and threat_level_id, its Tag as PyMISP's
      // manifest adds it, and the SHA-256 of its file (integrity:sha256, SHOULD).
      manifest[event.uuid] = { info: event.info, Orgc: event.Orgc, analysis: event.analysis, timestamp: event.timestamp, date: event.date, threat_level_id: event.threat_level_id, Tag: event.Tag, 'integrity:sha256': sha256 };
      // hashes.csv as MISP's feed generators write it: `md5(value),event uuid` a line. A revoked attribute is
      // left out: MISP's feed cache would show it as a hit on this feed.
      for (const a of attributes) if (!a.deleted) hashes += `${md5(a.value)},${event.uuid}\n`;
    }
    return { feed, cursor: end, events, manifest: JSON.stringify(manifest), hashes, untyped };
  }

  private attribute(feed: string, row: ServedRow, codes: readonly number[], evidenceOf: Map<string, Parameters<typeof evidenceFromRow>[0]>): MispAttribute | null {
    const typed = mispAttributeOf(row.key, row.kind);
    if (typed === null) return null;
    const episode = Number(row.episode ?? 0);
    const base = {
      uuid: this.attributeUuid(feed, row.key, episode),
      ...typed,
      disable_correlation: false,
      distribution: ATTRIBUTE_DISTRIBUTION,
      sharing_group_id: '0',
      timestamp: unixSeconds(row.added),
    };
    const stored = evidenceOf.get(row.key);
    const ended = row.level !== null && !codes.includes(row.level);
    if (ended || stored === undefined) {
      const now = (LEVEL_OF_CODE[row.level ?? 0] as VerdictLevel).replace('_', ' ');
      return { ...base, to_ids: false, deleted: true, comment: `No longer listed by Scamgraph at this level: it is now ${now} (its reports lapsed, a listing expired, or an officer cleared or rated it).` };
    }
    const level = LEVEL_OF_CODE[stored.level] as VerdictLevel;
    const verdict = this.verdicts.explainEvidence(evidenceFromRow(stored));
    const tags = verdict.scamTypes.map((t) => ({ name: `scamgraph:scam-type="${t.replace(/_/g, '-')}"`, colour: TAG_COLOUR }));
    // Actionable (§2.3.2.5) when high risk: the feed is a block list. Suspicious values inform, never block.
    return { ...base, to_ids: level === 'high_risk', deleted: false, comment: `${level === 'high_risk' ? 'High risk' : 'Suspicious'}: ${reasonsOf(verdict)}`, ...(tags.length > 0 ? { Tag: tags } : {}) };
  }

  private event(feed: string, day: string, threat: string, attributes: MispAttribute[]): MispEvent {
    // §2.2.1.8: the time the event or one of its attributes last changed, which a MISP compares with its copy.
    const timestamp = String(Math.max(...attributes.map((a) => Number(a.timestamp))));
    return {
      uuid: this.eventUuid(feed, day),
      info: `${this.org.name}, feed ${feed}: values listed on ${day} (UTC)`,
      date: day,
      timestamp,
      // A feed's events are published when they change (§2.2.1.9).
      publish_timestamp: timestamp,
      published: true,
      // Each verdict is a finished judgement (§2.2.1.6 "2": complete); the threat level is the feed's (§2.2.1.5).
      analysis: '2',
      threat_level_id: threat,
      distribution: EVENT_DISTRIBUTION,
      sharing_group_id: '0',
      extends_uuid: '',
      Orgc: this.org,
      Tag: [TLP, { name: `scamgraph:feed="${feed}"`, colour: TAG_COLOUR }],
      Attribute: attributes,
    };
  }
}
