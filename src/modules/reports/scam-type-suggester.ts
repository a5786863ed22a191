import { SCAM_TYPES, type ScamType } from './taxonomy.js';

/**
 * Suggests a report's scam type from its narrative (English and Chinese) and indicators, and says which words
 * and signals drove the suggestion, so an officer sees why. A transparent keyword model on purpose: every
 * suggestion can be explained, officers' corrections are kept as labelled data, and its accuracy against
 * those labels is measured in the stats (a learned model can replace it when the labels justify one).
 */

interface Cue {
  /** English words or phrases (matched as whole words, any case). */
  en: string[];
  /** Chinese terms, Traditional and Simplified (matched as substrings). */
  zh: string[];
  /** Words in a link's host or path. */
  link?: string[];
  /** Indicator kinds typical of the type. */
  kinds?: string[];
}

const CUES: Partial<Record<ScamType, Cue>> = {
  online_shopping: {
    en: ['online shop', 'bought', 'purchase', 'seller', 'order', 'never arrived', 'never received', 'carousell', 'taobao', 'marketplace', 'shop'],
    zh: ['網購', '网购', '賣家', '卖家', '訂單', '订单', '收不到貨', '旋轉拍賣', '淘寶', '购物', '買家'],
  },
  investment: {
    en: ['investment', 'invest', 'crypto', 'bitcoin', 'usdt', 'trading', 'stock', 'stocks', 'returns', 'profit', 'forex', 'platform'],
    zh: ['投資', '投资', '股票', '虛擬貨幣', '虚拟货币', '加密貨幣', '回報', '回报', '炒股', '荐股', '薦股', '獲利'],
    kinds: ['crypto_wallet'],
  },
  employment: {
    en: ['part-time', 'part time', 'job', 'task', 'tasks', 'commission', 'salary', 'recruit', 'recruiter', 'hiring', 'like videos'],
    zh: ['兼職', '兼职', '刷單', '刷单', '佣金', '招聘', '日薪', '工作', '任務', '任务'],
  },
  romance: {
    en: ['dating', 'boyfriend', 'girlfriend', 'love', 'relationship', 'met online', 'marry', 'romance'],
    zh: ['交友', '戀愛', '恋爱', '男朋友', '女朋友', '網戀', '网恋', '結婚', '结婚'],
  },
  impersonating_officials: {
    en: ['police', 'officer', 'public security', 'money laundering', 'arrest', 'warrant', 'immigration', 'customs', 'mainland', 'official'],
    zh: ['公安', '警察', '警方', '洗黑錢', '洗钱', '內地', '内地', '通緝', '通缉', '入境處', '海關', '官員'],
  },
  impersonating_customer_service: {
    en: ['customer service', 'refund', 'cancel', 'cancellation', 'subscription', 'membership', 'staff', 'upgrade'],
    zh: ['客服', '退款', '取消', '會員', '会员', '職員'],
  },
  phishing_bank: {
    en: ['bank', 'otp', 'frozen', 'card', 'login', 'verify', 'account suspended', 'one-time password'],
    zh: ['銀行', '银行', '驗證碼', '验证码', '戶口', '账户', '凍結', '冻结', '信用卡'],
    link: ['bank', 'hsbc', 'hangseng', 'bochk', 'citi', 'login', 'secure', 'verify'],
  },
  phishing_courier: {
    en: ['parcel', 'package', 'delivery', 'courier', 'redelivery', 'hongkong post', 'sf express', 'dhl', 'fedex', 'shipment'],
    zh: ['包裹', '速遞', '速递', '快递', '郵政', '邮政', '派送', '順豐', '顺丰'],
    link: ['post', 'hkpost', 'dhl', 'sf', 'fedex', 'ups', 'track', 'parcel', 'redelivery', 'delivery'],
  },
  phishing_government: {
    en: ['tax', 'ird', 'government', 'toll', 'autotoll', 'fine', 'penalty', 'hkid', 'voucher'],
    zh: ['稅', '税', '政府', '罰款', '罚款', '消費券', '隧道費', '繳費', '交税'],
    link: ['gov', 'ird', 'tax', 'toll', 'etoll'],
  },
  tech_support: {
    en: ['virus', 'remote', 'anydesk', 'teamviewer', 'computer', 'microsoft', 'hacked', 'malware'],
    zh: ['電腦', '电脑', '病毒', '遙控', '远程', '遠程'],
  },
  loan: {
    en: ['loan', 'borrow', 'credit', 'lending', 'interest', 'processing fee'],
    zh: ['貸款', '贷款', '借錢', '借钱', '手續費', '手续费', '財務公司'],
  },
  sextortion: {
    en: ['nude', 'naked', 'intimate', 'blackmail', 'sextortion', 'video call', 'explicit'],
    zh: ['裸聊', '裸照', '勒索', '視像', '视频聊天'],
  },
  ticketing: {
    en: ['ticket', 'tickets', 'concert', 'show', 'seat', 'seats'],
    zh: ['門票', '门票', '演唱會', '演唱会', '飛'],
  },
  rental: {
    en: ['rent', 'rental', 'flat', 'apartment', 'landlord', 'tenant', 'room'],
    zh: ['租屋', '租金', '業主', '房東', '房东', '按金', '租'],
  },
};

