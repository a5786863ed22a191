import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { CampaignIndex } from './campaign-index.js';
import { messageSignaturesAfter, missingMessages, setMessageCampaigns } from './messages.repository.js';
import { signatureFromBytes } from './template-signature.js';

const PAGE = 5_000;

/**
 * Keeps every stored message in a campaign: an in-memory CampaignIndex fed from the messages table in id
 * order (so every node that reads the same rows groups them the same way), writing back each message's
 * campaign. Loaded on start; caught up after each forward.
 */
export class CampaignTracker {
  private index = new CampaignIndex();
  private lastId = 0;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly db: Kysely<Database>) {}

  /** Reads the messages not yet placed and records their campaigns (one run at a time; a call meanwhile runs once more). */
  catchUp(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const rows = await messageSignaturesAfter(this.db, this.lastId, PAGE);
            const fresh = rows.filter((r) => r.id > this.lastId || this.index.campaignOf(String(r.id)) === undefined);
            if (fresh.length === 0) break;
            const assignments: { id: number; campaignId: number }[] = [];
            for (const row of fresh) {
              const campaign = Number(this.index.add(String(row.id), signatureFromBytes(row.signature)));
              if (campaign !== row.campaignId) assignments.push({ id: row.id, campaignId: campaign });
              if (row.id > this.lastId) this.lastId = row.id;
            }
            // A campaign is named after its first message. If that message was erased (its forwarder withdrew
            // it, on this node or another), the name is gone: regroup everything stored, from the start.
            const named = [...new Set(assignments.map((a) => a.campaignId))];
            if ((await missingMessages(this.db, named)).length > 0) {
              this.index = new CampaignIndex();
              this.lastId = 0;
              continue;
            }
            await setMessageCampaigns(this.db, assignments);
            if (rows.length < PAGE) break;
          }
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The campaign of a stored message, once caught up. */
  campaignOf(messageId: number): number | null {
    const campaign = this.index.campaignOf(String(messageId));
    return campaign === undefined ? null : Number(campaign);
  }
}
