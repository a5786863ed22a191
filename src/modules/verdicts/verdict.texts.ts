import type { Label } from '../reports/taxonomy.js';
import type { Reason, ReasonCode, VerdictLevel } from './verdict.types.js';

/** What the reason's message may mention. */
export interface ReasonParams {
  count?: number;
  source?: string;
  since?: string;
  /** A whole site a link is judged by: `evil.com`. */
  site?: string;
  protectedName?: string;
  decayDays?: number;
  /** The count is a lower bound (public answers round counts down). */
  rounded?: boolean;
  /** Enough reporters to be high risk, but not enough independent ones. */
  unconfirmedCrowd?: boolean;
}

/** "One person", "3 people", or rounded: "5 or more people". */
const people = (p: ReasonParams): Label => {
  const n = p.count ?? 0;
  if (n === 1) return { en: 'One person', 'zh-Hant': '1 人' };
  return p.rounded === true ? { en: `${n} or more people`, 'zh-Hant': `最少 ${n} 人` } : { en: `${n} people`, 'zh-Hant': `${n} 人` };
};

const about = (p: ReasonParams): Label =>
  p.site === undefined ? { en: '', 'zh-Hant': '' } : { en: ` (other links on ${p.site})`, 'zh-Hant': `（${p.site} 上的其他連結）` };

/** Plain-language reasons, English and Traditional Chinese. Codes are stable; wording may improve. */
const REASONS: Record<ReasonCode, (p: ReasonParams) => Label> = {
  NO_RECORD: () => ({
    en: 'Nothing has been reported about this yet. That is not a statement that it is safe.',
    'zh-Hant': '暫時未有相關舉報紀錄。這並不代表它是安全的。',
  }),
  REPORTS_HIGH_RISK: (p) => ({
    en: `${people(p).en} reported this independently in scams${about(p).en}.`,
    'zh-Hant': `已有${people(p)['zh-Hant']}各自舉報與騙案有關${about(p)['zh-Hant']}。`,
  }),
  REPORTS_SUSPICIOUS: (p) => ({
    en:
      `${people(p).en} reported this in a scam${about(p).en}; ` +
      (p.unconfirmedCrowd === true ? 'the reports have not been shown to come from independent people, so it is not yet confirmed.' : 'not yet confirmed.'),
    'zh-Hant':
      `已有${people(p)['zh-Hant']}舉報與騙案有關${about(p)['zh-Hant']}，` + (p.unconfirmedCrowd === true ? '但未能證實舉報來自互不相關的人，故尚未經確認。' : '尚未經確認。'),
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

/** The level each reason supports on its own, and the one-line headline it gives a verdict it decides. */
const HEADLINES: Record<ReasonCode, { level: VerdictLevel; text: Label }> = {
  OFFICER_CONFIRMED: { level: 'high_risk', text: { en: 'Confirmed by an officer as used in scams. Do not pay or share details.', 'zh-Hant': '已經警務人員確認與騙案有關。切勿付款或透露資料。' } },
  FEED_HIGH_RISK: { level: 'high_risk', text: { en: 'Listed as high risk by a trusted source. Do not pay or share details.', 'zh-Hant': '被可信來源列為高風險。切勿付款或透露資料。' } },
  REPORTS_HIGH_RISK: { level: 'high_risk', text: { en: 'Reported in scams by independent people. Do not pay or share details.', 'zh-Hant': '多名互不相關的人舉報與騙案有關。切勿付款或透露資料。' } },
  REPORTS_SUSPICIOUS: { level: 'suspicious', text: { en: 'Reported in scams, not yet confirmed. Take care.', 'zh-Hant': '曾被舉報與騙案有關，尚未經確認。請小心。' } },
  FEED_SUSPICIOUS: { level: 'suspicious', text: { en: 'Listed as suspicious by a trusted source. Take care.', 'zh-Hant': '被可信來源列為可疑。請小心。' } },
  OFFICER_DOWNGRADED: { level: 'suspicious', text: { en: 'Rated suspicious by an officer, not confirmed. Take care.', 'zh-Hant': '經警務人員評為可疑，未經確認。請小心。' } },
  PROTECTED_COMPROMISED: { level: 'suspicious', text: { en: 'Belongs to a registered organisation but has been compromised. Take care.', 'zh-Hant': '屬已登記機構，但已被盜用。請小心。' } },
  LOOKALIKE_PROTECTED: { level: 'suspicious', text: { en: 'Looks like a registered name, but it is not it. Take care.', 'zh-Hant': '外觀與已登記名稱相似，但並非同一個。請小心。' } },
  PROTECTED_ENTITY: { level: 'verified', text: { en: 'A registered legitimate organisation.', 'zh-Hant': '已登記的合法機構。' } },
  OFFICER_CLEARED: { level: 'no_record', text: { en: 'Reviewed by an officer: no scam found. Stay careful all the same.', 'zh-Hant': '經警務人員覆核，未發現騙案。仍請保持警覺。' } },
  REPORTS_LAPSED: { level: 'no_record', text: { en: 'Reported before, but not recently. That does not mean it is safe.', 'zh-Hant': '曾被舉報，但近期沒有新舉報。這並不代表安全。' } },
  NO_RECORD: { level: 'no_record', text: { en: 'Nothing reported yet: that does not mean it is safe.', 'zh-Hant': '暫時未有舉報：這並不代表安全。' } },
};

/** The headline of a verdict: that of the first reason supporting its level (so it never says what no reason says). */
export function headlineOf(level: VerdictLevel, reasons: readonly Reason[]): Label {
  const deciding = reasons.find((r) => HEADLINES[r.code].level === level) ?? reasons[0];
  return deciding === undefined ? HEADLINES.NO_RECORD.text : HEADLINES[deciding.code].text;
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
