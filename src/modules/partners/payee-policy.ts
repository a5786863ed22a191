import type { Label } from '../reports/taxonomy.js';

/**
 * The payee check's policy (docs/partners.md, "The payee check"): what evidence makes a payee medium, high
 * or very high risk for a bank, and what a bank should do about a payment to it. The default warns and never
 * blocks on public reports alone: the customer decides (Hong Kong's rule for the FPS Suspicious Proxy ID
 * Alert). Only an officer's confirmation may block, and only when a deployment says so.
 */
export const PAYEE_RISKS = ['none', 'medium', 'high', 'very_high'] as const;
export type PayeeRisk = (typeof PAYEE_RISKS)[number];

export const PAYEE_ACTIONS = ['allow', 'warn', 'delay', 'block'] as const;
export type PayeeAction = (typeof PAYEE_ACTIONS)[number];
/** What the policy table may name; `block` comes only from an officer's confirmation (blockOnOfficerConfirmation). */
export type TableAction = Exclude<PayeeAction, 'block'>;

export interface PayeePolicy {
  /** Distinct banks (organisations) sharing an account that make it medium, high and very high risk. */
  banks: { medium: number; high: number; veryHigh: number };
  /** Amounts at or above which a payment is large, per ISO 4217 currency; a currency not listed is never large. */
  largeAmounts: Record<string, number>;
  /**
   * The action for each risk: for a payee the payer has paid before (`known`), a new payee or one the bank did
   * not say (`new`), and a large amount (`large`). The strictest that applies wins.
   */
  actions: Record<PayeeRisk, { known: TableAction; new: TableAction; large: TableAction }>;
  /** Block a payment to a payee an officer confirmed as used in scams (default false: delay, and the customer decides). */
  blockOnOfficerConfirmation: boolean;
}

export const DEFAULT_PAYEE_POLICY: Readonly<PayeePolicy> = Object.freeze<PayeePolicy>({
  banks: { medium: 1, high: 2, veryHigh: 3 },
  // About HKD 10,000 in each; a deployment sets its own.
  largeAmounts: { HKD: 10_000, USD: 1_300, EUR: 1_200, GBP: 1_000, SGD: 1_700, CNY: 9_000, INR: 110_000 },
  actions: {
    none: { known: 'allow', new: 'allow', large: 'allow' },
    medium: { known: 'warn', new: 'warn', large: 'warn' },
    high: { known: 'warn', new: 'warn', large: 'delay' },
    very_high: { known: 'delay', new: 'delay', large: 'delay' },
  },
  blockOnOfficerConfirmation: false,
});

const ACTION_RANK: Record<PayeeAction, number> = { allow: 0, warn: 1, delay: 2, block: 3 };

/** What the risk is judged from: the public verdict's level and reasons, and partners' own evidence. */
export interface PayeeEvidence {
  level: 'no_record' | 'suspicious' | 'high_risk' | 'verified';
  officerConfirmed: boolean;
  officerCleared: boolean;
  /** Distinct banks sharing the account or proxy (accounts:share), each counted once. */
  banksReporting: number;
}

export interface PaymentContext {
  amount?: number;
  currency?: string;
  /** Whether the payee is new to the payer; unknown counts as new. */
  newPayee?: boolean;
}

export function payeeRisk(e: PayeeEvidence, policy: PayeePolicy): PayeeRisk {
  if (e.officerConfirmed) return 'very_high';
  // An officer's clearing, or a registered (protected) payee, settles what reports said.
  if (e.officerCleared || e.level === 'verified') return 'none';
  const b = e.banksReporting;
  if (b >= policy.banks.veryHigh || (e.level === 'high_risk' && b >= policy.banks.medium)) return 'very_high';
  if (e.level === 'high_risk' || b >= policy.banks.high) return 'high';
  if (e.level === 'suspicious' || b >= policy.banks.medium) return 'medium';
  return 'none';
}

export function isLarge(payment: PaymentContext, policy: PayeePolicy): boolean {
  if (payment.amount === undefined || payment.currency === undefined) return false;
  const threshold = policy.largeAmounts[payment.currency];
  return threshold !== undefined && payment.amount >= threshold;
}

export function payeeAction(risk: PayeeRisk, e: Pick<PayeeEvidence, 'officerConfirmed'>, payment: PaymentContext, policy: PayeePolicy): PayeeAction {
  if (risk === 'very_high' && e.officerConfirmed && policy.blockOnOfficerConfirmation) return 'block';
  const row = policy.actions[risk];
  let action: PayeeAction = payment.newPayee === false ? row.known : row.new;
  if (isLarge(payment, policy) && ACTION_RANK[row.large] > ACTION_RANK[action]) action = row.large;
  return action;
}

