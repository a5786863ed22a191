// Prototypes of Unicode's confusables.txt, as confusables.ts reads them: needed here for capitals too (see senderCore).
import table from 'unhomoglyph/data.json' with { type: 'json' };
import { skeleton } from '../indicators/confusables.js';
import type { RegistryEntry } from './sender-registry.types.js';

const prototypes = new Map<string, string>(Object.entries(table as Record<string, string>));

/**
 * Digits that pass for capitals in the sans-serif fonts phones show sender IDs in, which UTS #39 does not list
 * (it has 0/O and 1/l only): `#H5BC`, `#HK8N`. Sender IDs are nearly always written in capitals, where these
 * swaps are the cheapest spoof there is.
 */
const SENDER_DIGITS: Record<string, string> = { '5': 's', '8': 'b', '2': 'z', '6': 'g' };

/** Hong Kong has no daylight saving time: its day is UTC+8, always. */
const HONG_KONG_OFFSET_MS = 8 * 3600_000;

/** The registry's day (`YYYY-MM-DD`) at `now`: registration dates are Hong Kong days. */
export function hongKongDay(now: Date): string {
  return new Date(now.getTime() + HONG_KONG_OFFSET_MS).toISOString().slice(0, 10);
}

/** Where an entry's registration stands on `day`. */
export type EntryState = 'in_force' | 'suspended' | 'expired' | 'not_yet';

/** Where `entry` stands on `day` (`YYYY-MM-DD`): in force only while active and from its first to its last day. */
export function entryState(entry: RegistryEntry, day: string): EntryState {
  if (entry.status === 'suspended') return 'suspended';
  if (day < entry.registeredOn) return 'not_yet';
  if (entry.expiresOn !== null && day > entry.expiresOn) return 'expired';
  return 'in_force';
}

/** The identity of a sender ID: case is not part of it (normalizeSmsSender's key folds case the same way). */
export function foldSenderId(sender: string): string {
  return sender.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Letters and digits only, lower case: `HSBC-Alert` → `hsbcalert`; what a missing `#` or separator leaves. */
export function plainCore(sender: string): string {
  return sender.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * A sender ID's skeleton without `#` and separators. UTS #39 prototypes are case-sensitive, and confusables.ts
 * lower-cases first, so a Cyrillic `НSВС` would fold to small capitals rather than `hsbc`; senders are read in
 * capitals, so each character is mapped as a capital first, then skeleton() folds what lower case confuses
 * (`rn`/`m`). `I`, `l`, `1` and `|` all end as `l`.
 */
export function senderCore(sender: string): string {
  let capitals = '';
  for (const char of sender.normalize('NFD')) for (const upper of char.toUpperCase()) capitals += prototypes.get(upper) ?? upper;
  let out = '';
  for (const char of skeleton(capitals)) out += SENDER_DIGITS[char] ?? char;
  return out.replace(/[^\p{L}\p{N}]/gu, '');
}

/** A registry entry with its folded forms, as the view indexes it. */
export interface PreparedEntry {
  entry: RegistryEntry;
  folded: string;
  plain: string;
  core: string;
}

/** Shortest core that edit distance applies to: between 2- and 3-character IDs one edit is another word (`DBS`, `DBA`). */
export const EDIT_MIN_CORE = 4;

function push<K>(map: Map<K, PreparedEntry[]>, key: K, p: PreparedEntry): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [p]);
  else if (!list.includes(p)) list.push(p);
}

/** Every string one deletion away from `s` (distinct). */
export function deletions(s: string): string[] {
  const chars = [...s];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) out.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  return [...out];
}

/**
 * The registry in memory, indexed so that an assessment is a handful of map lookups whatever its size: by
 * folded ID (the entry itself), by skeleton core (confusables, a missing `#`, affixes), and by the one-deletion
 * neighbours of each core (symmetric-delete: two strings one edit apart, a swap included,
 * share a neighbour or are one another's), so that no assessment compares against every entry.
 */
export class RegistryView {
  readonly entries: readonly RegistryEntry[];
  readonly byId = new Map<string, PreparedEntry>();
  readonly byCore = new Map<string, PreparedEntry[]>();
  readonly byDeletion = new Map<string, PreparedEntry[]>();
  /** The stored sequence this view was built at (the service rebuilds it when the table moves on). */
  readonly seq: number;

  constructor(entries: readonly RegistryEntry[], seq = 0) {
    this.entries = entries;
    this.seq = seq;
    for (const entry of entries) {
      const p: PreparedEntry = { entry, folded: foldSenderId(entry.senderId), plain: plainCore(entry.senderId), core: senderCore(entry.senderId) };
      if (p.core === '') continue;
      this.byId.set(p.folded, p);
      push(this.byCore, p.core, p);
      if ([...p.core].length >= EDIT_MIN_CORE) for (const d of deletions(p.core)) push(this.byDeletion, d, p);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** The entry registered under this sender ID (any case), if any. */
  get(sender: string): RegistryEntry | undefined {
    return this.byId.get(foldSenderId(sender))?.entry;
  }
}
