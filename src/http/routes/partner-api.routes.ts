import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { ORGANISATION_TYPES, PARTNER_SCOPES } from '../../modules/partners/partner.types.js';
import { PAYEE_TYPES, PAYMENT_CHANNELS, payeeIndicators, type PayeeCheck, type PayeeType } from '../../modules/partners/payee-check.js';
import { PAYEE_OUTCOMES, type PayeeOutcomes } from '../../modules/partners/payee-outcomes.js';
import { PAYEE_ACTIONS, PAYEE_RISKS } from '../../modules/partners/payee-policy.js';
import { CALL_INGRESS, SCREEN_DECISIONS, SENDER_STATUSES, type Screening } from '../../modules/partners/screening.js';
import { TELCO_OUTCOMES, type TelcoOutcomes } from '../../modules/partners/telco-outcomes.js';
import { SHARE_CONFIDENCES, SHARE_REASONS, type SharedAccounts } from '../../modules/partners/shared-accounts.js';
import { entryLabel } from '../../modules/verdicts/evidence-keys.js';
import { VERDICT_LEVELS } from '../../modules/verdicts/verdict.types.js';
import { INDICATOR_KINDS } from '../../modules/indicators/index.js';
import type { Subscription, Webhooks } from '../../modules/partners/webhooks.js';
import { Count } from './officer.schemas.js';
import { partnerOf, requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { refusals } from '../route-contract.js';
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
const ScreenReason = Type.Object({ code: Type.String(), covers: Type.Optional(Type.String()), count: Type.Optional(Type.Integer()), since: Type.Optional(Type.String()) });
const Screened = {
  decision: Type.Enum(SCREEN_DECISIONS),
  reasons: Type.Array(ScreenReason),
  label: Nullable(Label),
};
// Numbers as a switch holds them: E.164 with its +, or national digits; a caller ID that is not digits is refused.
const CallNumber = Patterned('^\\+?[0-9]{2,20}$', 'a number of 2 to 20 digits, E.164 with its + or national');
const PayeeRefused = Type.Object({
  reference: Type.Optional(Type.String()),
  error: Type.Object({ code: Type.String(), message: Type.String(), reason: Type.Optional(Type.String()) }),
});

/** What partners call with their API keys. */
export function partnerApiRoutes(
  gate: PartnerGate,
  deps: { payeeCheck: PayeeCheck; sharedAccounts: SharedAccounts; payeeOutcomes: PayeeOutcomes; webhooks: Webhooks; screening: Screening; telcoOutcomes: TelcoOutcomes; region: string },
): FastifyPluginAsyncTypebox {
  const manage = requirePartnerScope(gate, 'webhooks:manage');
  const WebhookSchema = Type.Object({
    id: Type.Integer(),
    url: Type.String(),
    kinds: Nullable(Type.Array(Type.String())),
    levels: Nullable(Type.Array(Type.String())),
    cursor: Type.Integer({ description: 'The verdict-log sequence number up to which events are in the outbox.' }),
    createdAt: Type.String({ format: 'date-time' }),
    disabledAt: Nullable(Type.String({ format: 'date-time' })),
  });
  const present = (w: Subscription) => ({ id: w.id, url: w.url, kinds: w.kinds, levels: w.levels, cursor: w.cursor, createdAt: w.createdAt.toISOString(), disabledAt: w.disabledAt?.toISOString() ?? null });
  const WebhookId = Type.Object({ id: Count(999_999_999_999) });
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

    app.post(
      '/partner/call-screen',
      {
        onRequest: requirePartnerScope(gate, 'calls:screen'),
        schema: {
          tags: ['partner'],
          summary: 'Screen a call as it arrives: allow, label, alert the callee, or block, with reasons',
          description:
            'block: an officer confirmed the caller, or a local protected line (a bank hotline) arrives from abroad; alert: public reports or a feed make the caller high risk, a call from abroad shows a local number (Hong Kong’s rule for +852 calls from overseas), or the caller shows the callee’s own number; ' +
            'label: the caller is suspicious or cannot exist. Public reports alone never block. Nothing of the call is kept. See docs/partners.md.',
          body: Type.Object(
            {
              caller: CallNumber,
              callee: Type.Optional(CallNumber),
              ingress: Type.Enum(CALL_INGRESS, { description: 'international: the call entered the network from abroad (an international gateway); domestic: from a local network, your own roaming subscribers included.' }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              ...Screened,
              caller: Type.Object({ canonical: Nullable(Type.String()), region: Nullable(Type.String()), level: Nullable(Type.Enum(VERDICT_LEVELS)) }),
            }),
          },
        },
      },
      async (request) => deps.screening.screenCall(request.body),
    );

    app.post(
      '/partner/sms-screen',
      {
        onRequest: requirePartnerScope(gate, 'calls:screen'),
        schema: {
          tags: ['partner'],
          summary: 'Screen an SMS: is the sender registered, a look-alike of a registered one, or a spoofed # sender; and the verdicts of the links and numbers in the text',
          description:
            'sender.status: registered (in force on the SMS Sender Registry, or a protected #NAME), suspended (a # ID whose registration is suspended or has ended: blocked), lookalike (a sender without # that imitates a registered one, with imitates), spoofed (a # sender not on the register: blocked; with imitates when it imitates one that is), unregistered, or unknown (no register loaded: a # proves nothing). ' +
            'The text is read for links and numbers and then forgotten: it is never stored or logged.',
          body: Type.Object({ senderId: Type.String({ minLength: 1, maxLength: 32 }), text: Type.Optional(Type.String({ maxLength: 5000 })) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              ...Screened,
              sender: Type.Object({ canonical: Type.String(), status: Type.Enum(SENDER_STATUSES), imitates: Type.Optional(Type.String()), level: Type.Enum(VERDICT_LEVELS) }),
              found: Type.Array(Type.Object({ kind: Type.Enum(INDICATOR_KINDS), canonical: Type.String(), level: Type.Enum(VERDICT_LEVELS) })),
            }),
            ...refusals(400),
          },
        },
      },
      async (request) => deps.screening.screenSms(request.body),
    );

    app.post(
      '/partner/telco-outcomes',
      {
        onRequest: requirePartnerScope(gate, 'outcomes:write'),
        schema: {
          tags: ['partner'],
          summary: 'Report what your network did about values: number suspended, SMS sender blocked, link blocked, takedown done (all or nothing; each kept once)',
          description: 'number_suspended is about a phone number, sender_blocked an SMS sender ID, link_blocked a link, domain or IP address, takedown_done a link, domain, social account, e-mail address or IP address; without kind, the first of these. Officers see them on the value’s page and per day on the dashboard.',
          body: Type.Object(
            {
              outcomes: Type.Array(
                Type.Object(
                  {
                    value: Type.String({ minLength: 1, maxLength: 4096 }),
                    kind: Type.Optional(Type.Enum(INDICATOR_KINDS)),
                    outcome: Type.Enum(TELCO_OUTCOMES),
                    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Your ticket or case number, shown to officers.' })),
                  },
                  { additionalProperties: false },
                ),
                { minItems: 1, maxItems: 1000 },
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ recorded: Type.Integer(), alreadyRecorded: Type.Integer() }) },
        },
      },
      async (request) => deps.telcoOutcomes.record(partnerOf(request).organisation, request.body.outcomes),
    );

    app.post(
      '/partner/webhooks',
      {
        onRequest: manage,
        schema: {
          tags: ['partner'],
          summary: 'Subscribe to verdict changes of some kinds and levels (Standard Webhooks; the signing secret is in this answer only)',
          description:
            'Each change of a verdict the filter selects is POSTed to url as {"type": "verdict.changed", "timestamp", "data": {seq, kind, value, entry, level, previousLevel}} with webhook-id, webhook-timestamp and webhook-signature (v1, HMAC-SHA256 of id.timestamp.body with the whsec_ secret). ' +
            'At least once: retried with exponential backoff for 24 h, then marked failed; a redelivery carries the same webhook-id. Without kinds or levels, every kind or level.',
          body: Type.Object(
            {
              url: Type.String({ minLength: 8, maxLength: 2000 }),
              kinds: Type.Optional(Type.Array(Type.Enum(INDICATOR_KINDS), { minItems: 1, uniqueItems: true })),
              levels: Type.Optional(Type.Array(Type.Enum(VERDICT_LEVELS), { minItems: 1, uniqueItems: true })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ webhook: WebhookSchema, secret: Type.String({ description: 'whsec_…: shown once; verify signatures with it.' }) }) },
        },
      },
      async (request) => {
        const made = await deps.webhooks.subscribe(partnerOf(request).organisation, request.body);
        return { webhook: present(made.subscription), secret: made.secret };
      },
    );

    app.get(
      '/partner/webhooks',
      { onRequest: manage, schema: { tags: ['partner'], summary: 'Your organisation’s webhooks', response: { 200: Type.Object({ webhooks: Type.Array(WebhookSchema) }) } } },
      async (request) => ({ webhooks: (await deps.webhooks.list(partnerOf(request).organisation.id)).map(present) }),
    );

    app.post(
      '/partner/webhooks/:id/replay',
      {
        onRequest: manage,
        schema: {
          tags: ['partner'],
          summary: 'Send again every selected event after a verdict-log sequence number (with their first ids), then carry on',
          params: WebhookId,
          body: Type.Object({ fromSeq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ cursor: Type.Integer() }), ...refusals(404) },
        },
      },
      async (request) => deps.webhooks.replay(partnerOf(request).organisation.id, Number(request.params.id), request.body.fromSeq),
    );

    app.post(
      '/partner/webhooks/:id/disable',
      {
        onRequest: manage,
        schema: { tags: ['partner'], summary: 'Stop a webhook (its undelivered events are dropped)', params: WebhookId, response: { 200: Type.Object({ disabled: Type.Boolean() }), ...refusals(404) } },
      },
      async (request) => {
        await deps.webhooks.disable(partnerOf(request).organisation, Number(request.params.id));
        return { disabled: true };
      },
    );

    app.get(
      '/partner/webhooks/:id/deliveries',
      {
        onRequest: manage,
        schema: {
          tags: ['partner'],
          summary: 'A webhook’s latest 100 deliveries: attempts, status, delivered or failed',
          params: WebhookId,
          response: {
            200: Type.Object({
              deliveries: Type.Array(
                Type.Object({
                  seq: Type.Integer(),
                  id: Type.String(),
                  attempts: Type.Integer(),
                  lastStatus: Nullable(Type.Integer()),
                  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
                  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
                  failedAt: Nullable(Type.String({ format: 'date-time' })),
                }),
              ),
            }),
            ...refusals(404),
          },
        },
      },
      async (request) => ({
        deliveries: (await deps.webhooks.deliveries(partnerOf(request).organisation.id, Number(request.params.id))).map((d) => ({
          seq: d.seq,
          id: d.event_id,
          attempts: d.attempts,
          lastStatus: d.last_status,
          nextAttemptAt: d.delivered_at === null && d.failed_at === null ? d.next_attempt_at.toISOString() : null,
          deliveredAt: d.delivered_at?.toISOString() ?? null,
          failedAt: d.failed_at?.toISOString() ?? null,
        })),
      }),
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
