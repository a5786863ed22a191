import { createHash, hash } from 'node:crypto';
import { AppError } from '../../errors.js';
import { entryLabel } from '../verdicts/evidence-keys.js';
import type { VerdictChange } from '../verdicts/verdict-log.repository.js';
import type { Verdict, VerdictLevel } from '../verdicts/verdict.types.js';
import type { VerdictService } from '../verdicts/verdicts.service.js';
import { AtLogEnd } from './at-log-end.js';

/**
 * Hashed link lists for browsers and apps, in Safe Browsing v4's model: a client keeps the sorted 4-byte
 * SHA-256 prefixes of every listed lookup expression, checks the expressions of each page locally, and asks
 * for the full hashes of a prefix only when one matches. The server learns a prefix, never the link.
 */
export interface HashList {
  /** Safe Browsing's names for the list (threat type, platform, entry type). */
  threatType: 'SOCIAL_ENGINEERING' | 'UNWANTED_SOFTWARE';
  platformType: 'ANY_PLATFORM';
  threatEntryType: 'URL';
  level: Extract<VerdictLevel, 'high_risk' | 'suspicious'>;
  /** One byte in the client state, so that a state of one list is not taken for another's. */
  code: number;
}

/**
 * High-risk links as phishing (SOCIAL_ENGINEERING). v4's documented threat types have no level below that,
 * and clients built on its enum refuse names outside it, so suspicious links are served as UNWANTED_SOFTWARE,
 * the documented type a client treats as a lesser warning (docs/lists.md).
 */
export const HASH_LISTS: readonly HashList[] = Object.freeze([
  { threatType: 'SOCIAL_ENGINEERING', platformType: 'ANY_PLATFORM', threatEntryType: 'URL', level: 'high_risk', code: 1 },
  { threatType: 'UNWANTED_SOFTWARE', platformType: 'ANY_PLATFORM', threatEntryType: 'URL', level: 'suspicious', code: 2 },
]);

export const PREFIX_BYTES = 4;
const STATE_VERSION = 1;
/** Past this many log rows since a client's state, a full update is smaller to compute and to send. */
const MAX_DELTA_ROWS = 50_000;

/**
 * The Safe Browsing lookup expression a listed entry stands for: an exact link without its scheme
 * (`evil.shop/login?x=1`), a whole site or a path as the entry writes it (`evil.shop/`, `evil.shop/pay/`).
 */
export function expressionOf(entry: string): string {
  const label = entryLabel(entry);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(label);
  return scheme === null ? label : label.slice(scheme[0].length);
}

/** SHA-256 of an expression, one-shot (no hash object per call: a page has up to 30 expressions). */
export function fullHash(expression: string): Buffer {
  return hash('sha256', expression, 'buffer');
}

/** A list at one log position: its sorted unique prefixes and, by prefix, the full hashes behind each. */
interface ListVersion {
  version: number;
  entries: string[];
  /** Each entry's full hash, so that an earlier version of the list reuses them. */
  hashOf: Map<string, Buffer>;
  prefixes: Buffer[];
  /** By prefix (hex), the full hashes behind it and the entries they are of. */
  hashes: Map<string, { hash: Buffer; entry: string }[]>;
}

export interface ListUpdate {
  list: HashList;
  full: boolean;
  /** Prefixes to add, in byte order. */
  additions: Buffer[];
  /** Positions, in the client's sorted list before the update, of the prefixes to remove (ascending). */
  removals: number[];
  newClientState: Buffer;
  /** SHA-256 of the client's sorted prefixes after the update, concatenated. */
  checksum: Buffer;
}

export interface FullHashMatch {
  list: HashList;
  hash: Buffer;
  /** The public verdict of the listed entry, for the client's warning (its reasons); null once it is gone from the index. */
  verdict: Verdict | null;
}

function byBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** The version of a set of entries: each entry's expression hashed (or its hash in `known`), prefixes unique and sorted. */
function versionOf(version: number, entries: string[], known?: Map<string, Buffer>): ListVersion {
  const hashes = new Map<string, { hash: Buffer; entry: string }[]>();
  const hashOf = new Map<string, Buffer>();
  for (const entry of entries) {
    const hash = known?.get(entry) ?? fullHash(expressionOf(entry));
    hashOf.set(entry, hash);
    const key = hash.subarray(0, PREFIX_BYTES).toString('hex');
    const sharing = hashes.get(key);
    if (sharing === undefined) hashes.set(key, [{ hash, entry }]);
    else if (!sharing.some((h) => h.hash.equals(hash))) sharing.push({ hash, entry });
  }
  const prefixes = [...hashes.keys()].map((hex) => Buffer.from(hex, 'hex')).sort(byBytes);
  return { version, entries, hashOf, prefixes, hashes };
}

export function checksumOf(prefixes: readonly Buffer[]): Buffer {
  return createHash('sha256').update(Buffer.concat(prefixes)).digest();
}

/**
 * The lists, read from the verdict log alone (snapshot and changes since), so that they agree with every
 * other feed. The current version of each list is kept in memory until the log moves.
 */
export class HashLists {
  private readonly current: AtLogEnd<number, ListVersion>;

