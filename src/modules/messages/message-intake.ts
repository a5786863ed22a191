import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';
import { IndicatorError, normalize, type Indicator } from '../indicators/index.js';
import { reportedEntries } from '../verdicts/evidence-keys.js';
import type { ReportIndicator } from '../reports/report.intake.js';
import { keyTooLong, normalizeGiven } from '../reports/report.intake.js';
import type { Channel, IndicatorRole } from '../reports/taxonomy.js';
import { maskValues } from './mask-values.js';
import { MESSAGE_SCREEN_KINDS, screenNarrative } from '../reports/narrative-screen.js';

export const MESSAGE_CHANNELS = ['sms', 'whatsapp', 'email', 'other_chat'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** A report's channel for a message's. */
const REPORT_CHANNEL: Record<MessageChannel, Channel> = { sms: 'sms', whatsapp: 'whatsapp', email: 'email', other_chat: 'social_media' };

/** A message as someone forwarded it, from any intake (the API, an SMS gateway, a raw e-mail). */
export interface ForwardedMessage {
  channel: MessageChannel;
  text: string;
  subject?: string;
  /** Who sent it: a number, an alphanumeric sender ID, an e-mail address, a chat handle. */
  sender?: string;
  /** Links the intake found beside the text (an e-mail's HTML links). */
  links?: readonly string[];
  /** Other addresses that are evidence (an e-mail's Reply-To when it is not its From). */
  replyTo?: readonly string[];
  /** When it reached the forwarder (ISO 8601): the report's time of the scam. */
  arrivedAt?: string;
}

export class InvalidSenderError extends AppError {
  constructor(override readonly cause: IndicatorError) {
    super('INVALID_SENDER', `sender: ${cause.message}`);
  }

  override toJSON(): { code: 'INVALID_SENDER'; message: string; reason: string } {
    return { code: 'INVALID_SENDER', message: this.message, reason: this.cause.reason ?? this.cause.code };
  }
}

/** A forwarded message ready to store: its identity, its indicators and the evidence entries they give. */
export interface PreparedMessage {
  channel: MessageChannel;
  reportChannel: Channel;
  text: string;
  subject: string | null;
  /** The same text forwarded again, by anyone, on any channel, is the same message. */
  textHash: Buffer;
  sender: Indicator | null;
  /** The text with its values masked (mask-values.ts). */
  masked: string;
  indicators: ReportIndicator[];
  /** Evidence: the sender's and the links' entries (and a Reply-To's); other values found are kept, not counted. */
  entries: string[];
}

const LINK_KINDS = new Set(['url', 'domain', 'ip']);

/** The text a message is known by: case, width and spacing folded, so a re-typed or re-wrapped forward is the same. */
export function messageTextHash(subject: string | null, text: string): Buffer {
  const fold = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(JSON.stringify([fold(subject ?? ''), fold(text)])).digest();
}

/**
 * Reads a message's sender as its channel has them: an e-mail address for e-mail; a phone number or an SMS
 * sender ID for SMS; a phone number for WhatsApp; any recognisable value for other chats.
 */
export function normalizeSender(sender: string, channel: MessageChannel, region: string): Indicator {
  try {
    if (channel === 'email') return normalize('email', sender, { region });
    if (channel === 'whatsapp') return normalize('phone', sender, { region });
    if (channel === 'sms') {
      // A number written as one (+852 9123 4567, 91234567); else a sender ID (#HSBC, HKPost, a short code).
      if (/^\+?[\d\s().-]{8,}$/.test(sender.trim())) return normalize('phone', sender, { region });
      return normalize('sms_sender', sender.trim(), { region });
    }
    return normalizeGiven(sender, undefined, region);
  } catch (error) {
    if (error instanceof IndicatorError) throw new InvalidSenderError(error);
    throw error;
  }
}

function given(indicator: Indicator, role: IndicatorRole): ReportIndicator {
  return { key: indicator.key, kind: indicator.kind, canonical: indicator.canonical, role, extracted: false };
}

/**
 * Prepares a forwarded message: normalizes its sender (refused with INVALID_SENDER when it is not one),
 * finds its values, and decides what is evidence. In a forwarded message the sender and the links are what
 * the scam sent, so they count; a number or account in the text may be the real bank's hotline the scam
 * quotes, so it is kept for officers and not counted (as values found in a report's narrative).
 */
export function prepareMessage(message: ForwardedMessage, region: string): PreparedMessage {
  // The forwarder's own HKID, card number or the bank's OTP the scam asked them to send back (narrative-screen.ts).
  const screen = (value: string): string => screenNarrative(value, { kinds: MESSAGE_SCREEN_KINDS, region }).text;
  const text = screen(message.text.trim());
  const subject = screen(message.subject?.trim() ?? '') || null;
  if (text === '' && subject === null) throw new AppError('EMPTY_MESSAGE', 'The message has no text.');
  const sender = message.sender === undefined || message.sender.trim() === '' ? null : normalizeSender(message.sender, message.channel, region);
  const { masked, values } = maskValues(subject === null ? text : `${subject}\n${text}`, region);
  const byKey = new Map<string, ReportIndicator>();
  const counted: Indicator[] = [];
  const add = (indicator: Indicator, role: IndicatorRole | null): void => {
    if (byKey.has(indicator.key) || keyTooLong(indicator)) return;
    byKey.set(indicator.key, role === null ? { ...given(indicator, 'other'), role: null, extracted: true } : given(indicator, role));
    if (role !== null) counted.push(indicator);
  };
  if (sender !== null) add(sender, 'sender');
  for (const address of message.replyTo ?? []) {
    try {
      add(normalize('email', address, { region }), 'email');
    } catch {
      // A Reply-To that is not an address is nothing to report.
    }
  }
  for (const link of message.links ?? []) {
    try {
      add(normalize('url', link, { region }), 'link');
    } catch {
      // mailto:, tel:, fragments and other non-web links are not links to a site.
    }
  }
  for (const value of values) add(value.indicator, LINK_KINDS.has(value.kind) ? 'link' : null);
  const entries = new Set<string>();
  for (const indicator of counted) for (const entry of reportedEntries(indicator)) entries.add(entry);
  return {
    channel: message.channel,
    reportChannel: REPORT_CHANNEL[message.channel],
    text,
    subject,
    textHash: messageTextHash(subject, text),
    sender,
    masked,
    indicators: [...byKey.values()],
    entries: [...entries],
  };
}
