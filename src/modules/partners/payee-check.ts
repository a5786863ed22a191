import { LRUCache } from 'lru-cache';
import { AppError } from '../../errors.js';
import { IndicatorError, normalize, type Indicator } from '../indicators/index.js';
import { fpsPhoneProxy } from '../indicators/payment-proxy.js';
import type { Label, ScamType } from '../reports/taxonomy.js';
import type { VerdictService } from '../verdicts/verdicts.service.js';
import { CheckIds } from './check-id.js';
import { customerMessage, payeeAction, payeeRisk, isLarge, type PayeeAction, type PayeePolicy, type PayeeRisk, type PaymentContext } from './payee-policy.js';
import type { SharedAccounts } from './shared-accounts.js';

/** The payee as a bank or wallet holds it. */
export const PAYEE_TYPES = ['fps_phone', 'fps_email', 'fps_id', 'hk_account', 'iban', 'upi', 'paynow_uen', 'wallet'] as const;
export type PayeeType = (typeof PAYEE_TYPES)[number];
export const PAYMENT_CHANNELS = ['fps', 'transfer', 'card', 'wallet', 'upi', 'paynow', 'crypto', 'other'] as const;

export interface PayeeQuery extends PaymentContext {
  type: PayeeType;
  value: string;
  channel?: (typeof PAYMENT_CHANNELS)[number];
  /** The bank's own reference for the line, echoed back. */
  reference?: string;
}

export type PayeeReasonCode = 'REPORTS_HIGH_RISK' | 'REPORTS_SUSPICIOUS' | 'FEED_HIGH_RISK' | 'FEED_SUSPICIOUS' | 'OFFICER_CONFIRMED' | 'OFFICER_CLEARED' | 'PROTECTED_ENTITY' | 'BANKS_REPORTED' | 'LARGE_AMOUNT' | 'NEW_PAYEE' | 'NO_RECORD';

export interface PayeeReason {
  code: PayeeReasonCode;
  count?: number;
  /** The entry the reason is about where it is not the payee itself (the phone number an FPS proxy is). */
  covers?: string;
  since?: string;
}

export interface PayeeAnswer {
  checkId: string;
  reference?: string;
  payee: { type: PayeeType; canonical: string };
  risk: PayeeRisk;
  action: PayeeAction;
  reasons: PayeeReason[];
  evidence: { reports: number; banksReporting: number; lastSeen: string | null; scamTypes: ScamType[] };
  customerMessage: Label | null;
}

export interface PayeeRefusal {
  reference?: string;
  error: { code: string; message: string; reason?: string };
}

const PASSED_ON = new Set(['REPORTS_HIGH_RISK', 'REPORTS_SUSPICIOUS', 'FEED_HIGH_RISK', 'FEED_SUSPICIOUS', 'OFFICER_CONFIRMED', 'OFFICER_CLEARED', 'PROTECTED_ENTITY']);

/** The number as FPS reads it (a Hong Kong number unless it has a country code), or null. */
function hongKongPhoneOrNull(text: string): Indicator | null {
  try {
    return normalize('phone', text, { region: 'HK' });
  } catch (error) {
    if (error instanceof IndicatorError) return null;
    throw error;
  }
}

/**
 * The indicators a payee stands for: the payee itself, and for an FPS phone or e-mail proxy also that phone
 * number or address (a number reported as a scammer's is a warning for a transfer to its FPS proxy too).
 */
export function payeeIndicators(type: PayeeType, value: string, region: string): Indicator[] {
  const trimmed = value.trim();
  const proxy = (scheme: string, expected: string | null): Indicator => {
    const indicator = normalize('payment_proxy', `${scheme}:${trimmed.replace(/^(fps|upi|paynow):/i, '')}`, { region });
    const got = (indicator.details as { type?: string }).type;
    if (expected !== null && got !== expected) throw new IndicatorError('INVALID_PAYMENT_PROXY', `“${trimmed.slice(0, 80)}” is not an FPS ${expected.replace('_', ' ')} (it reads as an FPS ${String(got).replace('_', ' ')}).`);
    return indicator;
  };
  switch (type) {
    case 'fps_phone': {
      // The usual form (+852 9123 4567, 91234567) in one parse; anything else the general way, which words
      // the refusal (an FPS ID sent as a phone, say).
      const compact = trimmed.replace(/^fps:/i, '').replace(/[\s-]/g, '');
      if (compact.startsWith('+') || /^\d{8}$/.test(compact)) {
        const phone = hongKongPhoneOrNull(compact);
        if (phone !== null) return [fpsPhoneProxy(phone), phone];
      }
      const p = proxy('fps', 'phone');
      return [p, normalize('phone', (p.details as { phone: string }).phone, { region })];
    }
    case 'fps_email': {
      const p = proxy('fps', 'email');
      return [p, normalize('email', (p.details as { email: string }).email, { region })];
    }
    case 'fps_id':
      return [proxy('fps', 'fps_id')];
    case 'upi':
      return [proxy('upi', null)];
    case 'paynow_uen':
      return [proxy('paynow', null)];
    case 'hk_account':
    case 'iban': {
      const account = normalize('bank_account', trimmed, { region });
      const scheme = (account.details as { scheme: string }).scheme;
      if ((type === 'iban') !== (scheme === 'iban')) throw new IndicatorError('INVALID_BANK_ACCOUNT', type === 'iban' ? 'This is a Hong Kong account number, not an IBAN: send it as hk_account.' : 'This is an IBAN, not a Hong Kong account number: send it as iban.');
      return [account];
    }
    case 'wallet':
      return [normalize('crypto_wallet', trimmed, { region })];
  }
}

