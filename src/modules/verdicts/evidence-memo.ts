import type { StoredEvidence } from './verdicts.repository.js';

/** Entries remembered at most; past it the memo starts again (an import's popular entries come back soon). */
const MEMO_ENTRIES = 100_000;

/**
 * The evidence one importer wrote, so that its next batch need not read back what its last one wrote: a
 * campaign's entries recur in batch after batch. It holds only while the change log has no row the importer
 * did not write (every change of evidence appends one), which the writer checks under the change-log lock
 * before using it. What a batch wrote is staged and kept only once its transaction committed.
 */
export class EvidenceMemo {
  private readonly entries = new Map<string, StoredEvidence>();
  /** The change log's last sequence number once the remembered writes committed (-1: nothing remembered). */
  private seq = -1;
  private staged: { written: StoredEvidence[]; seq: number } | null = null;

  /** The remembered entries when the change log still ends at `lastSeq`; otherwise forgets them and gives none. */
  validAt(lastSeq: number): ReadonlyMap<string, StoredEvidence> {
    if (lastSeq !== this.seq) {
      this.entries.clear();
      this.seq = -1;
    }
    return this.entries;
  }

  /** What a batch wrote and the sequence number the change log ends at after it, kept if it commits. */
  stage(written: StoredEvidence[], seq: number): void {
    this.staged = { written, seq };
  }

  commit(): void {
    if (this.staged === null) return;
    if (this.entries.size + this.staged.written.length > MEMO_ENTRIES) this.entries.clear();
    for (const e of this.staged.written) this.entries.set(e.entry, e);
    this.seq = this.staged.seq;
    this.staged = null;
  }

  /** The batch rolled back: its writes never happened, and the database may hold anything now. */
  discard(): void {
    this.staged = null;
    this.entries.clear();
    this.seq = -1;
  }
}
