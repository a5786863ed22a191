import type { CheckError, CheckResult, Kind, NewReport, ReportReceipt } from '../../../src/http/api-types.js';
import { webCryptoSha256, type Digest } from './bytes.js';
import { LinkLists, type LinkCheck } from './link-lists.js';
import { NumberLists, type NumberCheck, type NumberKind } from './number-lists.js';
import { memoryStorage, type StorageAdapter } from './storage.js';
import { Transport, type TransportOptions } from './transport.js';

export interface ClientOptions extends TransportOptions {
  /** Where the lists are kept between runs (default: in memory only). */
  storage?: StorageAdapter;
  /** SHA-256 (default WebCrypto's). */
  digest?: Digest;
  /** The region numbers without a country code are read in (default HK, as the server's). */
  region?: string;
  now?: () => number;
}

/**
 * The Scamgraph client: the public check and reports (no key needed), and the privacy-preserving lists for
 * apps and browsers (a partner key with `lists:read`): links by Safe Browsing hash prefixes, numbers,
 * e-mail addresses and payment proxies by filter and bucket. Nothing checked locally is sent in full.
 */
export class ScamgraphClient {
  readonly transport: Transport;
  readonly links: LinkLists;
  readonly numbers: NumberLists;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
    const storage = options.storage ?? memoryStorage();
    const digest = options.digest ?? webCryptoSha256;
    this.links = new LinkLists(this.transport, storage, digest, options.now ?? Date.now, options.random ?? Math.random);
    this.numbers = new NumberLists(this.transport, storage, digest, options.region ?? 'HK');
  }

  /** The public check of one value (this sends the value: use the local checks for what a user browses or receives). */
  check(value: string, kind?: Kind): Promise<CheckResult> {
    const query = new URLSearchParams(kind === undefined ? { value } : { value, kind });
    return this.transport.json<CheckResult>(`/api/v1/check?${query.toString()}`);
  }

  /** Up to 1,000 values at once; a value that cannot be checked comes back with its error. */
  async checkMany(values: (string | { value: string; kind?: Kind })[]): Promise<(CheckResult | CheckError)[]> {
    return (await this.transport.json<{ results: (CheckResult | CheckError)[] }>('/api/v1/check', { method: 'POST', body: { values } })).results;
  }

  /** Reports a scam; the receipt's status token is shown once (keep it to follow the report). */
  report(report: NewReport): Promise<ReportReceipt> {
    return this.transport.json<ReportReceipt>('/api/v1/reports', { method: 'POST', body: report });
  }

  /** Updates the link lists (when the server's minimum wait allows) and the number lists asked for. */
  async syncLists(options: { numbers?: NumberKind[]; force?: boolean } = {}): Promise<void> {
    await this.links.sync({ force: options.force === true });
    for (const kind of options.numbers ?? []) await this.numbers.sync(kind);
  }

  checkUrlLocally(url: string): Promise<LinkCheck> {
    return this.links.checkUrlLocally(url);
  }

  checkNumberLocally(value: string, kind: NumberKind = 'phone'): Promise<NumberCheck> {
    return this.numbers.checkNumberLocally(value, kind);
  }
}