export interface TypeSignal {
  /** Where it was found. */
  source: 'narrative' | 'link' | 'indicator';
  /** The word, term or kind that matched. */
  cue: string;
}

export interface TypeSuggestion {
  scamType: ScamType;
  label: (typeof SCAM_TYPES)[ScamType];
  /** Share of all matched weight that went to this type (0..1); 0 when nothing matched (then `other`). */
  confidence: number;
  signals: TypeSignal[];
}

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regular expression per type for its English cues (whole words), built once. */
const EN_PATTERNS = new Map(
  Object.entries(CUES).map(([type, cue]) => [type as ScamType, new RegExp(`(?<![\\p{L}\\p{N}])(${cue.en.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu')]),
);

const LINK_WEIGHT = 1.5;
const KIND_WEIGHT = 1.5;

/** The most likely scam type of a report and the signals behind it. */
export function suggestScamType(narrative: string, indicators: readonly { kind: string; canonical: string }[]): TypeSuggestion {
  const scores = new Map<ScamType, { score: number; signals: TypeSignal[] }>();
  const add = (type: ScamType, weight: number, signal: TypeSignal): void => {
    const entry = scores.get(type) ?? { score: 0, signals: [] };
    if (entry.signals.some((s) => s.source === signal.source && s.cue === signal.cue)) return;
    entry.score += weight;
    entry.signals.push(signal);
    scores.set(type, entry);
  };
  const text = narrative.normalize('NFKC');
  const links = indicators.filter((i) => i.kind === 'url' || i.kind === 'domain').map((i) => i.canonical.toLowerCase());
  for (const [type, cue] of Object.entries(CUES) as [ScamType, Cue][]) {
    for (const match of text.matchAll(EN_PATTERNS.get(type) as RegExp)) add(type, 1, { source: 'narrative', cue: (match[1] as string).toLowerCase() });
    for (const term of cue.zh) if (text.includes(term)) add(type, 1, { source: 'narrative', cue: term });
    for (const word of cue.link ?? []) {
      if (links.some((l) => l.split(/[^a-z0-9]+/).includes(word))) add(type, LINK_WEIGHT, { source: 'link', cue: word });
    }
    for (const kind of cue.kinds ?? []) if (indicators.some((i) => i.kind === kind)) add(type, KIND_WEIGHT, { source: 'indicator', cue: kind });
  }
  let best: ScamType = 'other';
  let bestScore = 0;
  let total = 0;
  for (const [type, { score }] of scores) {
    total += score;
    if (score > bestScore || (score === bestScore && type < best)) {
      best = type;
      bestScore = score;
    }
  }
  return { scamType: best, label: SCAM_TYPES[best], confidence: total === 0 ? 0 : bestScore / total, signals: scores.get(best)?.signals ?? [] };
}
