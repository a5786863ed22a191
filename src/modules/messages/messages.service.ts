import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { VerdictPolicy } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import type { Secrets } from '../../storage/secrets.js';
import { extract, IndicatorError, normalize, type Indicator } from '../indicators/index.js';
import { hasSenderShape } from '../indicators/sms-sender.js';
import { timestamp } from '../reports/clean-text.js';
import { fingerprint, referenceFrom } from '../reports/contact-crypto.js';
import { contentHash } from '../reports/report.intake.js';
import type { NewReport } from '../reports/reports.repository.js';
import { independenceSource, type IndependenceRule } from '../reports/reporter-independence.js';
import { reportedEntries } from '../verdicts/evidence-keys.js';
import type { CheckResult, VerdictService } from '../verdicts/verdicts.service.js';
import type { CampaignTracker } from './campaign-tracker.js';
import { parseEmail, type ParsedEmail } from './email-intake.js';
import { gatewayReply, messageVerdict, type AnswerLanguage, type MessageReading, type MessageVerdict } from './message-answer.js';
import { normalizeSender, prepareMessage, type ForwardedMessage, type PreparedMessage } from './message-intake.js';
import { completeAwaitingForward, findAwaitingForward, storeForward } from './messages.repository.js';
import { SIGNATURE_VERSION, signatureToBytes, templateOf } from './template-signature.js';

/** Who forwarded a message, as the intake knows them. */
export interface Forwarder {
  /** Their identity, normalized (`client:TOKEN`, `address:IP`, `phone:+852…`); only its keyed hash is kept. */
  reporter: string;
  /** What makes them independent of other forwarders (reporter-independence.ts); hashed the same way. */
  independence: string;
}

export interface ForwardReceipt {
  reference: string;
  /** Shown once: with the reference it opens the report's status page. */
  statusToken: string;
  verdict: MessageVerdict;
  sender: CheckResult | null;
  values: CheckResult[];
  /** The sender is missing and the forwarder may still send it (the SMS gateway's exchange). */
  awaitingSender: boolean;
}

export interface GatewaySms {
  /** The forwarder's number, as the telco delivered it. */
  from: string;
  /** The short code it was sent to (7726); not stored. */
  to?: string;
  text: string;
  /** The original sender, when the gateway knows it (a handset's "Report Junk" does). */
  sender?: string;
}

export interface GatewayAnswer {
  reply: string;
  reference: string | null;
  awaitingSender: boolean;
  verdict: MessageVerdict | null;
}

/** How long the gateway waits for the forwarder to name the sender after forwarding a message. */
export const SENDER_WAIT_MS = 60 * 60 * 1000;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Forwarded messages: from the public API, an SMS gateway and raw e-mails. Each forward is a report whose
 * evidence is the message's sender and links, counted under the same poisoning rules as any public report;
 * the message itself is stored once with the number of people who forwarded it.
 */