/**
 * The bank payee check: risk and action for each payee of a batch, from this node's memory alone (the
 * lookup index and the banks' shared accounts), under the deployment's policy (payee-policy.ts).
 */
export class PayeeCheck {
  /** Normal forms of recent payees (normalizing is pure; a phone number costs two libphonenumber parses), refusals too. */
  private readonly normalized = new LRUCache<string, Indicator[] | AppError>({ max: 50_000 });
  private readonly checkIds: CheckIds;

  constructor(
    private readonly verdicts: Pick<VerdictService, 'assess'>,
    private readonly shared: Pick<SharedAccounts, 'banksReporting'>,
    private readonly policy: PayeePolicy,
    private readonly region: string,
    checkIdKey: Buffer,
  ) {
    this.checkIds = new CheckIds(checkIdKey);
  }

  check(organisationId: number, queries: readonly PayeeQuery[], now = Date.now() / 1000): (PayeeAnswer | PayeeRefusal)[] {
    return queries.map((query) => {
      try {
        return this.one(organisationId, query, now);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const reason = (error as IndicatorError).reason;
        return { ...(query.reference === undefined ? {} : { reference: query.reference }), error: { code: error.code, message: error.message, ...(reason === undefined ? {} : { reason }) } };
      }
    });
  }

  private indicatorsOf(type: PayeeType, value: string): Indicator[] {
    const key = `${type}\0${value}`;
    let found = this.normalized.get(key);
    if (found === undefined) {
      try {
        found = payeeIndicators(type, value, this.region);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        found = error;
      }
      this.normalized.set(key, found);
    }
    if (found instanceof AppError) throw found;
    return found;
  }

  private one(organisationId: number, query: PayeeQuery, now: number): PayeeAnswer {
    if ((query.amount === undefined) !== (query.currency === undefined)) throw new AppError('VALIDATION_FAILED', 'An amount needs its currency, and a currency its amount.');
    const indicators = this.indicatorsOf(query.type, query.value);
    const { verdict, entries } = this.verdicts.assess(indicators, now);
    const banksReporting = this.shared.banksReporting(entries);
    const officerConfirmed = verdict.reasons.some((r) => r.code === 'OFFICER_CONFIRMED');
    const evidence = { level: verdict.level, officerConfirmed, officerCleared: verdict.reasons.some((r) => r.code === 'OFFICER_CLEARED'), banksReporting };
    const risk = payeeRisk(evidence, this.policy);
    const action = payeeAction(risk, evidence, query, this.policy);
    const primary = indicators[0] as Indicator;
    const reasons: PayeeReason[] = [];
    for (const r of verdict.reasons) {
      if (!PASSED_ON.has(r.code)) continue;
      reasons.push({ code: r.code as PayeeReasonCode, ...(r.count === undefined ? {} : { count: r.count }), ...(r.covers === undefined ? {} : { covers: r.covers }), ...(r.since === undefined ? {} : { since: r.since }) });
    }
    if (banksReporting > 0) reasons.push({ code: 'BANKS_REPORTED', count: banksReporting });
    if (risk !== 'none' && isLarge(query, this.policy)) reasons.push({ code: 'LARGE_AMOUNT' });
    if (risk !== 'none' && query.newPayee !== false) reasons.push({ code: 'NEW_PAYEE' });
    if (reasons.length === 0) reasons.push({ code: 'NO_RECORD' });
    const reports = verdict.reasons.some((r) => r.code === 'REPORTS_HIGH_RISK' || r.code === 'REPORTS_SUSPICIOUS') ? verdict.reportCount : 0;
    return {
      checkId: this.checkIds.seal({ organisationId, entry: entries[0] as string, risk, action, at: now }),
      ...(query.reference === undefined ? {} : { reference: query.reference }),
      payee: { type: query.type, canonical: primary.canonical },
      risk,
      action,
      reasons,
      evidence: { reports, banksReporting, lastSeen: verdict.lastSeen, scamTypes: verdict.scamTypes },
      customerMessage: customerMessage(risk, action, { reports, banksReporting, officerConfirmed }, query),
    };
  }
}
