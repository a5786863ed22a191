import { createHmac } from 'node:crypto';
import type { Config } from './config.js';
import { AuditService } from './modules/audit/audit.service.js';
import { openCheckpointLog } from './modules/audit/checkpoint-log.js';
import { AuthService } from './modules/auth/auth.service.js';
import { ClusterService } from './modules/clusters/clusters.service.js';
import { TriageService } from './modules/clusters/triage.service.js';
import { CheckCounter } from './modules/verdicts/check-counter.js';
import { ReportService } from './modules/reports/reports.service.js';
import { TrendsService } from './modules/reports/trends.js';
import { VerdictService } from './modules/verdicts/verdicts.service.js';
import { RetentionService } from './modules/retention/retention.service.js';
import { ReporterRights } from './modules/reports/reporter-rights.service.js';
import { registryAnswer } from './modules/senders/registry-answer.js';
import { SenderRegistryService } from './modules/senders/sender-registry.service.js';
import { DisputeService } from './modules/disputes/disputes.service.js';
import { disputeCounts } from './modules/disputes/disputes.repository.js';
import { TransparencyService } from './modules/transparency/transparency.service.js';
import { VerdictClock } from './jobs/verdict-clock.js';
import { PartnerMeter } from './modules/partners/partner-meter.js';
import { PartnersService } from './modules/partners/partners.service.js';
import { BlockLists } from './modules/feeds/block-lists.js';
import { TaxiiCollections } from './modules/feeds/taxii.js';
import { MispFeeds } from './modules/feeds/misp.js';
import { HashLists } from './modules/lists/hash-lists.js';
import { NumberLists } from './modules/lists/number-lists.js';
import { PayeeCheck } from './modules/partners/payee-check.js';
import { PayeeOutcomes } from './modules/partners/payee-outcomes.js';
import { Screening } from './modules/partners/screening.js';
import { CampaignTracker } from './modules/messages/campaign-tracker.js';
import { CampaignService } from './modules/messages/campaigns.service.js';
import { readMessage } from './modules/messages/message-reading.js';
import { MessageService } from './modules/messages/messages.service.js';
import { TelcoOutcomes } from './modules/partners/telco-outcomes.js';
import { SharedAccounts } from './modules/partners/shared-accounts.js';
import { Webhooks } from './modules/partners/webhooks.js';
import { WebhookDelivery } from './jobs/webhook-delivery.js';
import { openStorage, type Storage } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';
import { openKeyring } from './storage/keyring.js';
import { loadMasterSecret, type Secrets } from './storage/secrets.js';

/** Everything a process needs, composed once: config → storage (migrated) → services. */
export interface Scamgraph {
  config: Readonly<Config>;
  storage: Storage;
  db: Storage['db'];
  secrets: Secrets;
  verdicts: VerdictService;
  reports: ReportService;
  trends: TrendsService;
  clusters: ClusterService;
  triage: TriageService;
  /** Public checks per day (servers flush it every minute). */
  checks: CheckCounter;
  auth: AuthService;
  audit: AuditService;
  partners: PartnersService;
  /** Partners' calls per day and route, and their limits (servers flush it every minute). */
  partnerMeter: PartnerMeter;
  /** Accounts banks share as suspected mule accounts (each node keeps a copy in memory). */
  sharedAccounts: SharedAccounts;
  payeeCheck: PayeeCheck;
  payeeOutcomes: PayeeOutcomes;
  /** Call and SMS screening for telcos, from the lookup index alone. */
  screening: Screening;
  /** What telcos and platforms did about values. */
  telcoOutcomes: TelcoOutcomes;
  webhooks: Webhooks;
  /** Telcos', ISPs' and platforms' block lists, from the verdict log. */
  blockLists: BlockLists;
  /** The same feeds as TAXII 2.1 collections of STIX 2.1 objects. */
  taxii: TaxiiCollections;
  /** The same feeds as MISP feeds (manifest, events, hashes). */
  misp: MispFeeds;
  hashLists: HashLists;
  numberLists: NumberLists;
  /** Forwarded messages: intake, and their campaigns. */
  messages: MessageService;
  /** Keeps every message in its campaign (in memory, written back). */
  campaignTracker: CampaignTracker;
  /** Campaigns for officers, and the templates shared with telcos. */
  campaigns: CampaignService;
  /** The SMS Sender Registry (registered `#` sender IDs): imports, suspensions, sender checks. */
  senders: SenderRegistryService;
  /** The retention schedule, enforced, and legal holds. */
  retention: RetentionService;
  /** The reporter's rights with the private status link: see, download, correct, withdraw. */
  rights: ReporterRights;
  /** Disputes of flagged values and businesses' requests to be verified (docs/disputes.md). */
  disputes: DisputeService;
  /** The public transparency report, and the data inventory from the retention schedule in force. */
  transparency: TransparencyService;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Load the lookup index (servers and `check` do; `import` and `user add` need not). */
  loadIndex?: boolean;
  /** Follow the change log while running (servers): notified by the database, and polling beside it. */
  follow?: boolean;
  /** How often a following process polls beside the notifications (250 ms; tests set it long to see notifications alone). */
  pollMs?: number;
  /** Listen for other nodes' notifications while following (default true; off only to measure polling alone). */
  listen?: boolean;
  onIndexProgress?: (loaded: number) => void;
}

