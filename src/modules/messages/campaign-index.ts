import { isEmptySignature, SIGNATURE_LENGTH, templateOf } from './template-signature.js';

/**
 * Campaigns: messages sent from one template, found incrementally. Locality-sensitive hashing over the MinHash
 * signatures (BANDS bands of ROWS rows: two messages that agree on every row of some band are candidates)
 * keeps each add close to constant time; the estimated Jaccard similarity then confirms a candidate, and a
 * message joins the campaign of its most similar confirmed candidate, or starts a campaign of its own.
 */

/** Bands × rows = SIGNATURE_LENGTH. With 32 × 4, a pair at similarity 0.5 is a candidate 87% of the time, at 0.6 99%, at 0.3 23%. */
export const BANDS = 32;
export const ROWS = SIGNATURE_LENGTH / BANDS;

/**
 * The estimated Jaccard similarity from which a candidate confirms. On test/data/campaigns.labelled.jsonl, pairs
 * of copies of one template have a median of 0.77 (5% below 0.52: names, synonyms, cut sentences), while
 * separately written scams on one theme never exceed 0.31 and chat never 0.22; 0.5 sits in the gap. Copies
 * further apart still join through a closer member.
 */
export const JOIN_THRESHOLD = 0.5;

// A bucket keeps at most this many messages of one campaign: members beyond it that share the band add no new
// way to reach the campaign, and the cap keeps a 100,000-copy campaign from making every add scan it.
const PER_CAMPAIGN_PER_BUCKET = 4;

/** An incremental, in-memory grouping of message signatures into campaigns; deterministic for one insertion order. */
export class CampaignIndex {
  readonly #signatures: Uint32Array[] = [];
  readonly #ids: string[] = [];
  /** The position of each message's campaign (the position of the campaign's first message). */
  readonly #campaign: number[] = [];
  readonly #position = new Map<string, number>();
  // One map per band, keyed by 30 bits of the band's hash: small integers, which V8 hashes without boxing.
  readonly #buckets = Array.from({ length: BANDS }, () => new Map<number, number[]>());
  readonly #threshold: number;
  // Reused between adds: the add that last saw each position, so a candidate is compared once.
  #seen = new Int32Array(1024);
  #stamp = 0;

  /** @param threshold the least estimated similarity to a member for a message to join its campaign */
  constructor(threshold = JOIN_THRESHOLD) {
    this.#threshold = threshold;
  }

  /** How many messages the index holds. */
  get size(): number {
    return this.#ids.length;
  }

  /**
   * Adds a message and returns its campaign's id (the id of the campaign's first message; its own id if it
   * starts one). Adding an id again returns its campaign unchanged.
   */
  add(id: string, signature: Uint32Array): string {
    const known = this.campaignOf(id);
    if (known !== undefined) return known;
    if (signature.length !== SIGNATURE_LENGTH) throw new RangeError(`a signature has ${SIGNATURE_LENGTH} slots, not ${signature.length}`);
    const keys = bandKeys(signature);
    const best = isEmptySignature(signature) ? -1 : this.#bestMatch(signature, keys);
    return this.#place(id, signature, keys, best < 0 ? -1 : this.#campaign[best]!);
  }

  /**
   * Puts back a message whose campaign is already known (e.g. stored by the server), without deciding again;
   * restoring messages in their original order with their stored campaigns rebuilds the same index. The
   * campaign must be a restored id or the message's own.
   */
  restore(id: string, signature: Uint32Array, campaign: string): void {
    if (this.#position.has(id)) return;
    const at = campaign === id ? -1 : this.#position.get(campaign);
    if (at === undefined) throw new RangeError(`campaign ${campaign} of ${id} is not in the index`);
    this.#place(id, signature, bandKeys(signature), at < 0 ? -1 : this.#campaign[at]!);
  }

  /** The campaign id of a message, or undefined for an unknown message. */
  campaignOf(id: string): string | undefined {
    const at = this.#position.get(id);
    return at === undefined ? undefined : this.#ids[this.#campaign[at]!];
  }

  /** Each message id with its campaign id, in insertion order (what to store to `restore` from). */
  *entries(): IterableIterator<[id: string, campaign: string]> {
    for (let i = 0; i < this.#ids.length; i++) yield [this.#ids[i]!, this.#ids[this.#campaign[i]!]!];
  }

  #bestMatch(signature: Uint32Array, keys: Int32Array): number {
    if (++this.#stamp === 0x7fffffff) (this.#seen.fill(0), (this.#stamp = 1));
    let best = -1;
    let bestSimilarity = this.#threshold;
    for (let b = 0; b < BANDS; b++) {
      const bucket = this.#buckets[b]!.get(keys[b]!);
      if (bucket === undefined) continue;
      for (const at of bucket) {
        if (this.#seen[at] === this.#stamp) continue;
        this.#seen[at] = this.#stamp;
        const s = sameSlots(signature, this.#signatures[at]!, bestSimilarity * SIGNATURE_LENGTH) / SIGNATURE_LENGTH;
        // Ties go to the earlier message, so the outcome depends only on the insertion order.
        if (s > bestSimilarity || (s === bestSimilarity && (best < 0 || at < best))) {
          best = at;
          bestSimilarity = s;
        }
      }
    }
    return best;
  }

  #place(id: string, signature: Uint32Array, keys: Int32Array, campaign: number): string {
    const at = this.#ids.length;
    const own = campaign < 0 ? at : campaign;
    this.#ids.push(id);
    this.#signatures.push(signature);
    this.#campaign.push(own);
    this.#position.set(id, at);
    if (at >= this.#seen.length) {
      const grown = new Int32Array(this.#seen.length * 2);
      grown.set(this.#seen);
      this.#seen = grown;
    }
    if (!isEmptySignature(signature)) {
      for (let b = 0; b < BANDS; b++) {
        const bucket = this.#buckets[b]!.get(keys[b]!);
        if (bucket === undefined) this.#buckets[b]!.set(keys[b]!, [at]);
        else if (countOf(bucket, this.#campaign, own) < PER_CAMPAIGN_PER_BUCKET) bucket.push(at);
      }
    }
    return this.#ids[own]!;
  }
}

// estimatedSimilarity without its checks, the hot loop of every add: gives up (returning less than `least`) as
// soon as the slots left cannot bring the count up to `least`, which changes no decision.
function sameSlots(a: Uint32Array, b: Uint32Array, least: number): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    if (a[i] === b[i]) same++;
    else if (same + SIGNATURE_LENGTH - 1 - i < least) return -1;
  }
  return same;
}

function countOf(bucket: number[], campaigns: number[], campaign: number): number {
  let n = 0;
  for (const at of bucket) if (campaigns[at] === campaign) n++;
  return n;
}

/** One key per band: 30 bits of a hash of its rows (a collision only costs a comparison). */
function bandKeys(signature: Uint32Array): Int32Array {
  const keys = new Int32Array(BANDS);
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5;
    for (let r = b * ROWS; r < (b + 1) * ROWS; r++) h = Math.imul(h ^ signature[r]!, 0x01000193) ^ (h >>> 15);
    keys[b] = h >>> 2;
  }
  return keys;
}

/**
 * Groups messages into campaigns in the order given: each id mapped to its campaign's id (the id of the
 * campaign's first message in that order).
 */
export function groupCampaigns(items: readonly { id: string; text: string }[], region = 'HK'): Map<string, string> {
  const index = new CampaignIndex();
  const out = new Map<string, string>();
  for (const { id, text } of items) out.set(id, index.add(id, templateOf(text, region).signature));
  return out;
}
