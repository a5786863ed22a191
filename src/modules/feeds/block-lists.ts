import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';
import { INDICATOR_KINDS } from '../indicators/index.js';
import { entryLabel } from '../verdicts/evidence-keys.js';
import type { VerdictChange, VerdictFilter } from '../verdicts/verdict-log.repository.js';
import type { VerdictLevel } from '../verdicts/verdict.types.js';
import type { VerdictService } from '../verdicts/verdicts.service.js';

/** What a block list may hold: a protected (verified) entity or one with no record is never on one. */
export const BLOCKING_LEVELS = ['high_risk', 'suspicious'] as const;
export type BlockingLevel = (typeof BLOCKING_LEVELS)[number];

/** A named filter on the verdict log: the kinds (as the log writes them) and levels a block list holds. */
export interface FeedDefinition {
  kinds: readonly string[];
  levels: readonly BlockingLevel[];
  description: string;
}

const ALL_KINDS = [...INDICATOR_KINDS];

/** The feeds every deployment has; SCAMGRAPH_FEEDS adds to them or replaces one by name (docs/feeds.md). */
export const DEFAULT_FEEDS: Readonly<Record<string, FeedDefinition>> = Object.freeze({
  'phones-high-risk': { kinds: ['phone'], levels: ['high_risk'], description: 'Phone numbers that are high risk (for call and SMS blocking).' },
  'phones-flagged': { kinds: ['phone'], levels: ['high_risk', 'suspicious'], description: 'Phone numbers that are high risk or suspicious (for labelling calls).' },
  'domains-high-risk': { kinds: ['domain'], levels: ['high_risk'], description: 'Whole sites that are high risk (the evidence covers the site, not one link on a shared host).' },
  'urls-high-risk': { kinds: ['url', 'domain'], levels: ['high_risk'], description: 'Links, paths and whole sites that are high risk (for web filters and proxies).' },
  'accounts-high-risk': { kinds: ['bank_account', 'payment_proxy', 'crypto_wallet'], levels: ['high_risk'], description: 'Bank accounts, payment proxy IDs and crypto wallets that are high risk.' },
  'sms-senders-high-risk': { kinds: ['sms_sender'], levels: ['high_risk'], description: 'SMS sender IDs that are high risk.' },
  'all-high-risk': { kinds: ALL_KINDS, levels: ['high_risk'], description: 'Everything that is high risk.' },
  'all-flagged': { kinds: ALL_KINDS, levels: ['high_risk', 'suspicious'], description: 'Everything that is high risk or suspicious.' },
});

const FEED_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Feeds from a SCAMGRAPH_FEEDS document over the defaults; throws with what is wrong and where. */
export function validFeeds(raw: unknown, where: string): Record<string, FeedDefinition> {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('the feeds are a JSON object of name → {kinds, levels, description}');
  const feeds: Record<string, FeedDefinition> = { ...DEFAULT_FEEDS };
  for (const [name, given] of Object.entries(raw as Record<string, unknown>)) {
    if (!FEED_NAME.test(name)) fail(`“${name}” is not a feed name (lower-case letters, digits and hyphens, up to 63)`);
    if (typeof given !== 'object' || given === null) fail(`${name} is an object {kinds, levels, description}`);
    const { kinds, levels, description, ...rest } = given as Record<string, unknown>;
    if (Object.keys(rest).length > 0) fail(`${name}: unknown field “${Object.keys(rest)[0]}” (fields: kinds, levels, description)`);
    const known = new Set<string>([...INDICATOR_KINDS]);
    if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => typeof k === 'string' && known.has(k))) fail(`${name}.kinds is a list of ${INDICATOR_KINDS.join(', ')}`);
    const blocking = new Set<string>(BLOCKING_LEVELS);
    if (!Array.isArray(levels) || levels.length === 0 || !levels.every((l) => typeof l === 'string' && blocking.has(l))) fail(`${name}.levels is a list of high_risk, suspicious (a protected or unrecorded value is never on a block list)`);
    if (description !== undefined && typeof description !== 'string') fail(`${name}.description is text`);
    feeds[name] = { kinds: [...new Set(kinds as string[])], levels: [...new Set(levels as BlockingLevel[])], description: (description as string | undefined) ?? '' };
  }
  return feeds;
}

/** One line of a block list: a snapshot adds every entry; a delta adds (or re-levels) and removes. */
export interface BlockListLine {
  op: 'add' | 'remove';
  kind: string;
  /** The value as partners match it: `+85291234567`, `evil.example` (a whole site), `evil.example/login` (a path), a full link. */
  value: string;
  level?: BlockingLevel;
  /** The verdict-log row the line comes from (a delta's lines only). */
  seq?: number;
}

export interface BlockListPage {
  /** Where to follow from next (`?since=`): the log position the page is current at. */
  cursor: number;
  /** False when the delta was cut at the page limit: ask again from `cursor` at once. */
  complete: boolean;
  lines: BlockListLine[];
}

