/** What an entry of the SMS Sender Registry is in: the scheme's own states (OFCA's register lists both). */
export const REGISTRY_STATUSES = ['active', 'suspended'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

/**
 * One registered sender ID of Hong Kong's SMS Sender Registration Scheme: `#HSBC`, its organisation and
 * registration dates (`YYYY-MM-DD`, Hong Kong days; `expiresOn` null when open-ended, inclusive otherwise).
 */
export interface RegistryEntry {
  /** As registered, with its `#`: `#HSBC`. */
  senderId: string;
  organisation: string;
  status: RegistryStatus;
  registeredOn: string;
  expiresOn: string | null;
}

/** A stored entry: with the indicator key it protects (`sms_sender:#hsbc`), its change sequence and time. */
export interface StoredRegistryEntry extends RegistryEntry {
  key: string;
  seq: number;
  updatedAt: Date;
}

/** What a check of a sender ID says about it, against the registry. */
export type SenderStatus = 'registered' | 'suspended' | 'expired' | 'lookalike' | 'unregistered_hash' | 'not_registered';

export type SenderReasonCode =
  | 'REGISTERED'
  | 'SUSPENDED'
  | 'EXPIRED'
  | 'NOT_YET_REGISTERED'
  | 'CONFUSABLE'
  | 'MISSING_HASH'
  | 'AFFIX'
  | 'EDIT_DISTANCE'
  | 'UNREGISTERED_HASH'
  | 'NOT_REGISTERED';

/** A short explanation for the public, in English and Traditional Chinese. */
export interface SenderReason {
  code: SenderReasonCode;
  en: string;
  'zh-Hant': string;
}

export interface SenderAssessment {
  /** The sender ID as given (trimmed). */
  sender: string;
  status: SenderStatus;
  /** The registered entry the sender is, or imitates (a look-alike's closest entry). */
  entry?: RegistryEntry;
  reasons: SenderReason[];
}