/** The composition root: opens and migrates the database, derives the keys and builds the services. */
export async function openScamgraph(config: Readonly<Config>, options: OpenOptions = {}): Promise<Scamgraph> {
  const master = loadMasterSecret(config.secretKey, config.dataDir, config.databaseUrl !== null);
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(storage.db);
    // The data keys are kept in the database, wrapped under the master secret (src/storage/keyring.ts).
    const secrets = await openKeyring(storage.db, master);
    const verdicts = new VerdictService(storage.db, config.verdicts, config.defaultRegion, secrets.auditKey, storage.copyOut, config.checkCacheBytes);
    const reports = new ReportService(storage.db, secrets, config.defaultRegion, config.verdicts, config.independence, () => verdicts.catchUp());
    // A changed threshold or decay re-judges every entry and logs what moved (once, by the first process).
    await verdicts.applyPolicy();
    if (options.loadIndex === true) await verdicts.load(options.onIndexProgress);
    if (options.follow === true) verdicts.follow(options.pollMs);
    // The SMS sender registry: checks of sender IDs say what it says; a rebuilt view makes answers stale.
    const senders = new SenderRegistryService(storage.db, verdicts, secrets.auditKey, () => verdicts.invalidateAnswers());
    verdicts.useSenderRegistry((sender) => registryAnswer(senders, sender));
    if (options.loadIndex === true) await senders.load();
    if (options.follow === true) senders.follow(options.pollMs === undefined ? undefined : Math.max(options.pollMs, 1_000));
    // Registrations start and end on their dates, with no write to make them: a run each hour applies them.
    const registryDates = options.follow === true ? setInterval(() => void senders.applyDates().catch(() => undefined), 3_600_000) : null;
    registryDates?.unref();
    const retention = new RetentionService(storage.db, secrets.auditKey, config.retention);
    const campaignTracker = new CampaignTracker(storage.db);
    if (options.loadIndex === true) await campaignTracker.catchUp();
    const messages = new MessageService(storage.db, secrets, config.defaultRegion, config.verdicts, config.independence, verdicts, (text, indicators) => readMessage(text, indicators, config.defaultRegion), campaignTracker, () => verdicts.catchUp());
    const clock = new VerdictClock(verdicts);
    if (options.follow === true) clock.start();
    const checks = new CheckCounter(storage.db);
    if (options.follow === true) checks.start();
    const partnerMeter = new PartnerMeter(storage.db);
    if (options.follow === true) partnerMeter.start();
    const sharedAccounts = new SharedAccounts(storage.db, secrets.auditKey);
    if (options.loadIndex === true) await sharedAccounts.catchUp();
    if (options.follow === true) sharedAccounts.follow(options.pollMs);
    const partners = new PartnersService(storage.db, secrets.auditKey);
    const webhooks = new Webhooks(storage.db, secrets.webhookKey, secrets.auditKey, config.webhooks);
    const delivery = new WebhookDelivery(webhooks);
    if (options.follow === true) delivery.start();
    // What another node changed reaches this one when it commits (migration 013's NOTIFY); the polls stay for a lost connection.
    const unlisten =
      options.follow === true && options.listen !== false
        ? await Promise.all([
            storage.listen('scamgraph_changes', () => {
              void verdicts.catchUp().catch(() => undefined);
              void delivery.tick();
            }),
            storage.listen('scamgraph_shared', () => void sharedAccounts.catchUp().catch(() => undefined)),
            storage.listen('scamgraph_keys', () => partners.keysChangedElsewhere()),
          ])
        : [];
    return {
      config,
      storage,
      db: storage.db,
      secrets,
      verdicts,
      reports,
      trends: new TrendsService(storage.db),
      clusters: new ClusterService(storage.db, secrets.auditKey, config.defaultRegion),
      triage: new TriageService(storage.db, secrets.auditKey, reports, verdicts),
      checks,
      auth: new AuthService(storage.db, secrets.auditKey, { idleMinutes: config.sessionIdleMinutes }),
      partners,
      partnerMeter,
      sharedAccounts,
      payeeCheck: new PayeeCheck(verdicts, sharedAccounts, config.payeePolicy, config.defaultRegion, secrets.checkIdKey),
      payeeOutcomes: new PayeeOutcomes(storage.db, secrets.checkIdKey, secrets.auditKey),
      screening: new Screening(verdicts, config.defaultRegion),
      telcoOutcomes: new TelcoOutcomes(storage.db, secrets.auditKey, config.defaultRegion),
      webhooks,
      blockLists: new BlockLists(verdicts, config.feeds),
      taxii: new TaxiiCollections(storage.db, verdicts, config.feeds, secrets.stixKey),
      misp: new MispFeeds(storage.db, verdicts, config.feeds, secrets.stixKey, config.defaultRegion),
      hashLists: new HashLists(verdicts),
      messages,
      campaignTracker,
      campaigns: new CampaignService(storage.db, secrets.auditKey),
      // Public and stable for the deployment: apps hash values with it; derived so that no new secret is kept.
      numberLists: new NumberLists(verdicts, createHmac('sha256', secrets.stixKey).update('scamgraph number-list bucket key').digest().subarray(0, 16)),
      senders,
      retention,
      rights: new ReporterRights(storage.db, secrets, config.retention, verdicts),
      disputes: new DisputeService(storage.db, { contactKey: secrets.contactKey, auditKey: secrets.auditKey }, config.defaultRegion, verdicts),
      transparency: new TransparencyService(storage.db, config.retention, (since, until) => disputeCounts(storage.db, since, until)),
      audit: new AuditService(storage.db, secrets.auditKey, { signingKeyFile: config.auditCheckpoints.signingKeyFile, log: openCheckpointLog(config.auditCheckpoints.logFile, config.dataDir) }),
      async close() {
        for (const stop of unlisten) await stop();
        verdicts.stop();
        sharedAccounts.stop();
        senders.stop();
        if (registryDates !== null) clearInterval(registryDates);
        await clock.stop();
        await delivery.stop();
        await checks.close().catch(() => undefined);
        await partnerMeter.close().catch(() => undefined);
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