/** A whole site is the entry `urlx:evil.example/`; partners match it as the name. */
function valueOf(entry: string, kind: string): string {
  const label = entryLabel(entry);
  return kind === 'domain' && label.endsWith('/') ? label.slice(0, -1) : label;
}

/**
 * Block lists for telcos, ISPs and platforms, read from the verdict log alone: a snapshot at a cursor, then
 * the additions and removals after it, so that snapshot(N) + delta(N…M) = snapshot(M).
 */
export class BlockLists {
  constructor(
    private readonly verdicts: Pick<VerdictService, 'changesSince' | 'snapshot' | 'logEnd'>,
    readonly feeds: Readonly<Record<string, FeedDefinition>>,
  ) {}

  /** The feed by name, or FEED_NOT_FOUND naming those there are. */
  feed(name: string): FeedDefinition {
    const feed = Object.hasOwn(this.feeds, name) ? this.feeds[name] : undefined;
    if (feed === undefined) throw new AppError('FEED_NOT_FOUND', `There is no feed “${name.slice(0, 64)}”; the feeds are ${Object.keys(this.feeds).join(', ')}.`);
    return feed;
  }

  /** A short fingerprint of a feed's definition: an ETag must change when an operator changes the feed. */
  version(name: string): string {
    const feed = this.feed(name);
    return createHash('sha256').update(JSON.stringify([name, [...feed.kinds].sort(), [...feed.levels].sort()])).digest('base64url').slice(0, 10);
  }

  end(): Promise<number> {
    return this.verdicts.logEnd();
  }

  async snapshot(name: string): Promise<BlockListPage> {
    const { seq, entries } = await this.verdicts.snapshot(filterOf(this.feed(name)));
    return { cursor: seq, complete: true, lines: entries.map((e) => ({ op: 'add', kind: e.kind, value: valueOf(e.entry, e.kind), level: e.level as BlockingLevel })) };
  }

  /** Whole sites at these levels (`verified`: the protected ones) at one cursor: what an RPZ zone is made of. */
  async sites(levels: readonly VerdictLevel[]): Promise<{ cursor: number; lines: { value: string; level: VerdictLevel }[] }> {
    const { seq, entries } = await this.verdicts.snapshot({ kinds: ['domain'], levels });
    return { cursor: seq, lines: entries.map((e) => ({ value: valueOf(e.entry, e.kind), level: e.level })) };
  }

  /**
   * What changed after `since`, at most `limit` log rows: one line per entry, its last change in the page
   * (an entry added then removed within the page is one removal), in log order.
   */
  async delta(name: string, since: number, limit: number): Promise<BlockListPage> {
    const feed = this.feed(name);
    const end = await this.verdicts.logEnd();
    if (since > end) throw new AppError('CURSOR_AHEAD', `since=${since} is past the end of this deployment's verdict log (${end}): start again from a snapshot (leave since out).`);
    const rows = await this.verdicts.changesSince(since, filterOf(feed), limit);
    const last = new Map<string, VerdictChange>();
    for (const row of rows) {
      last.delete(row.entry);
      last.set(row.entry, row);
    }
    const wanted = new Set<string>(feed.levels);
    const lines = [...last.values()].map((row): BlockListLine => {
      const value = valueOf(row.entry, row.kind);
      return wanted.has(row.level) ? { op: 'add', kind: row.kind, value, level: row.level as BlockingLevel, seq: row.seq } : { op: 'remove', kind: row.kind, value, seq: row.seq };
    });
    const complete = rows.length < limit;
    const lastSeq = rows.at(-1)?.seq ?? since;
    // Rows are numbered in commit order, so every row up to the last one read is in the page.
    return { cursor: complete ? Math.max(end, lastSeq) : lastSeq, complete, lines };
  }
}

function filterOf(feed: FeedDefinition): VerdictFilter {
  return { kinds: feed.kinds, levels: feed.levels as readonly VerdictLevel[] };
}

const CSV_HEADER = 'op,kind,value,level,seq\r\n';

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled; lines end in CRLF. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The page as JSON Lines (one object per line, https://jsonlines.org) or CSV with a header row. */
export function* formatLines(lines: readonly BlockListLine[], format: 'jsonl' | 'csv'): Generator<string> {
  const CHUNK = 2000;
  if (format === 'csv') yield CSV_HEADER;
  for (let i = 0; i < lines.length; i += CHUNK) {
    let text = '';
    for (const line of lines.slice(i, i + CHUNK)) {
      text += format === 'jsonl' ? `${JSON.stringify(line)}\n` : `${line.op},${csvField(line.kind)},${csvField(line.value)},${line.level ?? ''},${line.seq ?? ''}\r\n`;
    }
    yield text;
  }
}
