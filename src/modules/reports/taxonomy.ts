/**
 * The vocabularies of a report, in English and Traditional Chinese. SCAM_TYPES' order is stored as a bitmask
 * (evidence.scam_types): add new types at the end, never reorder.
 */
export interface Label {
  en: string;
  'zh-Hant': string;
}

export const SCAM_TYPES = {
  online_shopping: { en: 'Online shopping', 'zh-Hant': '網購騙案' },
  investment: { en: 'Investment', 'zh-Hant': '投資騙案' },
  employment: { en: 'Employment / part-time job', 'zh-Hant': '求職騙案 / 兼職騙案' },
  romance: { en: 'Romance', 'zh-Hant': '網上情緣騙案' },
  impersonating_officials: { en: 'Impersonating officials', 'zh-Hant': '假冒官員騙案' },
  impersonating_customer_service: { en: 'Impersonating customer service', 'zh-Hant': '假冒客戶服務騙案' },
  phishing_bank: { en: 'Phishing (bank)', 'zh-Hant': '釣魚騙案（銀行）' },
  phishing_courier: { en: 'Phishing (courier)', 'zh-Hant': '釣魚騙案（速遞）' },
  phishing_government: { en: 'Phishing (government)', 'zh-Hant': '釣魚騙案（政府）' },
  tech_support: { en: 'Tech support', 'zh-Hant': '技術支援騙案' },
  loan: { en: 'Loan', 'zh-Hant': '貸款騙案' },
  sextortion: { en: 'Sextortion', 'zh-Hant': '裸聊勒索' },
  ticketing: { en: 'Ticketing', 'zh-Hant': '購票騙案' },
  rental: { en: 'Rental', 'zh-Hant': '租屋騙案' },
  other: { en: 'Other', 'zh-Hant': '其他' },
} as const satisfies Record<string, Label>;

export type ScamType = keyof typeof SCAM_TYPES;
export const SCAM_TYPE_CODES = Object.keys(SCAM_TYPES) as ScamType[];

export const CHANNELS = {
  call: { en: 'Phone call', 'zh-Hant': '電話' },
  sms: { en: 'SMS', 'zh-Hant': '短訊' },
  whatsapp: { en: 'WhatsApp', 'zh-Hant': 'WhatsApp' },
  website: { en: 'Website', 'zh-Hant': '網站' },
  social_media: { en: 'Social media', 'zh-Hant': '社交媒體' },
  email: { en: 'E-mail', 'zh-Hant': '電郵' },
  in_person: { en: 'In person', 'zh-Hant': '親身接觸' },
  other: { en: 'Other', 'zh-Hant': '其他' },
} as const satisfies Record<string, Label>;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_CODES = Object.keys(CHANNELS) as Channel[];

/** What an indicator was in the scam. `extracted` values found in a narrative get role null. */
export const INDICATOR_ROLES = ['caller', 'sender', 'link', 'website', 'email', 'payee_account', 'payment_proxy', 'wallet', 'social_account', 'app', 'other'] as const;
export type IndicatorRole = (typeof INDICATOR_ROLES)[number];

/** Bit of each scam type in evidence.scam_types. */
export function scamTypeBit(type: string): number {
  const index = SCAM_TYPE_CODES.indexOf(type as ScamType);
  return index === -1 ? 0 : 1 << index;
}

export function scamTypesOf(mask: number): ScamType[] {
  return SCAM_TYPE_CODES.filter((_, i) => (mask & (1 << i)) !== 0);
}
