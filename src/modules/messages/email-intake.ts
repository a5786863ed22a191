import { Parser } from 'htmlparser2';
import PostalMime, { type Address, type Email, type Mailbox } from 'postal-mime';
import { parse as parseDomain } from 'tldts';
import { AppError } from '../../errors.js';
import type { ForwardedMessage } from './message-intake.js';

/** The longest text kept of an e-mail: a scam's wording is in its first lines; a newsletter's tail is not evidence. */
export const MAX_EMAIL_TEXT = 20_000;
/** The most links read from an e-mail's HTML (a phishing mail has a handful; a newsletter hundreds). */
const MAX_LINKS = 50;

/** What an e-mail itself gives away, beside its values (for the officer and the answer). */
export type EmailSignal =
  /** The display name shows an address or a domain other than the real sender's ("HSBC <alerts@hsbc.com.hk>" <x@evil.top>). */
  | 'display_name_hides_sender'
  /** A link's text shows one site and its target is another. */
  | 'link_text_mismatch'
  /** Replies go to another address than the sender's. */
  | 'reply_to_differs';

export interface ParsedEmail {
  message: ForwardedMessage & { channel: 'email' };
  /** The real sender: the address behind the display name; null for an inline forward that does not name it. */
  from: { address: string; name: string | null } | null;
  signals: EmailSignal[];
  attachments: { filename: string | null; mimeType: string; bytes: number }[];
  /** The scam arrived as an attachment of a forward (message/rfc822): the attached message is the one read. */
  forwardedAsAttachment: boolean;
  /**
   * The scam was forwarded inline ("---------- Forwarded message ---------"): its sender is read from the
   * quoted header block, never taken from the forward's own From, which is the forwarder.
   */
  forwardedInline: boolean;
}

/** The line that opens an inline forward's quoted header block (Gmail, Outlook, Apple Mail; English and Chinese). */
const FORWARD_MARKER = /^[ \t>]*(?:-{2,}\s*(?:Forwarded message|Original Message|已轉寄的郵件|已轉寄郵件|轉寄的郵件|转发的邮件|原始郵件|原始邮件)\s*-{2,}|Begin forwarded message:|開始轉寄的郵件[:：]|_{20,})[ \t]*$/im;
const FORWARD_SUBJECT = /^\s*(?:fwd?|fw|轉寄|转发)\s*[:：]/i;
const QUOTED_FROM = /^[ \t>]*(?:From|寄件者|寄件人|发件人)\s*[:：]\s*(.+)$/im;
const QUOTED_SUBJECT = /^[ \t>]*(?:Subject|主旨|主題|主题)\s*[:：]\s*(.+)$/im;
const QUOTED_ADDRESS = /(?:mailto:)?([^\s<>"'()\[\]@:]+@[^\s<>"'()\[\]@]+\.[^\s<>"'()\[\]@]+)/i;

/**
 * An inline forward: the quoted message after its marker, and the sender and subject its header block
 * names. Null when the e-mail is not a forward (then its own From is the sender).
 */
