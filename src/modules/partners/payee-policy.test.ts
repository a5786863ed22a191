import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerMessage, DEFAULT_PAYEE_POLICY, PAYEE_RISKS, payeeAction, payeeRisk, validPayeePolicy, type PayeeAction, type PayeeRisk } from './payee-policy.js';

// The payee check's policy, case by case (issue 13, "Must show"): every risk × amount × new payee, the risk
// each kind of evidence gives, and the customer's message in both languages.

const SMALL = { amount: 500, currency: 'HKD' };
const LARGE = { amount: 10_000, currency: 'HKD' };
const AMOUNTS = { none: {}, small: SMALL, large: LARGE } as const;
const NEW = { new: true, known: false, unsaid: undefined } as const;

/** The default table: [risk][amount][newPayee] → action. Public reports never block; a large payment to a high-risk payee is delayed. */
const EXPECTED: Record<PayeeRisk, Record<keyof typeof AMOUNTS, Record<keyof typeof NEW, PayeeAction>>> = {
  none: { none: { new: 'allow', known: 'allow', unsaid: 'allow' }, small: { new: 'allow', known: 'allow', unsaid: 'allow' }, large: { new: 'allow', known: 'allow', unsaid: 'allow' } },
  medium: { none: { new: 'warn', known: 'warn', unsaid: 'warn' }, small: { new: 'warn', known: 'warn', unsaid: 'warn' }, large: { new: 'warn', known: 'warn', unsaid: 'warn' } },
  high: { none: { new: 'warn', known: 'warn', unsaid: 'warn' }, small: { new: 'warn', known: 'warn', unsaid: 'warn' }, large: { new: 'delay', known: 'delay', unsaid: 'delay' } },
  very_high: { none: { new: 'delay', known: 'delay', unsaid: 'delay' }, small: { new: 'delay', known: 'delay', unsaid: 'delay' }, large: { new: 'delay', known: 'delay', unsaid: 'delay' } },
};

