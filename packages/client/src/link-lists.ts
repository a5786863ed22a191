import { canonicalizeUrl, lookupExpressions } from '../../../src/modules/indicators/url.js';
import { riceDecode } from '../../../src/modules/lists/rice.js';
import type { Label } from '../../../src/http/api-types.js';
import { equalBytes, fromBase64, toBase64, toHex, utf8, type Digest } from './bytes.js';
import type { StorageAdapter } from './storage.js';
import { ScamgraphError, type Transport } from './transport.js';

/**
 * Local link lists in Safe Browsing v4's model (developers.google.com/safe-browsing/v4/local-databases), against
 * Scamgraph's `/safebrowsing/v4` routes (docs/lists.md): the sorted 4-byte SHA-256 prefixes of every listed
 * lookup expression, kept current by full and partial updates, each checked against the server's checksum
 * (a mismatch drops the list and fetches it whole); a page is checked by hashing its lookup expressions here,
 * and only a prefix that matches is sent to the server, whose answer is cached for the durations it gives.
 * No URL, host or full hash ever leaves the device.
 */
export const LINK_LISTS = [
  { threatType: 'SOCIAL_ENGINEERING', level: 'high_risk' },
  { threatType: 'UNWANTED_SOFTWARE', level: 'suspicious' },
] as const;
export type ThreatType = (typeof LINK_LISTS)[number]['threatType'];
export type ListedLevel = (typeof LINK_LISTS)[number]['level'];

/** What a match says about a listed site or link (the server's `scamgraph-verdict` metadata). */
export interface ListedVerdict {
  level: ListedLevel;
  headline: Label;
  reasons: { code: string; message: Label }[];
  scamTypes: string[];
  advice: { en: string[]; 'zh-Hant': string[] };
  lastSeen: string | null;
  updated: string | null;
}

export interface LinkCheck {
  level: ListedLevel | 'no_record';
  /** The list that matched, when one did. */
  threatType?: ThreatType;
  /** Why it is listed, when the server said. */
  verdict?: ListedVerdict;
  /** The lookup expression that matched (computed here; never sent). */
  expression?: string;
  /** Whether the server was asked (a local prefix matched and the caches could not answer). */
  askedServer: boolean;
}

export interface SyncResult {
  /** Lists whose update was applied, with what kind of update and how many prefixes they hold now. */
  lists: { threatType: ThreatType; update: 'FULL_UPDATE' | 'PARTIAL_UPDATE'; prefixes: number; checksumReset: boolean }[];
  /** When the server allows the next update (epoch ms). */
  nextUpdateAt: number;
}

interface EntrySet {
  compressionType?: 'RAW' | 'RICE';
  rawHashes?: { prefixSize?: number; rawHashes?: string };
  rawIndices?: { indices?: number[] };
  riceHashes?: RiceJson;
  riceIndices?: RiceJson;
}
interface RiceJson {
  firstValue?: string | number;
  riceParameter?: number;
  numEntries?: number;
  encodedData?: string;
}
interface ListUpdateResponse {
  threatType: ThreatType;
  responseType: 'FULL_UPDATE' | 'PARTIAL_UPDATE';
  additions?: EntrySet[];
  removals?: EntrySet[];
  newClientState: string;
  checksum: { sha256: string };
}
interface FullHashMatch {
  threatType: ThreatType;
  threat: { hash: string };
  threatEntryMetadata?: { entries?: { key: string; value: string }[] };
  cacheDuration?: string;
}

const CLIENT = { clientId: 'scamgraph-client', clientVersion: '0.1.0' };
const PREFIX_BYTES = 4;
const VERDICT_KEY = 'scamgraph-verdict';
const UPDATE_PATH = '/safebrowsing/v4/threatListUpdates:fetch';
const FIND_PATH = '/safebrowsing/v4/fullHashes:find';

