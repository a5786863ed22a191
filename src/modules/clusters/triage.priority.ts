import type { Label } from '../reports/taxonomy.js';

/**
 * A report's priority in the triage queue, as points an officer can read: the loss, the size of its cluster,
 * how fast the cluster grew this week, how recent the report is, whether the victim is vulnerable, and for a
 * forwarded message how much its wording reads as a scam's (the classifier's score). The
 * points are computed in SQL (triage.repository.ts: the queue sorts on them); this file puts them into words.
 */
export interface PriorityParts {
  loss: number;
  cluster: number;
  growth: number;
  recency: number;
  vulnerable: number;
  wording: number;
}

export interface PriorityReason {
  code: keyof PriorityParts;
  points: number;
  text: Label;
}

export interface PriorityFacts {
  lossAmount: string | null;
  lossCurrency: string | null;
  clusterReports: number;
  clusterRecent: number;
  ageDays: number;
  messageScore: number | null;
}

/** Days a report counts as "this week" for its cluster's growth. */
export const GROWTH_DAYS = 7;

export function explainPriority(parts: PriorityParts, facts: PriorityFacts): PriorityReason[] {
  const reasons: PriorityReason[] = [];
  if (parts.vulnerable > 0) reasons.push({ code: 'vulnerable', points: parts.vulnerable, text: { en: 'The victim is flagged as vulnerable.', 'zh-Hant': '受害人被標示為易受傷害人士。' } });
  if (parts.loss > 0) {
    // With its minor units, as the console writes sums: HKD 1,200.50, never 1,200.5.
    const amount = `${facts.lossCurrency ?? ''} ${Number(facts.lossAmount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`.trim();
    reasons.push({ code: 'loss', points: parts.loss, text: { en: `${amount} was lost.`, 'zh-Hant': `損失 ${amount}。` } });
  }
  if (parts.cluster > 0) {
    reasons.push({ code: 'cluster', points: parts.cluster, text: { en: `Its cluster holds ${facts.clusterReports} reports.`, 'zh-Hant': `所屬案件群組共有 ${facts.clusterReports} 宗舉報。` } });
  }
  if (parts.growth > 0) {
    reasons.push({
      code: 'growth',
      points: parts.growth,
      text: { en: `${facts.clusterRecent} of them arrived in the last ${GROWTH_DAYS} days.`, 'zh-Hant': `其中 ${facts.clusterRecent} 宗於過去 ${GROWTH_DAYS} 日內收到。` },
    });
  }
  if (parts.wording > 0 && facts.messageScore !== null) {
    const score = facts.messageScore.toFixed(2);
    reasons.push({ code: 'wording', points: parts.wording, text: { en: `The forwarded message reads as a scam (classifier score ${score}).`, 'zh-Hant': `轉發的訊息字眼看來是騙案（分類器分數 ${score}）。` } });
  }
  if (parts.recency > 0) {
    const days = Math.floor(facts.ageDays);
    reasons.push({
      code: 'recency',
      points: parts.recency,
      text: days === 0 ? { en: 'Received today.', 'zh-Hant': '今日收到。' } : { en: `Received ${days} day${days === 1 ? '' : 's'} ago.`, 'zh-Hant': `${days} 日前收到。` },
    });
  }
  return reasons.sort((a, b) => b.points - a.points);
}