export class MessageService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: Secrets,
    private readonly region: string,
    private readonly policy: VerdictPolicy,
    private readonly independence: IndependenceRule,
    private readonly verdicts: VerdictService,
    /** Reads a message's wording: the classifier's label and signals and the scam type they suggest. */
    private readonly read: (text: string, indicators: readonly { kind: string; canonical: string }[]) => MessageReading,
    private readonly campaigns: CampaignTracker,
    /** Called after a write that changed evidence, so the local index catches up at once. */
    private readonly onEvidenceChanged: () => Promise<void>,
  ) {}

  /** The forwarder of a public API call: its app's client token, else its address (as a public report's). */
  publicForwarder(clientToken: string | undefined, clientAddress: string): Forwarder {
    const reporter = clientToken !== undefined ? `client:${clientToken}` : `address:${clientAddress}`;
    return { reporter, independence: independenceSource(this.independence, { reporter, hasContact: false, clientToken, clientAddress }) };
  }

  /** A message forwarded through the public API. */
  async forward(message: ForwardedMessage, forwarder: Forwarder, lang: AnswerLanguage, now = new Date()): Promise<ForwardReceipt> {
    const arrivedAt = message.arrivedAt === undefined ? null : timestamp(message.arrivedAt, 'arrivedAt', now.getTime());
    return this.store(prepareMessage(message, this.region), forwarder, lang, now, null, arrivedAt);
  }

  /** A pasted message's wording, read and forgotten: the check page's "this looks like a … scam". */
  readText(text: string, lang: AnswerLanguage): { reading: MessageReading; summary: string } {
    const indicators = extract(text, { region: this.region });
    const reading = this.read(text, indicators);
    // The values' verdicts are the check page's own cards: the summary here speaks of the wording alone.
    return { reading, summary: messageVerdict([], reading, lang).summary };
  }

  /** A raw e-mail (.eml) forwarded through the public API: read with its MIME parser, then as any message. */
  async forwardEmail(raw: Uint8Array, forwarder: Forwarder, lang: AnswerLanguage, now = new Date()): Promise<ForwardReceipt & { email: Omit<ParsedEmail, 'message'> }> {
    const { message, ...email } = await parseEmail(raw);
    return { ...(await this.forward(message, forwarder, lang, now)), email };
  }

  /**
   * A text sent to the SMS gateway's short code. With its sender (a handset's "Report Junk"), it is stored
   * at once. Without (a forward), it is stored and the gateway asks for the sender; the forwarder's next
   * text within SENDER_WAIT_MS that reads as a number or a sender ID completes it. Anything else is a new
   * message, and the earlier one stays stored without a sender: nothing is lost.
   */
  async forwardSms(sms: GatewaySms, partner: number, lang: AnswerLanguage | undefined, now = new Date()): Promise<GatewayAnswer> {
    let from: Indicator;
    try {
      from = normalize('phone', sms.from, { region: this.region });
    } catch (error) {
      if (error instanceof IndicatorError) throw new AppError('VALIDATION_FAILED', `from: ${error.message}`);
      throw error;
    }
    // The telco delivered the forwarder's number: a SIM, registered to a real name in Hong Kong, costs
    // something to hold, so under the `carrier` signal each number a partner's gateway delivers is an
    // independent reporter (docs/poisoning.md); without it, all such forwards are one source.
    const reporter = `phone:${from.canonical}`;
    const forwarder: Forwarder = { reporter, independence: independenceSource(this.independence, { reporter, hasContact: false, clientAddress: null, carrier: { partner, number: from.canonical } }) };
    const language = lang ?? (/\p{Script=Han}/u.test(sms.text) ? 'zh-Hant' : 'en');
    if (sms.sender === undefined) {
      const answered = await this.senderReply(sms.text, forwarder, language, now);
      if (answered !== null) return { reply: gatewayReply('thanks', language, answered.reference, answered.verdict), reference: answered.reference, awaitingSender: false, verdict: answered.verdict };
    }
    const receipt = await this.store(prepareMessage({ channel: 'sms', text: sms.text, sender: sms.sender }, this.region), forwarder, language, now, sms.sender === undefined ? new Date(now.getTime() + SENDER_WAIT_MS) : null);
    return {
      reply: gatewayReply(receipt.awaitingSender ? 'ask_sender' : 'thanks', language, receipt.reference, receipt.verdict),
      reference: receipt.reference,
      awaitingSender: receipt.awaitingSender,
      verdict: receipt.verdict,
    };
  }

  /** The forwarder's text read as the sender their last forward waits for; null when it is not one. */
  private async senderReply(text: string, forwarder: Forwarder, lang: AnswerLanguage, now: Date): Promise<{ reference: string; verdict: MessageVerdict } | null> {
    const value = text.trim();
    if (value.length > 24 || !(/^\+?[\d\s().-]{3,20}$/.test(value) || value.startsWith('#') || hasSenderShape(value))) return null;
    let sender: Indicator;
    try {
      sender = normalizeSender(value, 'sms', this.region);
    } catch {
      return null;
    }
    const forwarderHash = fingerprint(this.secrets.fingerprintKey, forwarder.reporter);
    const awaiting = await findAwaitingForward(this.db, forwarderHash, now);
    if (awaiting === null) return null;
    const { report, reference } = this.reportOf(forwarder, { indicators: [{ key: sender.key, kind: sender.kind, canonical: sender.canonical, role: 'sender', extracted: false }], entries: [...reportedEntries(sender)], channel: 'sms', text: awaiting.text, scamType: 'other' }, now);
    const done = await completeAwaitingForward(this.db, { messageId: awaiting.messageId, forwarder: forwarderHash, sender: { key: sender.key, display: sender.display } }, report, now, this.verdicts.judgeContext(now.getTime() / 1000));
    if (done === null) return null;
    if (done.changes > 0) await this.onEvidenceChanged().catch(() => undefined);
    const senderCheck = this.verdicts.check(sender.canonical, sender.kind);
    const prepared = prepareMessage({ channel: 'sms', text: awaiting.text }, this.region);
    const values = prepared.indicators.map((i) => this.verdicts.check(i.canonical, i.kind));
    return { reference, verdict: messageVerdict([senderCheck, ...values], this.read(awaiting.text, prepared.indicators), lang) };
  }

  private reportOf(
    forwarder: Forwarder,
    parts: { indicators: NewReport['indicators']; entries: string[]; channel: string; text: string; scamType: string; occurredAt?: Date | null },
    now: Date,
  ): { report: NewReport; reference: string; statusToken: string } {
    const reference = referenceFrom(randomBytes(8));
    const statusToken = randomBytes(24).toString('base64url');
    const key = this.secrets.fingerprintKey;
    return {
      reference,
      statusToken,
      report: {
        reference,
        source: 'message',
        externalId: null,
        statusTokenHash: sha256(statusToken),
        fingerprint: fingerprint(key, forwarder.reporter),
        independence: fingerprint(key, `independence:${forwarder.independence}`),
        // The text is the message's, stored once beside it; the report names its values.
        contentHash: contentHash(parts.scamType, parts.channel, parts.indicators, parts.text),
        receivedAt: now,
        occurredAt: parts.occurredAt ?? null,
        channel: parts.channel,
        scamType: parts.scamType,
        narrative: '',
        lossAmount: null,
        lossCurrency: null,
        indicators: parts.indicators,
        entries: parts.entries,
        contact: null,
        mayRepeat: true,
      },
    };
  }

  private async store(prepared: PreparedMessage, forwarder: Forwarder, lang: AnswerLanguage, now: Date, awaitingSenderUntil: Date | null, arrivedAt: Date | null = null): Promise<ForwardReceipt> {
    const fullText = prepared.subject === null ? prepared.text : `${prepared.subject}\n${prepared.text}`;
    const reading = this.read(fullText, prepared.indicators);
    const scamType = reading.label === 'scam' && reading.scamType !== null ? reading.scamType : 'other';
    const template = templateOf(fullText, this.region);
    const { report, reference, statusToken } = this.reportOf(forwarder, { ...prepared, channel: prepared.reportChannel, text: fullText, scamType, occurredAt: arrivedAt }, now);
    const awaiting = prepared.sender === null ? awaitingSenderUntil : null;
    const stored = await storeForward(
      this.db,
      { textHash: prepared.textHash, channel: prepared.channel, text: prepared.text, subject: prepared.subject, template: template.template, signature: Buffer.from(signatureToBytes(template.signature)), signatureVersion: SIGNATURE_VERSION, label: reading.label, score: reading.score },
      { forwarder: report.fingerprint, sender: prepared.sender === null ? null : { key: prepared.sender.key, display: prepared.sender.display }, receivedAt: now, awaitingSenderUntil: awaiting },
      report,
      this.verdicts.judgeContext(now.getTime() / 1000),
    );
    // Stored: a failed catch-up must not turn that into an error (the poll retries it).
    if (stored.changes > 0) await this.onEvidenceChanged().catch(() => undefined);
    await this.campaigns.catchUp().catch(() => undefined);
    const sender = prepared.sender === null ? null : this.verdicts.check(prepared.sender.canonical, prepared.sender.kind);
    const values = prepared.indicators.filter((i) => i.role !== 'sender').map((i) => this.verdicts.check(i.canonical, i.kind));
    const verdict = messageVerdict(sender === null ? values : [sender, ...values], reading, lang);
    return { reference, statusToken, verdict, sender, values, awaitingSender: stored.awaiting };
  }
}
