import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { ORGANISATION_TYPES, PARTNER_SCOPES } from '../../modules/partners/partner.types.js';
import { PAYEE_TYPES, PAYMENT_CHANNELS, payeeIndicators, type PayeeCheck, type PayeeType } from '../../modules/partners/payee-check.js';
import { PAYEE_OUTCOMES, type PayeeOutcomes } from '../../modules/partners/payee-outcomes.js';
import { PAYEE_ACTIONS, PAYEE_RISKS } from '../../modules/partners/payee-policy.js';
import { SHARE_CONFIDENCES, SHARE_REASONS, type SharedAccounts } from '../../modules/partners/shared-accounts.js';
import { entryLabel } from '../../modules/verdicts/evidence-keys.js';
import { partnerOf, requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { Label, Nullable } from '../schemas.js';
import { Patterned } from '../validation-messages.js';

const Currency = Patterned('^[A-Z]{3}$', 'a three-letter ISO 4217 currency code in capitals, such as HKD');
const Amount = Type.Number({ exclusiveMinimum: 0, maximum: 1e12, description: 'In the currency’s major unit (HKD 1,234.50 is 1234.5).' });
const PayeeValue = Type.String({ minLength: 1, maxLength: 256 });
const Payee = Type.Object(
  {
    type: Type.Enum(PAYEE_TYPES, { description: 'fps_phone, fps_email, fps_id: an FPS proxy; hk_account: a Hong Kong account (bank code, branch, number); iban; upi: a UPI VPA; paynow_uen; wallet: a crypto address.' }),
    value: PayeeValue,
    amount: Type.Optional(Amount),
    currency: Type.Optional(Currency),
    channel: Type.Optional(Type.Enum(PAYMENT_CHANNELS)),
    newPayee: Type.Optional(Type.Boolean({ description: 'Whether the payer has paid this payee before (false) or not (true); not given counts as new.' })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Your reference for this line, echoed back.' })),
  },
  { additionalProperties: false },
);

const PayeeAnswer = Type.Object({
  checkId: Type.String({ description: 'Report what happened with POST /api/v1/partner/outcomes under this id.' }),
  reference: Type.Optional(Type.String()),
  payee: Type.Object({ type: Type.Enum(PAYEE_TYPES), canonical: Type.String() }),
  risk: Type.Enum(PAYEE_RISKS),
  action: Type.Enum(PAYEE_ACTIONS),
  reasons: Type.Array(Type.Object({ code: Type.String(), count: Type.Optional(Type.Integer()), covers: Type.Optional(Type.String()), since: Type.Optional(Type.String()) })),
  evidence: Type.Object({
    reports: Type.Integer({ description: 'Reporters behind the public evidence (exact).' }),
    banksReporting: Type.Integer({ description: 'Distinct banks sharing the payee as a suspected mule account.' }),
    lastSeen: Nullable(Type.String()),
    scamTypes: Type.Array(Type.String()),
  }),
  customerMessage: Nullable(Label),
});
const PayeeRefused = Type.Object({
  reference: Type.Optional(Type.String()),
  error: Type.Object({ code: Type.String(), message: Type.String(), reason: Type.Optional(Type.String()) }),
});

/** What partners call with their API keys. */
export function partnerApiRoutes(gate: PartnerGate, deps: { payeeCheck: PayeeCheck; sharedAccounts: SharedAccounts; payeeOutcomes: PayeeOutcomes; region: string }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/partner/me',
      {
        onRequest: requirePartnerScope(gate, null),
        schema: {
          tags: ['partner'],
          summary: 'The organisation and scopes of the calling key (for an integration to check its set-up)',
          response: {
            200: Type.Object({
              organisation: Type.Object({ name: Type.String(), type: Type.Enum(ORGANISATION_TYPES), requestsPerMinute: Type.Integer(), dailyQuota: Type.Integer() }),
              key: Type.Object({ id: Type.Integer(), scopes: Type.Array(Type.Enum(PARTNER_SCOPES)), expiresAt: Type.String({ format: 'date-time' }) }),
            }),
          },
        },
      },
      async (request) => {
        const me = partnerOf(request);
        const o = me.organisation;
        return {
          organisation: { name: o.name, type: o.type, requestsPerMinute: o.requestsPerMinute, dailyQuota: o.dailyQuota },
          key: { id: me.keyId, scopes: [...me.scopes], expiresAt: me.expiresAt.toISOString() },
        };
      },
    );

    app.post(
      '/partner/payee-check',
      {
        onRequest: requirePartnerScope(gate, 'payee:check'),
        schema: {
          tags: ['partner'],
          summary: 'Check payees before a transfer: risk, the action the policy gives, reasons and the message for the customer',
          description:
            'Up to 100 payees in one call, answered in order. A payee that is not valid gets an `error` in its place; the others are answered. ' +
            'Risk: none, medium, high, very_high; action: allow, warn, delay, block (block only for a payee an officer confirmed, and only where the deployment’s policy says so). See docs/partners.md.',
          body: Type.Object({ payees: Type.Array(Payee, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ results: Type.Array(Type.Union([PayeeAnswer, PayeeRefused])) }) },
        },
      },
      async (request) => ({ results: deps.payeeCheck.check(partnerOf(request).organisation.id, request.body.payees) }),
    );

    app.post(
      '/partner/outcomes',
      {
        onRequest: requirePartnerScope(gate, 'outcomes:write'),
        schema: {
          tags: ['partner'],
          summary: 'Report what happened after payee checks (all or nothing; each outcome of a check is kept once)',
          description:
            'warned_cancelled and delayed_cancelled: the customer did not pay (the amount counts as kept from scammers); warned_paid, delayed_released: they paid; ' +
            'reported_fraud: the payment was later reported as fraud; false_alarm: the payee was legitimate, which puts the value before the officers. Sending the same outcome again changes nothing.',
          body: Type.Object(
            {
              outcomes: Type.Array(
                Type.Object({ checkId: Type.String({ minLength: 1, maxLength: 4200 }), outcome: Type.Enum(PAYEE_OUTCOMES), amount: Type.Optional(Amount), currency: Type.Optional(Currency) }, { additionalProperties: false }),
                { minItems: 1, maxItems: 1000 },
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ recorded: Type.Integer(), alreadyRecorded: Type.Integer() }) },
        },
      },
      async (request) => deps.payeeOutcomes.record(partnerOf(request).organisation, request.body.outcomes),
    );

    const ShareItem = Type.Object(
      { type: Type.Enum(PAYEE_TYPES), value: PayeeValue, reason: Type.Enum(SHARE_REASONS), confidence: Type.Enum(SHARE_CONFIDENCES), amount: Type.Optional(Amount), currency: Type.Optional(Currency) },
      { additionalProperties: false },
    );
    const WithdrawItem = Type.Object({ type: Type.Enum(PAYEE_TYPES), value: PayeeValue }, { additionalProperties: false });

    app.post(
      '/partner/accounts',
      {
        onRequest: requirePartnerScope(gate, 'accounts:share'),
        schema: {
          tags: ['partner'],
          summary: 'Share suspected mule accounts with other banks, or withdraw shares (all or nothing)',
          description: 'Other banks see “reported by N banks” in the payee check; one bank counts once per account however often it shares it. Shares are not shown to the public until an officer confirms the account.',
          body: Type.Object({ share: Type.Optional(Type.Array(ShareItem, { maxItems: 1000 })), withdraw: Type.Optional(Type.Array(WithdrawItem, { maxItems: 1000 })) }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Type.Object({ shared: Type.Integer(), withdrawn: Type.Integer() }) },
        },
      },
      async (request) => {
        const entryOf = (item: { type: PayeeType; value: string }, i: number, list: string): { entry: string; kind: string } => {
          try {
            const [primary] = payeeIndicators(item.type, item.value, deps.region);
            return { entry: primary?.key as string, kind: primary?.kind as string };
          } catch (error) {
            if (error instanceof AppError) throw new AppError(error.code, `${list}[${i}]: ${error.message}`);
            throw error;
          }
        };
        for (const item of request.body.share ?? []) if ((item.amount === undefined) !== (item.currency === undefined)) throw new AppError('VALIDATION_FAILED', 'An amount needs its currency, and a currency its amount.');
        const share = (request.body.share ?? []).map((item, i) => ({ ...entryOf(item, i, 'share'), reason: item.reason, confidence: item.confidence, amount: item.amount === undefined ? null : String(item.amount), currency: item.currency ?? null }));
        const withdraw = (request.body.withdraw ?? []).map((item, i) => entryOf(item, i, 'withdraw').entry);
        return deps.sharedAccounts.change(partnerOf(request).organisation, share, withdraw);
      },
    );

    app.get(
      '/partner/accounts',
      {
        onRequest: requirePartnerScope(gate, 'accounts:share'),
        schema: {
          tags: ['partner'],
          summary: 'The accounts your organisation shares now (never another bank’s)',
          response: {
            200: Type.Object({
              accounts: Type.Array(Type.Object({ kind: Type.String(), canonical: Type.String(), reason: Type.String(), confidence: Type.String(), amount: Nullable(Type.String()), currency: Nullable(Type.String()), sharedAt: Type.String({ format: 'date-time' }) })),
            }),
          },
        },
      },
      async (request) => ({
        accounts: (await deps.sharedAccounts.list(partnerOf(request).organisation.id)).map((r) => ({
          kind: r.kind,
          canonical: entryLabel(r.entry),
          reason: r.reason,
          confidence: r.confidence,
          amount: r.amount,
          currency: r.currency,
          sharedAt: r.shared_at.toISOString(),
        })),
      }),
    );
  };
}
