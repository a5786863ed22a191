import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';
import { extract, IndicatorError, normalize, type Indicator, type IndicatorKind } from '../indicators/index.js';
import type { Label } from '../reports/taxonomy.js';
import type { Reason, Verdict, VerdictLevel } from '../verdicts/verdict.types.js';
import type { CheckResult, VerdictService } from '../verdicts/verdicts.service.js';

/**
 * Call and SMS screening for telcos (issue 14): what a network should do with a call or a message as it
 * arrives, from this node's memory alone (the lookup index and the protected entities), so it can be asked
 * on every call. Nothing of a call or message is kept: not the numbers, not the text.
 *
 * The decision is the strictest that any reason gives (docs/partners.md, "Call and SMS screening"):
 * - block: an officer confirmed the number, sender, link or number in the text; or what is shown is forged (a
 *   protected number, a bank's hotline, arriving from abroad; a `#` sender that is not on the register);
 * - alert (warn the callee before they answer, or flag the message): public reports or a feed make it high
 *   risk; a call from abroad shows a local number (Hong Kong's rule for `+852` calls from overseas); the
 *   call shows the callee's own number; an SMS sender imitates a registered one;
 * - label (show a tag such as "suspected scam"): the evidence makes it suspicious; the number cannot exist;
 * - allow.
 * Public reports alone never block: a verdict that hostile reporters could push would otherwise cut off a
 * number's calls. Blocking needs an officer's decision or a forgery that the network itself can see.
 */
export const SCREEN_DECISIONS = ['allow', 'label', 'alert', 'block'] as const;
export type ScreenDecision = (typeof SCREEN_DECISIONS)[number];
export const CALL_INGRESS = ['domestic', 'international'] as const;
export type CallIngress = (typeof CALL_INGRESS)[number];
export const SENDER_STATUSES = ['registered', 'suspended', 'lookalike', 'spoofed', 'unregistered', 'unknown'] as const;
export type SenderStatus = (typeof SENDER_STATUSES)[number];

export type ScreenReasonCode =
  | 'OFFICER_CONFIRMED'
  | 'REPORTS_HIGH_RISK'
  | 'FEED_HIGH_RISK'
  | 'REPORTS_SUSPICIOUS'
  | 'FEED_SUSPICIOUS'
  | 'OFFICER_CLEARED'
  | 'PROTECTED_ENTITY'
  | 'PROTECTED_NUMBER_FROM_ABROAD'
  | 'LOCAL_NUMBER_FROM_ABROAD'
  | 'CALLER_IS_CALLEE'
  | 'NOT_A_VALID_NUMBER'
  | 'SENDER_SPOOFED'
  | 'SENDER_SUSPENDED'
  | 'SENDER_LOOKALIKE'
  | 'SENDER_UNREGISTERED'
  | 'TEXT_HIGH_RISK'
  | 'TEXT_SUSPICIOUS'
  | 'TEXT_CONFIRMED'
  | 'NO_RECORD';

export interface ScreenReason {
  code: ScreenReasonCode;
  /** The value the reason is about, where it is not the caller or sender itself (a link in the text). */
  covers?: string;
  count?: number;
  since?: string;
}