/** "300s", "0.5s" → milliseconds (the proto3 JSON form of a Duration). */
export function durationMs(text: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text ?? '');
  return match === null ? 0 : Math.round(Number(match[1]) * 1000);
}

/** A 4-byte prefix as the big-endian integer it sorts as. */
const prefixOf = (hash: Uint8Array): number => ((hash[0] as number) * 2 ** 24 + ((hash[1] as number) << 16) + ((hash[2] as number) << 8) + (hash[3] as number)) >>> 0;
const bytesOf = (prefix: number): Uint8Array => new Uint8Array([prefix >>> 24, (prefix >>> 16) & 255, (prefix >>> 8) & 255, prefix & 255]);
/** A sorted list as Safe Browsing hashes it for the checksum: the prefixes' bytes, concatenated. */
function listBytes(prefixes: Uint32Array): Uint8Array {
  const out = new Uint8Array(prefixes.length * PREFIX_BYTES);
  const view = new DataView(out.buffer);
  prefixes.forEach((p, i) => view.setUint32(i * PREFIX_BYTES, p));
  return out;
}
/** Rice-coded prefixes are the hashes' first 4 bytes read as little-endian integers. */
const swap = (n: number): number => (((n & 255) << 24) | ((n >>> 8) & 255) << 16 | ((n >>> 16) & 255) << 8 | (n >>> 24)) >>> 0;

