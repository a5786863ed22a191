import type { Label } from '../reports/taxonomy.js';

/**
 * How long each kind of personal data is kept (issue 17), in days, configurable (SCAMGRAPH_RETAIN_*). The
 * retention job (retention.service.ts) enforces it; the transparency report's data inventory is generated
 * from it, so what the public reads is what runs.
 */
export interface RetentionSchedule {
  /** Reporters' contact details, counted from the day their report was closed (SCAMGRAPH_RETAIN_CONTACT_DAYS, 90). */
  contactDays: number;
  /** Report narratives, redacted this long after the report arrived; its indicators and counts stay (SCAMGRAPH_RETAIN_NARRATIVE_DAYS, 365). */
  narrativeDays: number;
  /** Forwarded messages' text, likewise; the masked template stays for campaigns (SCAMGRAPH_RETAIN_MESSAGE_DAYS, 365). */
  messageDays: number;
  /**
   * Reporter fingerprints (reports' and the evidence_reporters pairs'), re-keyed under a key then destroyed
   * this long after the report: counts stay right, and nobody can link the old reports to a person again
   * (SCAMGRAPH_RETAIN_FINGERPRINT_DAYS, 400; more than the decay days, so no counting report is touched).
   */
  fingerprintDays: number;
  /** Console sessions, deleted this long after they ended, and failed sign-in counts after the last failure (SCAMGRAPH_RETAIN_SESSION_DAYS, 30). */
  sessionDays: number;
  /** Request summaries: partners' calls counted per day and route, deleted after this many days (SCAMGRAPH_RETAIN_USAGE_DAYS, 400: more than the transparency report's year). */
  usageDays: number;
}

/**
 * What a run of the schedule removes, as its `retention.run` audit row and the transparency report name it:
 * contacts, sessions, partners' daily counts (usage) and spent sign-in throttles deleted; narratives, message
 * texts and disputers' contacts and words redacted; reporter fingerprints and independence keys re-keyed
 * beyond linking.
 */
export const DELETED_KINDS = ['contacts', 'narratives', 'messages', 'fingerprints', 'independence', 'sessions', 'disputes', 'usage', 'throttles'] as const;
export type DeletedKind = (typeof DELETED_KINDS)[number];

export const DEFAULT_RETENTION: Readonly<RetentionSchedule> = Object.freeze({ contactDays: 90, narrativeDays: 365, messageDays: 365, fingerprintDays: 400, sessionDays: 30, usageDays: 400 });

/** One line of the data inventory: what is collected, why, for how long, and who can see it. */
export interface InventoryItem {
  data: string;
  label: Label;
  why: Label;
  kept: Label;
  /** Days kept, where the schedule sets it (null: kept for as long as the stated condition holds). */
  days: number | null;
  who: Label;
}