/** What each reason calls for, and what the callee or recipient is shown when it decides. */
const RULES: Record<ScreenReasonCode, { decision: ScreenDecision; label?: Label }> = {
  OFFICER_CONFIRMED: { decision: 'block' },
  PROTECTED_NUMBER_FROM_ABROAD: { decision: 'block' },
  SENDER_SPOOFED: { decision: 'block' },
  // A # ID whose registration is suspended or has ended: no longer its organisation's to send from.
  SENDER_SUSPENDED: { decision: 'block' },
  TEXT_CONFIRMED: { decision: 'block' },
  REPORTS_HIGH_RISK: { decision: 'alert', label: { en: 'Warning: this number has been reported for scams', 'zh-Hant': '警告：此號碼曾被舉報涉及詐騙' } },
  FEED_HIGH_RISK: { decision: 'alert', label: { en: 'Warning: this number is listed as used in scams', 'zh-Hant': '警告：此號碼被列為涉及詐騙' } },
  LOCAL_NUMBER_FROM_ABROAD: { decision: 'alert', label: { en: 'Call from overseas showing a local number: it may be a scam', 'zh-Hant': '來自海外但顯示本地號碼的來電，可能是詐騙' } },
  CALLER_IS_CALLEE: { decision: 'alert', label: { en: 'This call shows your own number: the number is forged', 'zh-Hant': '來電顯示為您自己的號碼：號碼是偽冒的' } },
  SENDER_LOOKALIKE: { decision: 'alert', label: { en: 'Not from the registered sender it resembles: be careful', 'zh-Hant': '並非來自與其相似的已登記發送人，請小心' } },
  TEXT_HIGH_RISK: { decision: 'alert', label: { en: 'This message contains a link or number reported for scams', 'zh-Hant': '此訊息含有曾被舉報涉及詐騙的連結或號碼' } },
  REPORTS_SUSPICIOUS: { decision: 'label', label: { en: 'Suspected scam', 'zh-Hant': '懷疑詐騙' } },
  FEED_SUSPICIOUS: { decision: 'label', label: { en: 'Suspected scam', 'zh-Hant': '懷疑詐騙' } },
  TEXT_SUSPICIOUS: { decision: 'label', label: { en: 'Suspected scam', 'zh-Hant': '懷疑詐騙' } },
  NOT_A_VALID_NUMBER: { decision: 'label', label: { en: 'The number shown cannot exist', 'zh-Hant': '來電顯示的號碼並不存在' } },
  OFFICER_CLEARED: { decision: 'allow' },
  PROTECTED_ENTITY: { decision: 'allow' },
  SENDER_UNREGISTERED: { decision: 'allow' },
  NO_RECORD: { decision: 'allow' },
};
const RANK: Record<ScreenDecision, number> = { allow: 0, label: 1, alert: 2, block: 3 };
/** The verdict's own reasons a screening answer passes on. */
const VERDICT_REASONS = new Set<string>(['OFFICER_CONFIRMED', 'REPORTS_HIGH_RISK', 'FEED_HIGH_RISK', 'REPORTS_SUSPICIOUS', 'FEED_SUSPICIOUS', 'OFFICER_CLEARED', 'PROTECTED_ENTITY']);

export interface ScreenAnswer {
  decision: ScreenDecision;
  reasons: ScreenReason[];
  /** What to show or say to the callee or recipient (the label of the strongest reason); null to allow or block. */
  label: Label | null;
}

export interface CallScreenAnswer extends ScreenAnswer {
  caller: { canonical: string | null; region: string | null; level: VerdictLevel | null };
}

export interface SmsScreenAnswer extends ScreenAnswer {
  sender: { canonical: string; status: SenderStatus; imitates?: string; level: VerdictLevel };
  /** Links, numbers and other values found in the text, each with its verdict. */
  found: { kind: IndicatorKind; canonical: string; level: VerdictLevel }[];
}

/** The strictest decision among the reasons, with the label of the first reason that gives it. */
function decide(reasons: ScreenReason[]): ScreenAnswer {
  let decision: ScreenDecision = 'allow';
  let label: Label | null = null;
  for (const r of reasons) {
    const rule = RULES[r.code];
    if (RANK[rule.decision] > RANK[decision]) [decision, label] = [rule.decision, rule.label ?? null];
  }
  return { decision, reasons: reasons.length === 0 ? [{ code: 'NO_RECORD' }] : reasons, label: decision === 'block' ? null : label };
}

function verdictReasons(verdict: Verdict): ScreenReason[] {
  return verdict.reasons
    .filter((r: Reason) => VERDICT_REASONS.has(r.code))
    .map((r) => ({ code: r.code as ScreenReasonCode, ...(r.count === undefined ? {} : { count: r.count }), ...(r.since === undefined ? {} : { since: r.since }) }));
}

export interface CallQuery {
  caller: string;
  callee?: string;
  ingress: CallIngress;
}

export class Screening {
  /** Normal forms of recent callers (a phone number costs two libphonenumber parses); null for a number that cannot exist. */
  private readonly phones = new LRUCache<string, { indicator: Indicator } | { invalid: true }>({ max: 100_000 });
  /** The calling code of this deployment's region (`852` for Hong Kong): calls from abroad showing it are alerted. */
  private readonly localCode: string;

  constructor(
    private readonly verdicts: Pick<VerdictService, 'assess' | 'check' | 'knowsRegisteredSenders'>,
    private readonly region: string,
  ) {
    this.localCode = getCountryCallingCode(region as CountryCode);
  }

  private phone(value: string): Indicator | null {
    let found = this.phones.get(value);
    if (found === undefined) {
      try {
        found = { indicator: normalize('phone', value, { region: this.region }) };
      } catch (error) {
        if (!(error instanceof IndicatorError)) throw error;
        found = { invalid: true };
      }
      this.phones.set(value, found);
    }
    return 'indicator' in found ? found.indicator : null;
  }

