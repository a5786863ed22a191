import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { lockChangeLog } from '../verdicts/verdicts.repository.js';
import {
  campaignParts,
  findCampaign,
  listCampaigns,
  shareCampaign,
  sharedTemplatesSince,
  withdrawCampaignShare,
  type CampaignParts,
  type CampaignSummaryRow,
  type SharedTemplateRow,
} from './campaigns.repository.js';
import { PLACEHOLDER } from './mask-values.js';

/** Hours of a campaign's activity the console charts (its last three days). */
const CHART_HOURS = 72;

/** What each placeholder of a shared template stands for, so a telco's filter can match any value there. */
export const PLACEHOLDER_LEGEND: Record<string, string> = {
  [PLACEHOLDER.url]: 'any link, domain name or IP address',
  [PLACEHOLDER.phone]: 'any phone number',
  [PLACEHOLDER.email]: 'any e-mail address',
  [PLACEHOLDER.bank_account]: 'any bank account or payment proxy (FPS ID, UPI ID…)',
  [PLACEHOLDER.crypto_wallet]: 'any crypto wallet address',
  [PLACEHOLDER.social_account]: 'any social media handle',
  [PLACEHOLDER.sms_sender]: 'any SMS sender ID',
  [PLACEHOLDER.number]: 'any run of digits (amounts, codes, dates)',
};

/**
 * Campaigns for officers: messages of one template, with their volume per hour, senders and links; and the
 * templates officers share with telcos to block (each share and withdrawal audited with its reason).
 */
export class CampaignService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
  ) {}

  list(options: { minForwards: number; limit: number; offset: number }): Promise<CampaignSummaryRow[]> {
    return listCampaigns(this.db, options);
  }

  async show(id: number): Promise<CampaignSummaryRow & CampaignParts> {
    const summary = await findCampaign(this.db, id);
    if (summary === null) throw new AppError('NOT_FOUND', 'No campaign with this id.');
    return { ...summary, ...(await campaignParts(this.db, id, { hours: CHART_HOURS, limit: 20 })) };
  }

  /** Shares a campaign's template with telcos (feeds:read); sharing a shared one again changes nothing. */
  async share(actor: string, id: number, reason: string): Promise<{ shared: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      // Feed sequence numbers commit in order (a telco's cursor must never pass one still to commit).
      await lockChangeLog(trx);
      const summary = await findCampaign(trx, id);
      if (summary === null) throw new AppError('NOT_FOUND', 'No campaign with this id.');
      const shared = await shareCampaign(trx, { campaignId: id, template: summary.template, actor, reason });
      if (shared) await appendAudit(trx, this.auditKey, { actor, action: 'campaign.share', subject: `campaign:${id}`, details: { reason } });
      return { shared };
    });
  }

  async withdraw(actor: string, id: number, reason: string): Promise<{ withdrawn: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      await lockChangeLog(trx);
      if ((await findCampaign(trx, id)) === null) throw new AppError('NOT_FOUND', 'No campaign with this id.');
      const withdrawn = await withdrawCampaignShare(trx, id);
      if (withdrawn) await appendAudit(trx, this.auditKey, { actor, action: 'campaign.withdraw', subject: `campaign:${id}`, details: { reason } });
      return { withdrawn };
    });
  }

  sharedTemplates(since: number): Promise<SharedTemplateRow[]> {
    return sharedTemplatesSince(this.db, since);
  }
}
