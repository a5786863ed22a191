import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables in migrations/. Timestamps come back as Date; bigint ids as strings (pg). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Bytes = ColumnType<Buffer, Uint8Array, Uint8Array>;
type Id = number; // int8 parsed as a JS number (storage/database.ts): ids stay far below 2^53

export interface ReportsTable {
  id: Generated<Id>;
  reference: string;
  source: string;
  external_id: string | null;
  status_token_hash: ColumnType<Buffer | null, Uint8Array | null, Uint8Array | null>;
  fingerprint: Bytes;
  content_hash: Bytes;
  duplicate_of: Id | null;
  received_at: Timestamp;
  occurred_at: Timestamp | null;
  channel: string;
  scam_type: string;
  narrative: Generated<string>;
  loss_amount: ColumnType<string | null, string | number | null, string | number | null>;
  loss_currency: string | null;
  status: Generated<string>;
  status_changed_at: GeneratedTimestamp;
  created_at: GeneratedTimestamp;
  /** The officer (users.id) working on it. */
  assigned_to: Generated<Id | null>;
  vulnerable: Generated<boolean>;
  /** How a closed report ended: action_taken, no_further_action, duplicate, not_a_scam. */
  outcome: Generated<string | null>;
  /** Keyed hash of the costly signal that tells the reporter apart (docs/poisoning.md). */
  independence: Bytes;
  /** When retention redacted the narrative, and re-keyed the fingerprint and the independence key (migration 020). */
  narrative_redacted_at: Generated<Date | null>;
  fingerprint_rekeyed_at: Generated<Date | null>;
  independence_rekeyed_at: Generated<Date | null>;
}

export interface ReportIndicatorsTable {
  report_id: Id;
  key: string;
  kind: string;
  canonical: string;
  role: string | null;
  extracted: boolean;
}

/** (entry, reporter) pairs counted in an entry's evidence: written for reporters who may report again (migration 002 filled in every earlier one). */
export interface EvidenceReporterTable {
  evidence_key: string;
  fingerprint: Buffer;
}

/** (entry, independent source) pairs counted in an entry's evidence, as evidence_reporters. */
export interface EvidenceSourcesTable {
  evidence_key: string;
  independence: Buffer;
}

export interface ReportEvidenceTable {
  evidence_key: string;
  report_id: Id;
}

export interface ReporterContactsTable {
  report_id: Id;
  nonce: Bytes;
  ciphertext: Bytes;
  created_at: GeneratedTimestamp;
}

export interface FeedEntriesTable {
  feed: string;
  evidence_key: string;
  kind: string;
  canonical: string;
  level: number;
  listed_at: Timestamp;
  /** As the source gives them (null when it does not). */
  first_seen: Generated<Date | null>;
  last_seen: Generated<Date | null>;
  /** The listing stops counting at this time (null: never); re-listing renews it. */
  expires_at: Generated<Date | null>;
}

export interface FeedsTable {
  name: string;
  /** Days a listing counts after it is made or renewed (null: the default for the kind). */
  ttl_days: number | null;
  updated_at: GeneratedTimestamp;
}

/** The policy the stored levels were judged by. */
export interface VerdictPolicyTable {
  id: number;
  policy: string;
  applied_at: GeneratedTimestamp;
}

export interface DecisionsTable {
  evidence_key: string;
  kind: string;
  canonical: string;
  level: number;
  reason: string;
  decided_by: string;
  decided_at: Timestamp;
}

export interface ProtectedEntitiesTable {
  evidence_key: string;
  kind: string;
  canonical: string;
  name: string;
  created_by: string;
  created_at: GeneratedTimestamp;
  compromised_at: Timestamp | null;
  compromise_reason: string | null;
}

export interface EvidenceTable {
  key: string;
  kind: string;
  report_count: number;
  source_count: number;
  first_seen: Timestamp | null;
  last_seen: Timestamp | null;
  last_report: Timestamp | null;
  scam_types: number;
  feed_level: number;
  feed_name: string | null;
  feed_listed_at: Timestamp | null;
  feed_until: Timestamp | null;
  decision: number;
  decided_at: Timestamp | null;
  protection: number;
  protected_name: string | null;
  /** The public level last logged: 0 no record, 1 suspicious, 2 high risk, 3 verified. */
  level: number;
  /** When time alone may change the level (reports lapsing, a listing expiring). */
  next_change_at: Timestamp | null;
}

export interface EvidenceChangesTable {
  seq: Generated<Id>;
  key: string;
  changed_at: GeneratedTimestamp;
  kind: string | null;
  /** Set when the entry's public level changed (the verdict log): the new and the previous level. */
  level: number | null;
  previous_level: number | null;
}

/** A STIX id Scamgraph served, with what it is about (migration 015). */
export interface StixIdsTable {
  id: string;
  key: string;
  episode: Id;
}