describe('payee policy', () => {
  it('the default table, every risk × amount × new payee (36 cases), with and without an officer’s confirmation', () => {
    let cases = 0;
    for (const risk of PAYEE_RISKS) {
      for (const [amountName, amount] of Object.entries(AMOUNTS) as [keyof typeof AMOUNTS, object][]) {
        for (const [newName, newPayee] of Object.entries(NEW) as [keyof typeof NEW, boolean | undefined][]) {
          const payment = { ...amount, ...(newPayee === undefined ? {} : { newPayee }) };
          const expected = EXPECTED[risk][amountName][newName];
          assert.equal(payeeAction(risk, { officerConfirmed: false }, payment, DEFAULT_PAYEE_POLICY), expected, `${risk} ${amountName} ${newName}`);
          // By default an officer's confirmation does not block either: the customer decides.
          assert.equal(payeeAction(risk, { officerConfirmed: risk === 'very_high' }, payment, DEFAULT_PAYEE_POLICY), expected, `${risk} ${amountName} ${newName} (confirmed)`);
          // Where the deployment says so, it blocks: only then, and only for a confirmed payee.
          const blocking = validPayeePolicy({ blockOnOfficerConfirmation: true }, 'test');
          assert.equal(payeeAction(risk, { officerConfirmed: risk === 'very_high' }, payment, blocking), risk === 'very_high' ? 'block' : expected);
          assert.equal(payeeAction(risk, { officerConfirmed: false }, payment, blocking), expected, 'reports alone never block');
          cases += 1;
        }
      }
    }
    assert.equal(cases, 36);
  });

  it('a configured table: a new payee and a large amount each raise the action, the strictest wins', () => {
    const policy = validPayeePolicy({ actions: { medium: { known: 'allow', new: 'warn', large: 'delay' } }, largeAmounts: { HKD: 1000 } }, 'test');
    assert.equal(payeeAction('medium', { officerConfirmed: false }, { newPayee: false }, policy), 'allow');
    assert.equal(payeeAction('medium', { officerConfirmed: false }, { newPayee: true }, policy), 'warn');
    assert.equal(payeeAction('medium', { officerConfirmed: false }, {}, policy), 'warn', 'not said counts as new');
    assert.equal(payeeAction('medium', { officerConfirmed: false }, { newPayee: false, amount: 999.99, currency: 'HKD' }, policy), 'allow');
    assert.equal(payeeAction('medium', { officerConfirmed: false }, { newPayee: false, amount: 1000, currency: 'HKD' }, policy), 'delay');
    assert.equal(payeeAction('medium', { officerConfirmed: false }, { newPayee: false, amount: 1e9, currency: 'JPY' }, policy), 'allow', 'a currency without a threshold is never large');
  });

  it('risk from the evidence: reports, banks sharing the account, an officer’s decision, a registered payee', () => {
    const p = DEFAULT_PAYEE_POLICY;
    const e = (level: 'no_record' | 'suspicious' | 'high_risk' | 'verified', banksReporting = 0, extra: { officerConfirmed?: boolean; officerCleared?: boolean } = {}) =>
      payeeRisk({ level, banksReporting, officerConfirmed: extra.officerConfirmed ?? false, officerCleared: extra.officerCleared ?? false }, p);
    assert.equal(e('no_record'), 'none');
    assert.equal(e('suspicious'), 'medium');
    assert.equal(e('high_risk'), 'high');
    assert.equal(e('no_record', 1), 'medium');
    assert.equal(e('no_record', 2), 'high');
    assert.equal(e('no_record', 3), 'very_high');
    assert.equal(e('suspicious', 2), 'high');
    assert.equal(e('high_risk', 1), 'very_high', 'public reports and a bank agree');
    assert.equal(e('high_risk', 0, { officerConfirmed: true }), 'very_high');
    assert.equal(e('no_record', 3, { officerCleared: true }), 'none', 'an officer’s clearing settles it');
    assert.equal(e('verified', 3), 'none', 'a registered payee (a bank’s own FPS ID)');
  });

  it('the customer’s message in English and Traditional Chinese, for every risk and action it can meet', () => {
    for (const risk of PAYEE_RISKS) {
      for (const action of ['allow', 'warn', 'delay', 'block'] as const) {
        const message = customerMessage(risk, action, { reports: risk === 'none' ? 0 : 4, banksReporting: risk === 'very_high' ? 2 : 0, officerConfirmed: action === 'block' }, LARGE);
        if (risk === 'none' && action === 'allow') {
          assert.equal(message, null, 'nothing to say');
          continue;
        }
        assert.ok(message !== null);
        assert.match(message.en, /^[A-Z][^\u3400-\u9fff]+$/, `${risk} ${action}: English`);
        assert.match(message['zh-Hant'], /[\u4e00-\u9fff]/, `${risk} ${action}: Chinese`);
        assert.ok(!/[\u4e00-\u9fff]/.test(message.en));
        if (action !== 'allow') assert.match(message.en, /HK\$10,000\.00/, 'names the amount');
      }
    }
    const blocked = customerMessage('very_high', 'block', { reports: 0, banksReporting: 0, officerConfirmed: true }, {});
    assert.equal(blocked?.en, 'The police have confirmed that this payee is used in scams. Your bank has stopped this payment to protect you. If you believe this is a mistake, contact your bank.');
    assert.equal(blocked?.['zh-Hant'], '警方已確認此收款人涉及騙案。為保障你，你的銀行已停止此付款。如你認為有誤，請聯絡你的銀行。');
    const warned = customerMessage('medium', 'warn', { reports: 0, banksReporting: 1, officerConfirmed: false }, {});
    assert.match(warned?.en ?? '', /^Banks have flagged this payee as suspicious\. Stop and think/);
    assert.match(warned?.['zh-Hant'] ?? '', /^此收款人已被銀行標示為可疑。進行此付款前/);
  });

  it('a deployment’s policy is validated: no block from reports, no unknown field, ordered bank counts', () => {
    assert.throws(() => validPayeePolicy({ actions: { high: { large: 'block' } } }, 'p.json'), /p\.json: actions\.high\.large: a block comes only from an officer's confirmation/);
    assert.throws(() => validPayeePolicy({ blocks: true }, 'p.json'), /unknown field “blocks”/);
    assert.throws(() => validPayeePolicy({ banks: { medium: 3, high: 2 } }, 'p.json'), /medium ≤ high ≤ veryHigh/);
    assert.throws(() => validPayeePolicy({ largeAmounts: { hkd: 5 } }, 'p.json'), /not an ISO 4217 code/);
    assert.throws(() => validPayeePolicy({ actions: { none: { new: 'warn' } } }, 'p.json'), /a payee with no risk is allowed/);
    assert.throws(() => validPayeePolicy([], 'p.json'), /a JSON object/);
    assert.deepEqual(validPayeePolicy({}, 'p.json'), DEFAULT_PAYEE_POLICY);
  });
});
