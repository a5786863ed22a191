import type { Label } from '../reports/taxonomy.js';
import type { ReasonCode, VerdictLevel } from './verdict.types.js';

/** What the reason's message may mention. */
export interface ReasonParams {
  count?: number;
  source?: string;
  since?: string;
  /** A whole site a link is judged by: `evil.com`. */
  site?: string;
  protectedName?: string;
  decayDays?: number;
}

const about = (p: ReasonParams): Label =>
  p.site === undefined ? { en: '', 'zh-Hant': '' } : { en: ` (other links on ${p.site})`, 'zh-Hant': `（${p.site} 上的其他連結）` };

/** Plain-language reasons, English and Traditional Chinese. Codes are stable; wording may improve. */
const REASONS: Record<ReasonCode, (p: ReasonParams) => Label> = {
  NO_RECORD: () => ({
    en: 'Nothing has been reported about this yet. That is not a statement that it is safe.',
    'zh-Hant': '暫時未有相關舉報紀錄。這並不代表它是安全的。',
  }),
  REPORTS_HIGH_RISK: (p) => ({
    en: `${p.count} people reported this independently in scams${about(p).en}.`,
    'zh-Hant': `已有 ${p.count} 人各自舉報與騙案有關${about(p)['zh-Hant']}。`,
  }),
  REPORTS_SUSPICIOUS: (p) => ({
    en: `${p.count === 1 ? 'One person has' : `${p.count} people have`} reported this in a scam${about(p).en}; not yet confirmed.`,
    'zh-Hant': `已有 ${p.count} 人舉報與騙案有關${about(p)['zh-Hant']}，尚未經確認。`,
  }),
  REPORTS_LAPSED: (p) => ({
    en: `Reported before${about(p).en}, but not in the last ${p.decayDays} days, so those reports no longer count.`,
    'zh-Hant': `曾被舉報${about(p)['zh-Hant']}，但過去 ${p.decayDays} 日沒有新舉報，舊舉報已不再計算。`,
  }),
  FEED_HIGH_RISK: (p) => ({
    en: `Listed as high risk by a trusted source (${p.source})${about(p).en}.`,
    'zh-Hant': `被可信來源（${p.source}）列為高風險${about(p)['zh-Hant']}。`,
  }),
  FEED_SUSPICIOUS: (p) => ({
    en: `Listed as suspicious by a trusted source (${p.source})${about(p).en}.`,
    'zh-Hant': `被可信來源（${p.source}）列為可疑${about(p)['zh-Hant']}。`,
  }),
  OFFICER_CONFIRMED: (p) => ({
    en: `An officer confirmed this as used in scams on ${p.since}${about(p).en}.`,
    'zh-Hant': `警務人員已於 ${p.since} 確認與騙案有關${about(p)['zh-Hant']}。`,
  }),
  OFFICER_DOWNGRADED: (p) => ({
    en: `An officer reviewed the evidence on ${p.since} and rated it suspicious, not confirmed${about(p).en}.`,
    'zh-Hant': `警務人員已於 ${p.since} 覆核證據，評為可疑而非確認${about(p)['zh-Hant']}。`,
  }),
  OFFICER_CLEARED: (p) => ({
    en: `An officer reviewed the reports on ${p.since} and found no scam${about(p).en}.`,
    'zh-Hant': `警務人員已於 ${p.since} 覆核相關舉報，未發現騙案${about(p)['zh-Hant']}。`,
  }),
  PROTECTED_ENTITY: (p) => ({
    en: `Registered as belonging to ${p.protectedName}.`,
    'zh-Hant': `已登記屬於 ${p.protectedName}。`,
  }),
  PROTECTED_COMPROMISED: (p) => ({
    en: `Registered as belonging to ${p.protectedName}, but an officer recorded on ${p.since} that it has been compromised.`,
    'zh-Hant': `已登記屬於 ${p.protectedName}，但警務人員已於 ${p.since} 記錄其已被盜用。`,
  }),
  LOOKALIKE_PROTECTED: (p) => ({
    en: `Looks like ${p.protectedName}, which is registered; this is not it.`,
    'zh-Hant': `外觀與已登記的 ${p.protectedName} 相似，但並非同一個。`,
  }),
};

export function reasonMessage(code: ReasonCode, params: ReasonParams): Label {
  return REASONS[code](params);
}

const HOTLINE = { en: 'the Anti-Scam Helpline 18222', 'zh-Hant': '「防騙易熱線 18222」' };

/** What the person checking should do now, by level. */
export const ADVICE: Record<VerdictLevel, { en: string[]; 'zh-Hant': string[] }> = {
  high_risk: {
    en: [
      'Do not pay, transfer money or give any password, one-time code or personal details.',
      'Stop all contact and do not click links or install apps it sends you.',
      `If you have already paid, call your bank at once and ${HOTLINE.en}, and report it to the police.`,
    ],
    'zh-Hant': [
      '切勿付款、轉賬或提供任何密碼、一次性驗證碼或個人資料。',
      '停止聯絡，不要按任何連結或安裝對方傳來的應用程式。',
      `如已付款，請立即致電銀行及${HOTLINE['zh-Hant']}，並向警方報案。`,
    ],
  },
  suspicious: {
    en: [
      'Be careful: do not pay or share personal details until you have checked.',
      'Contact the person or organisation through a number or website you already know, not the one given to you.',
      `If in doubt, call ${HOTLINE.en}.`,
    ],
    'zh-Hant': [
      '請提高警覺：核實之前切勿付款或透露個人資料。',
      '請透過你已知的電話或網站聯絡對方或有關機構，而非對方提供的聯絡方法。',
      `如有疑問，請致電${HOTLINE['zh-Hant']}。`,
    ],
  },
  no_record: {
    en: [
      'No record does not mean it is safe: scammers change numbers and links all the time.',
      'Never give passwords or one-time codes, and be wary of pressure to act quickly.',
      'If you meet a scam, report it so others are warned.',
    ],
    'zh-Hant': [
      '沒有紀錄不代表安全：騙徒經常更換電話號碼及連結。',
      '切勿提供密碼或一次性驗證碼，並提防任何催促你盡快行動的要求。',
      '如遇上騙案，請舉報以提醒其他人。',
    ],
  },
  verified: {
    en: [
      'This belongs to a registered organisation, but scammers can fake caller IDs, sender names and links.',
      'If a message asks for money, passwords or codes, contact the organisation through its official channel.',
    ],
    'zh-Hant': [
      '此項目屬於已登記機構，但騙徒可偽冒來電顯示、短訊發送人名稱及連結。',
      '如訊息要求付款、密碼或驗證碼，請透過該機構的官方渠道聯絡核實。',
    ],
  },
};