/** Checks a deployment's policy (SCAMGRAPH_PAYEE_POLICY); throws naming what is wrong. */
export function validPayeePolicy(raw: unknown, where: string): PayeePolicy {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('the payee policy is a JSON object');
  const given = raw as Partial<Record<keyof PayeePolicy, unknown>>;
  for (const key of Object.keys(given)) if (!Object.hasOwn(DEFAULT_PAYEE_POLICY, key)) fail(`unknown field “${key}” (fields: banks, largeAmounts, actions, blockOnOfficerConfirmation)`);
  const policy: PayeePolicy = structuredClone(DEFAULT_PAYEE_POLICY) as PayeePolicy;
  if (given.banks !== undefined) {
    const banks = given.banks as Record<string, unknown>;
    for (const k of ['medium', 'high', 'veryHigh'] as const) {
      const n = banks[k] ?? policy.banks[k];
      if (!Number.isInteger(n) || (n as number) < 1) fail(`banks.${k} is a whole number of banks, 1 or more`);
      policy.banks[k] = n as number;
    }
    if (!(policy.banks.medium <= policy.banks.high && policy.banks.high <= policy.banks.veryHigh)) fail('banks: medium ≤ high ≤ veryHigh');
  }
  if (given.largeAmounts !== undefined) {
    const amounts = given.largeAmounts as Record<string, unknown>;
    if (typeof amounts !== 'object' || amounts === null) fail('largeAmounts maps currencies to amounts');
    policy.largeAmounts = {};
    for (const [currency, amount] of Object.entries(amounts)) {
      if (!/^[A-Z]{3}$/.test(currency)) fail(`largeAmounts: “${currency}” is not an ISO 4217 code`);
      if (typeof amount !== 'number' || !(amount > 0)) fail(`largeAmounts.${currency} is an amount above 0`);
      policy.largeAmounts[currency] = amount as number;
    }
  }
  if (given.actions !== undefined) {
    const actions = given.actions as Record<string, Record<string, unknown>>;
    for (const risk of PAYEE_RISKS) {
      for (const when of ['known', 'new', 'large'] as const) {
        const action = actions[risk]?.[when] ?? policy.actions[risk][when];
        if (action === 'block') fail(`actions.${risk}.${when}: a block comes only from an officer's confirmation (blockOnOfficerConfirmation), never from reports alone`);
        if (!['allow', 'warn', 'delay'].includes(action as string)) fail(`actions.${risk}.${when} is allow, warn or delay`);
        policy.actions[risk][when] = action as TableAction;
      }
    }
    if (policy.actions.none.known !== 'allow' || policy.actions.none.new !== 'allow') fail('actions.none: a payee with no risk is allowed');
  }
  if (given.blockOnOfficerConfirmation !== undefined) {
    if (typeof given.blockOnOfficerConfirmation !== 'boolean') fail('blockOnOfficerConfirmation is true or false');
    policy.blockOnOfficerConfirmation = given.blockOnOfficerConfirmation as boolean;
  }
  return Object.freeze(policy);
}

/** Formatters by locale and currency: making one costs more than the rest of a payee check. */
const formatters = new Map<string, Intl.NumberFormat | null>();
const money = (amount: number, currency: string, locale: string): string => {
  const key = `${locale} ${currency}`;
  let format = formatters.get(key);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      format = null; // a well-formed code Intl does not know
    }
    if (formatters.size < 1000) formatters.set(key, format);
  }
  return format === null ? `${currency} ${amount}` : format.format(amount);
};

/**
 * What the bank shows on its confirm screen, in English and Traditional Chinese; null when the payment is
 * allowed with nothing to say. It names what the evidence is, never who reported it.
 */
export function customerMessage(risk: PayeeRisk, action: PayeeAction, facts: { reports: number; banksReporting: number; officerConfirmed: boolean }, payment: PaymentContext): Label | null {
  if (action === 'allow' && risk === 'none') return null;
  const why: Label = risk === 'none'
    ? { en: 'This is a large payment.', 'zh-Hant': '這是一筆大額付款。' }
    : facts.officerConfirmed
    ? { en: 'The police have confirmed that this payee is used in scams.', 'zh-Hant': '警方已確認此收款人涉及騙案。' }
    : facts.reports > 0 && facts.banksReporting > 0
      ? { en: 'This payee has been reported in scams, and banks have flagged it.', 'zh-Hant': '此收款人曾被舉報涉及騙案，亦已被銀行標示為可疑。' }
      : facts.reports > 0
        ? { en: 'This payee has been reported in scams.', 'zh-Hant': '此收款人曾被舉報涉及騙案。' }
        : { en: 'Banks have flagged this payee as suspicious.', 'zh-Hant': '此收款人已被銀行標示為可疑。' };
  const amount = payment.amount !== undefined && payment.currency !== undefined ? { en: ` of ${money(payment.amount, payment.currency, 'en-HK')}`, 'zh-Hant': `（${money(payment.amount, payment.currency, 'zh-HK')}）` } : { en: '', 'zh-Hant': '' };
  const what: Record<PayeeAction, Label> = {
    allow: { en: 'Check who you are paying before you go on.', 'zh-Hant': '繼續前，請核實收款人的身份。' },
    warn: {
      en: `Stop and think before you make this payment${amount.en}: scammers ask you to pay people you have never met, to "release" prizes, investments or parcels. If in doubt, do not pay and call 18222.`,
      'zh-Hant': `進行此付款${amount['zh-Hant']}前，請停一停、想一想：騙徒會要求你付款給素未謀面的人，以「解凍」獎品、投資或包裹。如有懷疑，切勿付款，並致電防騙易熱線18222。`,
    },
    delay: {
      en: `Your bank is holding this payment${amount.en} for now so that you can check first. You can still cancel it. If someone is rushing you, that is a warning sign: call 18222.`,
      'zh-Hant': `你的銀行暫時保留此付款${amount['zh-Hant']}，讓你先行核實。你仍可取消付款。如有人催促你付款，這是警號：請致電防騙易熱線18222。`,
    },
    block: {
      en: `Your bank has stopped this payment${amount.en} to protect you. If you believe this is a mistake, contact your bank.`,
      'zh-Hant': `為保障你，你的銀行已停止此付款${amount['zh-Hant']}。如你認為有誤，請聯絡你的銀行。`,
    },
  };
  return { en: `${why.en} ${what[action].en}`, 'zh-Hant': `${why['zh-Hant']}${what[action]['zh-Hant']}` };
}
