import type { CheckResult } from '../verdicts/verdicts.service.js';
import type { VerdictLevel } from '../verdicts/verdict.types.js';
import type { Label, ScamType } from '../reports/taxonomy.js';
import { SCAM_TYPES } from '../reports/taxonomy.js';

export const ANSWER_LANGUAGES = ['en', 'zh-Hant'] as const;
export type AnswerLanguage = (typeof ANSWER_LANGUAGES)[number];

/** What the wording of a message suggests (the classifier), apart from what is known of its values. */
export interface MessageReading {
  label: 'scam' | 'not_scam';
  score: number;
  signals: { text: string; weight: number }[];
  /** The scam type its words suggest, when it reads as a scam. */
  scamType: ScamType | null;
}

export interface MessageVerdict {
  /** The worst level among its sender and values: what is known. The wording alone never raises it. */
  level: VerdictLevel;
  /** Values at high risk and suspicious. */
  highRisk: number;
  suspicious: number;
  reading: MessageReading;
  /** One paragraph for the person who forwarded it, in their language. */
  summary: string;
}

const RANK: Record<VerdictLevel, number> = { verified: 0, no_record: 1, suspicious: 2, high_risk: 3 };

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * The answer to a forwarded message: its values' verdicts decide its level; its wording, read by the
 * classifier, may add "this looks like a … scam", never a level (a score alone condemns nothing).
 */
export function messageVerdict(results: readonly CheckResult[], reading: MessageReading, lang: AnswerLanguage): MessageVerdict {
  let level: VerdictLevel = 'no_record';
  let highRisk = 0;
  let suspicious = 0;
  for (const result of results) {
    const own = result.verdict.level;
    if (own === 'high_risk') highRisk++;
    if (own === 'suspicious') suspicious++;
    if (own !== 'verified' && RANK[own] > RANK[level]) level = own;
  }
  return { level, highRisk, suspicious, reading, summary: summaryOf(highRisk, suspicious, reading, lang) };
}

function typeLabel(scamType: ScamType | null): Label | null {
  return scamType === null || scamType === 'other' ? null : SCAM_TYPES[scamType];
}

function summaryOf(highRisk: number, suspicious: number, reading: MessageReading, lang: AnswerLanguage): string {
  const type = typeLabel(reading.scamType);
  const words = reading.signals.filter((s) => s.weight > 0).slice(0, 3).map((s) => `“${s.text}”`);
  if (lang === 'zh-Hant') {
    const parts: string[] = [];
    if (highRisk > 0) parts.push(`這則訊息有 ${highRisk} 項高風險資料。這是騙案：切勿按連結、致電或付款。`);
    else if (suspicious > 0) parts.push(`這則訊息有 ${suspicious} 項可疑資料。切勿按連結或回覆。`);
    if (reading.label === 'scam') {
      parts.push(`${highRisk > 0 ? '其' : '這則訊息的'}字眼看來${type === null ? '是騙案' : `是${type['zh-Hant']}`}${words.length > 0 ? `（${words.join('、')}）` : ''}。`);
      if (highRisk === 0 && suspicious === 0) parts.push('切勿按連結、回覆或付款；如有懷疑，請直接聯絡該機構的官方熱線。');
    }
    if (parts.length === 0) parts.push('我們沒有發現這則訊息有騙案跡象，但沒有紀錄不代表安全。');
    return parts.join('');
  }
  const parts: string[] = [];
  if (highRisk > 0) parts.push(`This message contains ${plural(highRisk, 'high-risk value', 'high-risk values')}. It is a scam: do not click its links, call its numbers or pay.`);
  else if (suspicious > 0) parts.push(`This message contains ${plural(suspicious, 'suspicious value', 'suspicious values')}. Do not click its links or reply.`);
  if (reading.label === 'scam') {
    parts.push(`Its wording looks like ${type === null ? 'a scam' : `a scam (${type.en})`}${words.length > 0 ? `: ${words.join(', ')}` : ''}.`);
    if (highRisk === 0 && suspicious === 0) parts.push('Do not click its links, reply or pay; if in doubt, call the organisation on its official number.');
  }
  if (parts.length === 0) parts.push('We found no sign of a scam in this message, but no record is not proof that it is safe.');
  return parts.join(' ');
}

/** The short reply an SMS gateway texts back (kept within one SMS where it can be). */
export function gatewayReply(kind: 'ask_sender' | 'thanks', lang: AnswerLanguage, reference: string, verdict: MessageVerdict | null): string {
  if (lang === 'zh-Hant') {
    if (kind === 'ask_sender') return '多謝舉報。請回覆傳送這則訊息給你的電話號碼或名稱。';
    const warn = verdict === null ? '' : verdict.highRisk > 0 ? '這是騙案，切勿回覆或按連結。' : verdict.reading.label === 'scam' ? '看來是騙案，切勿回覆或按連結。' : '';
    return `多謝舉報（編號 ${reference}）。${warn}`;
  }
  if (kind === 'ask_sender') return 'Thank you. Now reply with the number or name that sent you this message.';
  const warn = verdict === null ? '' : verdict.highRisk > 0 ? ' It is a scam: do not reply or click.' : verdict.reading.label === 'scam' ? ' It looks like a scam: do not reply or click.' : '';
  return `Thank you, ref ${reference}.${warn}`;
}