function inlineForward(text: string, subject: string | undefined): { from: { address: string; name: string | null } | null; text: string; subject: string | undefined } | null {
  const marker = FORWARD_MARKER.exec(text);
  if (marker === null && !FORWARD_SUBJECT.test(subject ?? '')) return null;
  const quoted = (marker === null ? text : text.slice(marker.index + marker[0].length)).trim();
  const line = QUOTED_FROM.exec(quoted)?.[1]?.trim() ?? '';
  const address = QUOTED_ADDRESS.exec(line)?.[1] ?? null;
  const name = address === null ? null : line.slice(0, line.indexOf(address)).replace(/mailto:$/i, '').replace(/[<\["']+\s*$/, '').replace(/^["'\s]+|["'\s]+$/g, '').trim() || null;
  return { from: address === null ? null : { address, name }, text: quoted, subject: QUOTED_SUBJECT.exec(quoted)?.[1]?.trim() ?? subject };
}

/** The Date header as an instant Scamgraph accepts (2000 to tomorrow), or nothing: a scam's clock may lie. */
function arrivedAt(date: string | undefined): string | undefined {
  const time = Date.parse(date ?? '');
  return Number.isFinite(time) && time >= Date.UTC(2000, 0, 1) && time <= Date.now() + 86_400_000 ? new Date(time).toISOString() : undefined;
}

const mailbox = (address: Address | undefined): Mailbox | null => {
  if (address === undefined) return null;
  if (address.address !== undefined) return address;
  return address.group?.[0] ?? null;
};

const hostOf = (value: string): string | null => {
  const parsed = parseDomain(value.trim());
  return parsed.domain ?? null;
};

/** Links, their texts and the visible text of an HTML part (scripts and styles skipped). */
function readHtml(html: string): { links: string[]; mismatched: boolean; text: string } {
  const links: string[] = [];
  let mismatched = false;
  let href: string | null = null;
  let anchorText = '';
  let skipping = 0;
  const text: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'script' || name === 'style') skipping++;
        if (name === 'a' && typeof attributes.href === 'string' && /^https?:/i.test(attributes.href.trim())) {
          href = attributes.href.trim();
          anchorText = '';
        }
        if (name === 'br' || name === 'p' || name === 'div' || name === 'tr') text.push('\n');
      },
      ontext(data) {
        if (skipping > 0) return;
        text.push(data);
        if (href !== null) anchorText += data;
      },
      onclosetag(name) {
        if (name === 'script' || name === 'style') skipping = Math.max(0, skipping - 1);
        if (name === 'a' && href !== null) {
          if (links.length < MAX_LINKS && !links.includes(href)) links.push(href);
          // The classic phishing link: it reads www.hsbc.com.hk and goes elsewhere.
          const shown = /^\s*(?:https?:\/\/)?[\w-]+(?:\.[\w-]+)+\S*\s*$/i.test(anchorText) ? hostOf(anchorText) : null;
          if (shown !== null && shown !== hostOf(href)) mismatched = true;
          href = null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return { links, mismatched, text: text.join('').replace(/[ \t\u00a0]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim() };
}

async function parseRaw(raw: Uint8Array): Promise<Email> {
  try {
    return await PostalMime.parse(raw, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer', maxNestingDepth: 32, maxPartCount: 500 });
  } catch (error) {
    throw new AppError('MALFORMED_EMAIL', `The body could not be read as an e-mail message: ${(error as Error).message.slice(0, 120)}`);
  }
}

/**
 * Reads a raw e-mail (an .eml file) as a forwarded message, with a maintained MIME parser (postal-mime):
 * the real sender behind its display name, its subject and text (or the HTML's text), the links of its
 * HTML, its attachments' names and types (never their content). A forward that attached the scam as
 * message/rfc822 is read for the attached message.
 */
export async function parseEmail(raw: Uint8Array): Promise<ParsedEmail> {
  if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(new TextDecoder().decode(raw.subarray(0, 4096)))) {
    throw new AppError('MALFORMED_EMAIL', 'The body has no e-mail header block (lines such as "From: …").');
  }
  let email = await parseRaw(raw);
  let forwardedAsAttachment = false;
  const attached = email.attachments.find((a) => a.mimeType === 'message/rfc822' && a.content instanceof ArrayBuffer);
  if (attached !== undefined) {
    email = await parseRaw(new Uint8Array(attached.content as ArrayBuffer));
    forwardedAsAttachment = true;
  }
  const own = mailbox(email.from);
  if (own === null || own.address === undefined || own.address === '') throw new AppError('MALFORMED_EMAIL', 'The message has no From address.');
  const html = email.html === undefined ? null : readHtml(email.html);
  const body = email.text?.trim() || html?.text || '';
  // Forwarded inline, the e-mail's own From and Reply-To are the forwarder's: personal data, not evidence.
  const inline = forwardedAsAttachment ? null : inlineForward(body, email.subject);
  const from = inline === null ? { address: own.address, name: own.name.trim() || null } : inline.from;
  const text = (inline?.text ?? body).slice(0, MAX_EMAIL_TEXT);
  const signals: EmailSignal[] = [];
  if (from?.name != null) {
    const shown = /[\w.+-]+@([\w-]+(?:\.[\w-]+)+)/.exec(from.name)?.[1] ?? (/\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b/i.exec(from.name)?.[0] ?? null);
    if (shown !== null && hostOf(shown) !== null && hostOf(shown) !== hostOf(from.address.split('@')[1] ?? '')) signals.push('display_name_hides_sender');
  }
  if (html?.mismatched === true) signals.push('link_text_mismatch');
  const replyTo = inline !== null ? [] : (email.replyTo ?? []).map(mailbox).flatMap((m) => (m?.address === undefined ? [] : [m.address])).filter((a) => a.toLowerCase() !== own.address!.toLowerCase());
  if (replyTo.length > 0) signals.push('reply_to_differs');
  const when = inline === null ? arrivedAt(email.date) : undefined;
  return {
    message: { channel: 'email', text, subject: (inline === null ? email.subject : inline.subject) ?? undefined, ...(from === null ? {} : { sender: from.address }), links: html?.links ?? [], replyTo, ...(when === undefined ? {} : { arrivedAt: when }) },
    from,
    signals,
    attachments: email.attachments.map((a) => ({ filename: a.filename, mimeType: a.mimeType, bytes: typeof a.content === 'string' ? a.content.length : a.content.byteLength })),
    forwardedAsAttachment,
    forwardedInline: inline !== null,
  };
}