export interface UsersTable {
  id: Generated<Id>;
  username: string;
  password_hash: string;
  role: string;
  created_at: GeneratedTimestamp;
  disabled_at: Timestamp | null;
  /** Set by an administrator's reset: the one-time password only lets its user choose a new one (migration 010). */
  must_change_password: Generated<boolean>;
  password_changed_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: Bytes;
  user_id: Id;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  /** What the session is listed and revoked by (migration 010); the token's hash stays private. */
  id: Generated<Id>;
  last_used_at: GeneratedTimestamp;
  user_agent: string | null;
}

/** Failed sign-ins per account name (a keyed hash of it), shared by every server node (migration 010). */
export interface LoginThrottleTable {
  name_hash: Bytes;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuditLogTable {
  seq: Id;
  at: Timestamp;
  actor: string;
  action: string;
  subject: string;
  details: ColumnType<unknown, string, string>;
  prev_hash: Bytes;
  hash: Bytes;
}

/** A data key for one audit subject, wrapped (migration 022); wrapped NULL once shredded. */
export interface AuditSubjectKeysTable {
  id: Generated<Id>;
  subject: string;
  wrapped: Bytes | null;
  created_at: GeneratedTimestamp;
  shredded_at: Timestamp | null;
}

/** A data key (contact, fingerprint, ...), wrapped under a key derived from the master secret (migration 022). */
export interface DataKeysTable {
  purpose: string;
  version: number;
  wrapped: Bytes;
  master_id: string;
  created_at: GeneratedTimestamp;
  wrapped_at: GeneratedTimestamp;
}

/** A cluster of reports linked through shared keys; its id is one of its reports' ids. */
export interface ClustersTable {
  id: Id;
  report_count: number;
  updated_at: GeneratedTimestamp;
}

export interface ReportClustersTable {
  report_id: Id;
  cluster_id: Id;
}

/** Every indicator key met in a report: its cluster (null when blocked), why it is blocked, its weaker relations. */
export interface CorrelationKeysTable {
  key: string;
  cluster_id: Id | null;
  blocked: number;
  family: string | null;
  shape: string | null;
}

/** Keys an officer marked "do not correlate", with why. */
export interface CorrelationExclusionsTable {
  key: string;
  reason: string;
  created_by: string;
  created_at: GeneratedTimestamp;
}

export interface ReportNotesTable {
  id: Generated<Id>;
  report_id: Id;
  author: string;
  body: string;
  created_at: GeneratedTimestamp;
}

export interface ReferralsTable {
  id: Generated<Id>;
  report_id: Id;
  cluster_id: Id | null;
  target_kind: string;
  target: string;
  reason: string;
  referred_by: string;
  referred_at: GeneratedTimestamp;
}

/** An officer's scam type for a report, with the suggestion shown at the time: labelled data. */
export interface TypeLabelsTable {
  report_id: Id;
  scam_type: string;
  suggested: string | null;
  labelled_by: string;
  labelled_at: GeneratedTimestamp;
}

export interface CheckCountsTable {
  day: string;
  checks: number;
}

/** A partner organisation (migration 012). Limits: requests per minute on each node, calls per UTC day in all. */
export interface OrganisationsTable {
  id: Generated<Id>;
  name: string;
  type: string;
  requests_per_minute: number;
  daily_quota: number;
  created_at: GeneratedTimestamp;
  disabled_at: Timestamp | null;
}

/** A partner's API key: the SHA-256 of the token, never the token. */
export interface PartnerKeysTable {
  id: Generated<Id>;
  organisation_id: Id;
  key_hash: Bytes;
  prefix: string;
  scopes: string[];
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

/** A partner's calls per UTC day and route (counts only). */
export interface PartnerUsageTable {
  organisation_id: Id;
  day: ColumnType<string, string, string>;
  route: string;
  calls: ColumnType<string, number, number>;
  refused: ColumnType<string, number, number>;
}

/** A suspected mule account shared by a bank (migration 012): evidence for partners, not the public. */
export interface SharedAccountsTable {
  organisation_id: Id;
  entry: string;
  kind: string;
  reason: string;
  confidence: string;
  amount: ColumnType<string | null, string | number | null, string | number | null>;
  currency: string | null;
  shared_at: GeneratedTimestamp;
  withdrawn_at: Timestamp | null;
  seq: Generated<Id>;
}

/** What happened after a payee check, as the bank that asked reported it (migration 012). */
export interface PayeeOutcomesTable {
  organisation_id: Id;
  check_hash: Bytes;
  outcome: string;
  entry: string;
  risk: string;
  action: string;
  amount: ColumnType<string | null, string | number | null, string | number | null>;
  currency: string | null;
  checked_at: Timestamp;
  reported_at: GeneratedTimestamp;
}

/** Where a pull of a peer's TAXII collection into a feed got to (migration 017). */
export interface TaxiiPullsTable {
  feed: string;
  collection_url: string;
  added_after: string;
  pulled_at: GeneratedTimestamp;
}

/** A legal hold on a report: kept whole past its retention until `until` (migration 020). */
export interface LegalHoldsTable {
  id: Generated<Id>;
  report_id: Id;
  reason: string;
  until: ColumnType<string, string, string>;
  placed_by: string;
  placed_at: GeneratedTimestamp;
  lifted_at: Timestamp | null;
}

/** A forwarded message, stored once however many forward it (migration 018). */
export interface MessagesTable {
  id: Generated<Id>;
  text_hash: Bytes;
  channel: string;
  text: string;
  subject: string | null;
  template: string;
  signature: Bytes;
  signature_version: number;
  campaign_id: Id | null;
  label: string;
  score: number;
  forwards: Generated<number>;
  first_received_at: Timestamp;
  last_received_at: Timestamp;
  text_redacted_at: Generated<Date | null>;
}

/** One person's forward of a message, with the report it made (migration 018). */
export interface MessageForwardsTable {
  message_id: Id;
  forwarder: Bytes;
  report_id: Id;
  sender_key: string | null;
  sender: string | null;
  received_at: Timestamp;
  awaiting_sender_until: Timestamp | null;
}

/** A campaign's template shared with telcos to block (migration 018). */
export interface CampaignSharesTable {
  campaign_id: Id;
  template: string;
  shared_by: string;
  reason: string;
  shared_at: GeneratedTimestamp;
  withdrawn_at: Timestamp | null;
  seq: Generated<Id>;
}

/** What a telco or platform did about a value (migration 016). */
export interface TelcoOutcomesTable {
  organisation_id: Id;
  entry: string;
  outcome: string;
  reference: string | null;
  reported_at: GeneratedTimestamp;
}

/** A partner's subscription to verdict changes (migration 014); the signing secret is encrypted. */
export interface WebhookSubscriptionsTable {
  id: Generated<Id>;
  organisation_id: Id;
  url: string;
  secret_nonce: Bytes;
  secret_ciphertext: Bytes;
  kinds: string[] | null;
  levels: string[] | null;
  cursor: Id;
  created_at: GeneratedTimestamp;
  disabled_at: Timestamp | null;
}

/** One event for one subscription: the outbox (migration 014). */
export interface WebhookDeliveriesTable {
  subscription_id: Id;
  seq: Id;
  event_id: string;
  payload: string;
  created_at: GeneratedTimestamp;
  attempts: Generated<number>;
  next_attempt_at: GeneratedTimestamp;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_status: number | null;
}

export interface Database {
  reports: ReportsTable;
  report_indicators: ReportIndicatorsTable;
  report_evidence: ReportEvidenceTable;
  evidence_reporters: EvidenceReporterTable;
  evidence_sources: EvidenceSourcesTable;
  feeds: FeedsTable;
  verdict_policy: VerdictPolicyTable;
  reporter_contacts: ReporterContactsTable;
  feed_entries: FeedEntriesTable;
  decisions: DecisionsTable;
  protected_entities: ProtectedEntitiesTable;
  evidence: EvidenceTable;
  evidence_changes: EvidenceChangesTable;
  stix_ids: StixIdsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  audit_subject_keys: AuditSubjectKeysTable;
  data_keys: DataKeysTable;
  clusters: ClustersTable;
  report_clusters: ReportClustersTable;
  correlation_keys: CorrelationKeysTable;
  correlation_exclusions: CorrelationExclusionsTable;
  report_notes: ReportNotesTable;
  referrals: ReferralsTable;
  type_labels: TypeLabelsTable;
  check_counts: CheckCountsTable;
  login_throttle: LoginThrottleTable;
  organisations: OrganisationsTable;
  partner_keys: PartnerKeysTable;
  partner_usage: PartnerUsageTable;
  shared_accounts: SharedAccountsTable;
  payee_outcomes: PayeeOutcomesTable;
  telco_outcomes: TelcoOutcomesTable;
  taxii_pulls: TaxiiPullsTable;
  messages: MessagesTable;
  legal_holds: LegalHoldsTable;
  message_forwards: MessageForwardsTable;
  campaign_shares: CampaignSharesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sms_sender_registry: SmsSenderRegistryTable;
  disputes: DisputesTable;
}

/** A registered SMS sender ID (migration 019); dates are read as `YYYY-MM-DD` text. */
export interface SmsSenderRegistryTable {
  sender_key: string;
  sender_id: string;
  organisation: string;
  status: string;
  registered_on: string;
  expires_on: string | null;
  seq: Generated<Id>;
  updated_at: GeneratedTimestamp;
}

/** A dispute of a flagged value, or a business's request to be verified (migration 021). */
export interface DisputesTable {
  id: Generated<Id>;
  reference: string;
  request: string;
  indicator_key: string;
  kind: string;
  canonical: string;
  level_at_submission: string;
  claimant_role: string;
  organisation: string | null;
  explanation: string;
  evidence: Generated<string>;
  /** A JSON array of http(s) links. */
  evidence_links: ColumnType<string[], string, string>;
  contact_nonce: Bytes;
  contact_ciphertext: Bytes;
  status_token_hash: Bytes;
  status: Generated<string>;
  decided_by: string | null;
  decision_reason: string | null;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  received_at: GeneratedTimestamp;
  redacted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