  constructor(private readonly verdicts: Pick<VerdictService, 'snapshot' | 'changesSince' | 'logEnd' | 'index' | 'explainEvidence'>) {
    this.current = new AtLogEnd(() => verdicts.logEnd());
  }

  /** The list by its Safe Browsing names, or UNKNOWN_LIST naming the lists there are. */
  list(threatType: string | undefined, platformType: string | undefined, threatEntryType: string | undefined): HashList {
    const list = HASH_LISTS.find((l) => l.threatType === threatType && (platformType === l.platformType || platformType === 'ALL_PLATFORMS') && l.threatEntryType === threatEntryType);
    if (list === undefined) {
      const names = HASH_LISTS.map((l) => `${l.threatType}/${l.platformType}/${l.threatEntryType}`).join(', ');
      throw new AppError('UNKNOWN_LIST', `There is no list ${String(threatType).slice(0, 40)}/${String(platformType).slice(0, 40)}/${String(threatEntryType).slice(0, 40)}; the lists are ${names}.`);
    }
    return list;
  }

  private latest(list: HashList): Promise<ListVersion> {
    return this.current.get(list.code, async () => {
      const { seq, entries } = await this.verdicts.snapshot({ kinds: ['url', 'domain'], levels: [list.level] });
      return versionOf(seq, entries.map((e) => e.entry));
    });
  }

  /**
   * The entries of the list at an earlier position `seq`, from the list now and the log rows after `seq`:
   * the first row after `seq` of an entry says what its level was at `seq`. Null when too far back.
   */
  private async entriesAt(list: HashList, now: ListVersion, seq: number): Promise<string[] | null> {
    const rows: VerdictChange[] = [];
    for (let from = seq; ; ) {
      const page = await this.verdicts.changesSince(from, { kinds: ['url', 'domain'], levels: [list.level] }, 10_000);
      for (const row of page) if (row.seq <= now.version) rows.push(row);
      if (rows.length > MAX_DELTA_ROWS) return null;
      if (page.length < 10_000 || (page[page.length - 1] as VerdictChange).seq >= now.version) break;
      from = (page[page.length - 1] as VerdictChange).seq;
    }
    const before = new Map<string, VerdictLevel>();
    for (const row of rows) if (!before.has(row.entry)) before.set(row.entry, row.previous);
    const entries = now.entries.filter((entry) => !before.has(entry));
    for (const [entry, level] of before) if (level === list.level) entries.push(entry);
    return entries;
  }

  /**
   * What a client holding `state` (empty for none) needs to hold the list now: a partial update from its
   * position in the log, or a full one when it has none, it is not this list's, or it is too far back.
   */
  async update(list: HashList, state: Buffer): Promise<ListUpdate> {
    const now = await this.latest(list);
    const newClientState = encodeState(list, now.version);
    const checksum = checksumOf(now.prefixes);
    const from = decodeState(list, state);
    const earlier = from === null || from > now.version ? null : from === now.version ? now.entries : await this.entriesAt(list, now, from);
    if (earlier === null) return { list, full: true, additions: now.prefixes, removals: [], newClientState, checksum };
    const then = versionOf(from as number, earlier, now.hashOf);
    const kept = new Set(now.prefixes.map((p) => p.toString('hex')));
    const held = new Set(then.prefixes.map((p) => p.toString('hex')));
    const removals: number[] = [];
    then.prefixes.forEach((p, i) => {
      if (!kept.has(p.toString('hex'))) removals.push(i);
    });
    const additions = now.prefixes.filter((p) => !held.has(p.toString('hex')));
    return { list, full: false, additions, removals, newClientState, checksum };
  }

  /** The full hashes on these lists that begin with one of the prefixes a client matched locally. */
  async fullHashes(lists: readonly HashList[], prefixes: readonly Buffer[]): Promise<FullHashMatch[]> {
    const matches: FullHashMatch[] = [];
    for (const list of lists) {
      const version = await this.latest(list);
      for (const prefix of prefixes) {
        if (prefix.length < PREFIX_BYTES || prefix.length > 32) continue;
        for (const { hash, entry } of version.hashes.get(prefix.subarray(0, PREFIX_BYTES).toString('hex')) ?? []) {
          if (!hash.subarray(0, prefix.length).equals(prefix)) continue;
          const evidence = this.verdicts.index.get(entry);
          matches.push({ list, hash, verdict: evidence === null ? null : this.verdicts.explainEvidence(evidence) });
        }
      }
    }
    return matches;
  }
}

/** A client's state: the list it is of and the log position its prefixes are current at. */
function encodeState(list: HashList, seq: number): Buffer {
  const state = Buffer.alloc(10);
  state.writeUInt8(STATE_VERSION, 0);
  state.writeUInt8(list.code, 1);
  state.writeBigUInt64BE(BigInt(seq), 2);
  return state;
}

function decodeState(list: HashList, state: Buffer): number | null {
  if (state.length !== 10 || state.readUInt8(0) !== STATE_VERSION || state.readUInt8(1) !== list.code) return null;
  return Number(state.readBigUInt64BE(2));
}