function has(sorted: Uint32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function riceValues(r: RiceJson): number[] {
  return riceDecode({ firstValue: Number(r.firstValue ?? 0), riceParameter: r.riceParameter ?? 0, numEntries: r.numEntries ?? 0, encodedData: fromBase64(r.encodedData ?? '') });
}

function additionsOf(set: EntrySet): number[] {
  if (set.compressionType === 'RICE' && set.riceHashes !== undefined) return riceValues(set.riceHashes).map(swap);
  const raw = fromBase64(set.rawHashes?.rawHashes ?? '');
  const size = set.rawHashes?.prefixSize ?? PREFIX_BYTES;
  if (size !== PREFIX_BYTES || raw.length % size !== 0) throw new ScamgraphError(200, 'UNSUPPORTED_PREFIX', `Prefixes of ${size} bytes are not supported.`);
  const out: number[] = [];
  for (let i = 0; i < raw.length; i += size) out.push(prefixOf(raw.subarray(i, i + size)));
  return out;
}

function removalsOf(set: EntrySet): number[] {
  if (set.compressionType === 'RICE' && set.riceIndices !== undefined) return riceValues(set.riceIndices);
  return set.rawIndices?.indices ?? [];
}

interface LocalList {
  state: Uint8Array;
  prefixes: Uint32Array;
}

export class LinkLists {
  private readonly lists = new Map<ThreatType, LocalList>();
  private nextUpdateAt = 0;
  private failures = 0;
  private loaded: Promise<void> | null = null;
  /** Full hash (hex) → what it is and until when that answer holds. */
  private readonly positive = new Map<string, { until: number; threatType: ThreatType; verdict?: ListedVerdict }>();
  /** Prefix → until when "no listed full hash has it" holds. */
  private readonly negative = new Map<number, number>();

  constructor(
    private readonly transport: Transport,
    private readonly storage: StorageAdapter,
    private readonly digest: Digest,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** The lists as last stored (once), so that a restarted app checks at once and updates from where it was. */
  private ready(): Promise<void> {
    this.loaded ??= (async () => {
      for (const { threatType } of LINK_LISTS) {
        const stored = await this.storage.get(`links:${threatType}`);
        if (stored === null) continue;
        const { state, prefixes } = JSON.parse(stored) as { state: string; prefixes: string };
        const bytes = fromBase64(prefixes);
        const list = new Uint32Array(bytes.length / PREFIX_BYTES);
        for (let i = 0; i < list.length; i++) list[i] = prefixOf(bytes.subarray(i * PREFIX_BYTES));
        this.lists.set(threatType, { state: fromBase64(state), prefixes: list });
      }
      this.nextUpdateAt = Number((await this.storage.get('links:nextUpdateAt')) ?? 0);
    })();
    return this.loaded;
  }

  /** How many prefixes each list holds now. */
  async sizes(): Promise<Record<ThreatType, number>> {
    await this.ready();
    return Object.fromEntries(LINK_LISTS.map(({ threatType }) => [threatType, this.lists.get(threatType)?.prefixes.length ?? 0])) as Record<ThreatType, number>;
  }

  /**
   * Brings the lists up to date, unless the server's minimum wait (or, after failures, the back-off Safe
   * Browsing prescribes: 15 min × 2^(n−1) × (1 + random), at most 24 h) has not passed; `force` ignores both.
   */
  async sync(options: { force?: boolean } = {}): Promise<SyncResult> {
    await this.ready();
    if (options.force !== true && this.now() < this.nextUpdateAt) return { lists: [], nextUpdateAt: this.nextUpdateAt };
    try {
      const result = await this.update([...LINK_LISTS.map((l) => l.threatType)]);
      this.failures = 0;
      return result;
    } catch (error) {
      this.failures++;
      this.nextUpdateAt = this.now() + Math.min(24 * 3600_000, 15 * 60_000 * 2 ** (this.failures - 1) * (1 + this.random()));
      await this.storage.set('links:nextUpdateAt', String(this.nextUpdateAt));
      throw error;
    }
  }

  private async update(threatTypes: ThreatType[], reset = new Set<ThreatType>()): Promise<SyncResult> {
    const body = {
      client: CLIENT,
      listUpdateRequests: threatTypes.map((threatType) => ({
        threatType,
        platformType: 'ANY_PLATFORM',
        threatEntryType: 'URL',
        state: reset.has(threatType) ? '' : toBase64(this.lists.get(threatType)?.state ?? new Uint8Array(0)),
        constraints: { supportedCompressions: ['RAW', 'RICE'] },
      })),
    };
    const answer = await this.transport.json<{ listUpdateResponses: ListUpdateResponse[]; minimumWaitDuration?: string }>(UPDATE_PATH, { method: 'POST', body, auth: true });
    const applied: SyncResult['lists'] = [];
    const mismatched: ThreatType[] = [];
    for (const response of answer.listUpdateResponses) {
      const prefixes = this.applied(response);
      const bytes = listBytes(prefixes);
      if (!equalBytes(await this.digest(bytes), fromBase64(response.checksum.sha256))) {
        // Safe Browsing's rule: a list that does not check out is dropped and fetched again whole.
        if (reset.has(response.threatType)) throw new ScamgraphError(200, 'CHECKSUM_MISMATCH', `The ${response.threatType} list does not match the server's checksum even when fetched whole.`);
        this.lists.delete(response.threatType);
        await this.storage.remove(`links:${response.threatType}`);
        mismatched.push(response.threatType);
        continue;
      }
      this.lists.set(response.threatType, { state: fromBase64(response.newClientState), prefixes });
      await this.storage.set(`links:${response.threatType}`, JSON.stringify({ state: response.newClientState, prefixes: toBase64(bytes) }));
      applied.push({ threatType: response.threatType, update: response.responseType, prefixes: prefixes.length, checksumReset: reset.has(response.threatType) });
    }
    // Cached answers were about the lists before this update.
    this.positive.clear();
    this.negative.clear();
    this.nextUpdateAt = this.now() + durationMs(answer.minimumWaitDuration);
    await this.storage.set('links:nextUpdateAt', String(this.nextUpdateAt));
    if (mismatched.length > 0) {
      const again = await this.update(mismatched, new Set(mismatched));
      return { lists: [...applied, ...again.lists], nextUpdateAt: again.nextUpdateAt };
    }
    return { lists: applied, nextUpdateAt: this.nextUpdateAt };
  }

  /** The list after one update: removals by index into the list before it, then the additions merged in. */
  private applied(response: ListUpdateResponse): Uint32Array {
    const before = response.responseType === 'FULL_UPDATE' ? new Uint32Array(0) : (this.lists.get(response.threatType)?.prefixes ?? new Uint32Array(0));
    const removed = new Set(response.removals?.flatMap(removalsOf) ?? []);
    const kept = removed.size === 0 ? Array.from(before) : Array.from(before).filter((_, i) => !removed.has(i));
    const merged = Uint32Array.from([...kept, ...(response.additions?.flatMap(additionsOf) ?? [])]);
    return merged.sort();
  }

  /**
   * Whether a link is on a list: its lookup expressions are hashed here and matched against the local
   * prefixes; only matching prefixes are sent, and only when no cached answer covers them.
   */
  async checkUrlLocally(url: string): Promise<LinkCheck> {
    await this.ready();
    const expressions = lookupExpressions(canonicalizeUrl(url));
    const hashes = await Promise.all(expressions.map((e) => this.digest(utf8(e))));
    const candidates = hashes.map((hash, i) => ({ hash, hex: toHex(hash), prefix: prefixOf(hash), expression: expressions[i] as string })).filter((c) => LINK_LISTS.some(({ threatType }) => has(this.lists.get(threatType)?.prefixes ?? new Uint32Array(0), c.prefix)));
    if (candidates.length === 0) return { level: 'no_record', askedServer: false };
    const now = this.now();
    const unresolved = candidates.filter((c) => !((this.positive.get(c.hex)?.until ?? 0) > now || (this.negative.get(c.prefix) ?? 0) > now));
    if (unresolved.length > 0) await this.findFullHashes([...new Set(unresolved.map((c) => c.prefix))]);
    let worst: LinkCheck = { level: 'no_record', askedServer: unresolved.length > 0 };
    for (const c of candidates) {
      const match = this.positive.get(c.hex);
      if (match === undefined || match.until <= this.now()) continue;
      const level = LINK_LISTS.find((l) => l.threatType === match.threatType)?.level ?? 'suspicious';
      if (worst.level === 'no_record' || (worst.level === 'suspicious' && level === 'high_risk')) {
        worst = { level, threatType: match.threatType, expression: c.expression, askedServer: worst.askedServer, ...(match.verdict === undefined ? {} : { verdict: match.verdict }) };
      }
    }
    return worst;
  }

  private async findFullHashes(prefixes: number[]): Promise<void> {
    const body = {
      client: CLIENT,
      clientStates: LINK_LISTS.flatMap(({ threatType }) => {
        const state = this.lists.get(threatType)?.state;
        return state === undefined ? [] : [toBase64(state)];
      }),
      threatInfo: {
        threatTypes: LINK_LISTS.map((l) => l.threatType),
        platformTypes: ['ANY_PLATFORM'],
        threatEntryTypes: ['URL'],
        threatEntries: prefixes.map((p) => ({ hash: toBase64(bytesOf(p)) })),
      },
    };
    const answer = await this.transport.json<{ matches?: FullHashMatch[]; negativeCacheDuration?: string }>(FIND_PATH, { method: 'POST', body, auth: true });
    const now = this.now();
    for (const p of prefixes) this.negative.set(p, now + durationMs(answer.negativeCacheDuration));
    for (const match of answer.matches ?? []) {
      const verdict = verdictOf(match);
      this.positive.set(toHex(fromBase64(match.threat.hash)), { until: now + durationMs(match.cacheDuration), threatType: match.threatType, ...(verdict === undefined ? {} : { verdict }) });
    }
  }
}

function verdictOf(match: FullHashMatch): ListedVerdict | undefined {
  const key = toBase64(utf8(VERDICT_KEY));
  const entry = match.threatEntryMetadata?.entries?.find((e) => e.key === key);
  if (entry === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(fromBase64(entry.value))) as ListedVerdict;
  } catch {
    return undefined;
  }
}