/** The data inventory as the schedule in force makes it. */
export function dataInventory(s: Readonly<RetentionSchedule>): InventoryItem[] {
  return [
    {
      data: 'reporter_contacts',
      label: { en: 'Reporters’ contact details (name, e-mail, phone), only when given', 'zh-Hant': '舉報人聯絡資料（姓名、電郵、電話），只在提供時收集' },
      why: { en: 'So an officer can ask about a case, with a stated reason each time', 'zh-Hant': '讓人員就個案查詢，每次均須說明理由' },
      kept: { en: `Encrypted; deleted ${s.contactDays} days after the report is closed`, 'zh-Hant': `加密儲存；舉報結案後 ${s.contactDays} 日刪除` },
      days: s.contactDays,
      who: { en: 'Officers, each reading audited', 'zh-Hant': '執法人員，每次查閱均有審計紀錄' },
    },
    {
      data: 'narratives',
      label: { en: 'What happened, in the reporter’s words (own HKID, card numbers and one-time codes removed on arrival)', 'zh-Hant': '舉報人描述的經過（身份證號碼、咭號及一次性密碼在收到時已移除）' },
      why: { en: 'To understand and link cases; the values in it become evidence', 'zh-Hant': '了解及連結個案；其中的資料成為證據' },
      kept: { en: `Redacted ${s.narrativeDays} days after the report; the values found and the counts stay`, 'zh-Hant': `舉報後 ${s.narrativeDays} 日刪去內容；保留找到的資料及統計` },
      days: s.narrativeDays,
      who: { en: 'Officers and analysts', 'zh-Hant': '執法人員及分析員' },
    },
    {
      data: 'messages',
      label: { en: 'Forwarded scam messages (their text)', 'zh-Hant': '轉發的詐騙訊息（內容）' },
      why: { en: 'Their senders and links are evidence; their templates form campaigns telcos can block', 'zh-Hant': '發送人及連結是證據；範本組成可供電訊商封鎖的訊息活動' },
      kept: { en: `Text redacted ${s.messageDays} days after it last arrived; the masked template stays`, 'zh-Hant': `最後收到後 ${s.messageDays} 日刪去內容；保留已遮蓋資料的範本` },
      days: s.messageDays,
      who: { en: 'Officers and analysts; telcos see shared templates only', 'zh-Hant': '執法人員及分析員；電訊商只會看到已分享的範本' },
    },
    {
      data: 'disputes',
      label: { en: 'Disputes and verification requests: who is asking, a contact for the answer, their explanation and evidence', 'zh-Hant': '爭議及核實申請：申請人、回覆用的聯絡資料、解釋及證明' },
      why: { en: 'To decide the dispute and tell the person the outcome', 'zh-Hant': '處理爭議並通知申請人結果' },
      kept: { en: `Contact encrypted; contact, explanation and evidence deleted ${s.contactDays} days after the decision; the outcome is counted`, 'zh-Hant': `聯絡資料加密儲存；決定後 ${s.contactDays} 日刪除聯絡資料、解釋及證明；只保留結果作統計` },
      days: s.contactDays,
      who: { en: 'Officers, each reading of the contact audited; never the reporters of the value', 'zh-Hant': '執法人員，每次查閱聯絡資料均有審計紀錄；舉報該資料的人看不到' },
    },
    {
      data: 'fingerprints',
      label: { en: 'Reporter fingerprints (keyed hashes of a contact, app token or network address; never the address itself)', 'zh-Hant': '舉報人指紋（聯絡資料、應用程式代號或網絡地址的加密雜湊，從不儲存地址本身）' },
      why: { en: 'So one person counts once, and poisoning by many identities fails', 'zh-Hant': '使同一人只計算一次，防止以多個身份操控結果' },
      kept: { en: `Re-keyed and unlinkable ${s.fingerprintDays} days after the report; counts stay right`, 'zh-Hant': `舉報後 ${s.fingerprintDays} 日重新加密至無法連結；統計保持正確` },
      days: s.fingerprintDays,
      who: { en: 'Nobody reads them; they are compared only', 'zh-Hant': '無人查閱，只作比對' },
    },
    {
      data: 'sessions',
      label: { en: 'Officers’ console sessions (time, browser)', 'zh-Hant': '人員的控制台登入紀錄（時間、瀏覽器）' },
      why: { en: 'Sign-in security; an officer can list and end their sessions', 'zh-Hant': '登入安全；人員可查看及結束自己的登入' },
      kept: { en: `Deleted ${s.sessionDays} days after they end`, 'zh-Hant': `結束後 ${s.sessionDays} 日刪除` },
      days: s.sessionDays,
      who: { en: 'The officer; administrators', 'zh-Hant': '該人員；系統管理員' },
    },
    {
      data: 'check_counts',
      label: { en: 'Public checks: a count per day, never the values checked', 'zh-Hant': '公眾查證：每日次數，從不記錄查證的資料' },
      why: { en: 'To publish how much the check is used', 'zh-Hant': '公布查證服務的使用量' },
      kept: { en: 'Kept (a number per day names nobody)', 'zh-Hant': '保留（每日一個數字，不涉及任何人）' },
      days: null,
      who: { en: 'Everyone (this report)', 'zh-Hant': '所有人（本報告）' },
    },
    {
      data: 'partner_usage',
      label: { en: 'Partners’ calls: a count per day and route, never the values they checked', 'zh-Hant': '合作夥伴的使用：每日每項服務的次數，從不記錄查證的資料' },
      why: { en: 'Quotas, and this report', 'zh-Hant': '用量限額及本報告' },
      kept: { en: `Counts only; deleted after ${s.usageDays} days`, 'zh-Hant': `只有次數；${s.usageDays} 日後刪除` },
      days: s.usageDays,
      who: { en: 'Administrators; each partner its own', 'zh-Hant': '系統管理員；各合作夥伴只看到自己的' },
    },
    {
      data: 'audit_log',
      label: { en: 'The audit log: who did what, when, and why (free text encrypted per subject)', 'zh-Hant': '審計紀錄：何人何時做了甚麼及原因（文字按對象加密）' },
      why: { en: 'Every access to personal data is accountable; the chain shows any tampering', 'zh-Hant': '每次查閱個人資料均可追究；紀錄鏈可顯示任何篡改' },
      kept: { en: 'Kept; a subject’s free text is destroyed with its key when the subject is erased', 'zh-Hant': '保留；對象被刪除時，其文字連同密鑰一併銷毀' },
      days: null,
      who: { en: 'Administrators', 'zh-Hant': '系統管理員' },
    },
  ];
}