  screenCall(query: CallQuery, now = Date.now() / 1000): CallScreenAnswer {
    const caller = this.phone(query.caller);
    const abroad = query.ingress === 'international';
    const reasons: ScreenReason[] = [];
    let level: VerdictLevel | null = null;
    let local: boolean;
    if (caller === null) {
      reasons.push({ code: 'NOT_A_VALID_NUMBER' });
      // A number that cannot exist may still show the local calling code, which is what the rule is about.
      local = query.caller.startsWith(`+${this.localCode}`) || (!query.caller.startsWith('+') && !query.caller.startsWith('00'));
    } else {
      const { verdict } = this.verdicts.assess([caller], now);
      level = verdict.level;
      reasons.push(...verdictReasons(verdict));
      local = (caller.details as { countryCallingCode: string }).countryCallingCode === this.localCode;
      // A local protected line (a bank's hotline) never reaches the network from abroad: it is forged.
      if (abroad && local && verdict.level === 'verified') reasons.unshift({ code: 'PROTECTED_NUMBER_FROM_ABROAD' });
      if (query.callee !== undefined && this.phone(query.callee)?.key === caller.key) reasons.push({ code: 'CALLER_IS_CALLEE' });
    }
    if (abroad && local) reasons.push({ code: 'LOCAL_NUMBER_FROM_ABROAD' });
    const details = caller?.details as { region: string | null } | undefined;
    return { ...decide(reasons), caller: { canonical: caller?.canonical ?? null, region: details?.region ?? null, level } };
  }

  /** Throws INVALID_SMS_SENDER for a sender ID that cannot be one. */
  screenSms(query: { senderId: string; text?: string }, now = Date.now() / 1000): SmsScreenAnswer {
    const check = this.verdicts.check(query.senderId, 'sms_sender', { exact: true, now });
    const reasons = verdictReasons(check.verdict);
    const { status, imitates } = senderStatus(check, this.verdicts.knowsRegisteredSenders());
    if (status === 'spoofed') reasons.unshift({ code: 'SENDER_SPOOFED' });
    if (status === 'suspended') reasons.unshift({ code: 'SENDER_SUSPENDED' });
    // A spoofed # ID that also imitates a registered one says which (#H5BC imitates #HSBC).
    if (imitates !== undefined && (status === 'lookalike' || status === 'spoofed')) reasons.push({ code: 'SENDER_LOOKALIKE', covers: imitates });
    if (status === 'unregistered') reasons.push({ code: 'SENDER_UNREGISTERED' });

    const found: SmsScreenAnswer['found'] = [];
    const seen = new Set<string>();
    for (const item of query.text === undefined ? [] : extract(query.text, { region: this.region })) {
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      const { verdict } = this.verdicts.assess([item.indicator], now);
      found.push({ kind: item.kind, canonical: item.canonical, level: verdict.level });
      const confirmed = verdict.reasons.some((r) => r.code === 'OFFICER_CONFIRMED');
      if (confirmed) reasons.push({ code: 'TEXT_CONFIRMED', covers: item.canonical });
      else if (verdict.level === 'high_risk') reasons.push({ code: 'TEXT_HIGH_RISK', covers: item.canonical });
      else if (verdict.level === 'suspicious') reasons.push({ code: 'TEXT_SUSPICIOUS', covers: item.canonical });
    }
    const sender = { canonical: check.canonical, status, ...(imitates === undefined ? {} : { imitates }), level: check.verdict.level };
    return { ...decide(reasons), sender, found };
  }
}

/**
 * A sender's standing: from the SMS Sender Registry when one is loaded (registered, suspended or expired,
 * a look-alike of a registered ID, an unregistered # ID); else from the protected `#NAME`s alone, with which
 * a # proves nothing until a register is loaded.
 */
function senderStatus(check: CheckResult, knowsRegistered: boolean): { status: SenderStatus; imitates?: string } {
  const registry = check.registry;
  if (registry !== undefined) {
    // A registered sender an officer recorded as compromised is still registered; its verdict says the rest.
    if (registry.status === 'registered') return { status: 'registered' };
    if (registry.status === 'suspended' || registry.status === 'expired') return { status: 'suspended' };
    // Only the registry gives a # ID, so one not on it is a spoof, the more so when it imitates one that is.
    if (registry.status === 'lookalike') return { status: check.canonical.startsWith('#') ? 'spoofed' : 'lookalike', imitates: registry.senderId };
    if (registry.status === 'unregistered_hash') return { status: 'spoofed' };
    return { status: 'unregistered' };
  }
  const imitates = check.lookalikes[0]?.protected;
  if (check.verdict.level === 'verified') return { status: 'registered' };
  if (!knowsRegistered) return { status: 'unknown' };
  if (check.canonical.startsWith('#')) return imitates === undefined ? { status: 'spoofed' } : { status: 'spoofed', imitates };
  if (imitates !== undefined) return { status: 'lookalike', imitates };
  return { status: 'unregistered' };
}
