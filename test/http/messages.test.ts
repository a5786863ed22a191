import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { SENDER_WAIT_MS } from '../../src/modules/messages/messages.service.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, bearer, countRows, freshAddress, login, PASSWORD } from '../helpers/http.js';

// Forwarded messages (issue 16): every intake form, the sender and links as evidence, one message stored
// once with its count, the 7726 exchange for a missing sender, and bad input refused with nothing stored.

interface Receipt {
  reference: string;
  statusToken: string;
  verdict: { level: string; highRisk: number; reading: { label: string; score: number; signals: { text: string }[] }; summary: string };
  sender: { kind: string; canonical: string } | null;
  values: { kind: string; canonical: string; verdict: { level: string } }[];
  awaitingSender: boolean;
  email?: { from: { address: string; name: string | null }; signals: string[]; attachments: { filename: string | null; mimeType: string }[]; forwardedAsAttachment: boolean };
}

const PARCEL = (link: string, name: string) => `HKPost: Dear ${name}, your parcel is held at our depot because of an unpaid fee of HK$12.50. Pay within 24 hours at ${link} or it will be returned.`;

const eml = (parts: { from: string; subject: string; html: string; text?: string; replyTo?: string; attachment?: boolean }): Buffer =>
  Buffer.from(
    [
      `From: ${parts.from}`,
      ...(parts.replyTo === undefined ? [] : [`Reply-To: ${parts.replyTo}`]),
      'To: someone@example.com',
      `Subject: ${parts.subject}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      parts.text ?? 'Your account is on hold. Sign in to restore it.',
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      parts.html,
      '--alt--',
      ...(parts.attachment === false
        ? []
        : ['--outer', 'Content-Type: application/pdf; name="statement.pdf"', 'Content-Disposition: attachment; filename="statement.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQKJcOkw7zDtsOfCg==']),
      '--outer--',
      '',
    ].join('\r\n'),
  );

for (const engine of ENGINES) {
  describe(`forwarded messages (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let gateway: string;
    let gatewayOrg: number;
    let bank: string;
    let telco: string;
    let officer: string;
    let analyst: string;

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      const added = await sg.partners.addOrganisation('cli', { name: 'Telco 7726', type: 'telco', scopes: ['messages:forward'] }, 'test gateway');
      gateway = added.key.token;
      gatewayOrg = added.organisation.id;
      bank = (await sg.partners.addOrganisation('cli', { name: 'Bank M', type: 'bank', scopes: ['payee:check'] }, 'test partner')).key.token;
      telco = (await sg.partners.addOrganisation('cli', { name: 'Telco F', type: 'telco', scopes: ['feeds:read'] }, 'test partner')).key.token;
      await sg.auth.addUser('msg-officer', PASSWORD, 'officer');
      await sg.auth.addUser('msg-analyst', PASSWORD, 'analyst');
      officer = await login(app, 'msg-officer');
      analyst = await login(app, 'msg-analyst');
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const forward = async (payload: object, remoteAddress = freshAddress()): Promise<Receipt> => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/messages', remoteAddress, payload });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Receipt;
    };
    const reportsOf = (value: string, kind?: Parameters<Scamgraph['verdicts']['check']>[1]) => sg.verdicts.check(value, kind, { exact: true }).verdict.reportCount;
    const messageRow = (textLike: string) => sg.db.selectFrom('messages').selectAll().where('text', 'like', `%${textLike}%`).execute();

    it('JSON: the sender and the links are evidence, a number in the text is not; the answer gives the verdict of the message and of each value', async () => {
      const text = PARCEL('https://hkpost-fee.top/pay?id=771', 'Mr Chan') + ' Questions? Call 2921 2222.';
      const receipt = await forward({ channel: 'sms', sender: '+852 6123 4501', text, lang: 'en' });
      assert.equal(receipt.sender?.canonical, '+85261234501');
      assert.deepEqual(receipt.values.map((v) => v.kind).sort(), ['phone', 'url']);
      assert.equal(receipt.awaitingSender, false);
      assert.match(receipt.reference, /^[A-Z0-9-]+$/);
      assert.equal(receipt.verdict.reading.label, 'scam', JSON.stringify(receipt.verdict));
      assert.ok(receipt.verdict.reading.signals.length > 0);
      assert.match(receipt.verdict.summary, /looks like a scam/);
      assert.equal(reportsOf('+85261234501'), 1);
      assert.equal(reportsOf('https://hkpost-fee.top/pay?id=771'), 1);
      // The bank's hotline quoted in a scam is kept for officers, never counted against it.
      assert.equal(reportsOf('+85229212222'), 0);
      const [row] = await messageRow('hkpost-fee.top/pay?id=771');
      assert.equal(row?.forwards, 1);
      assert.equal(row?.label, 'scam');
    });

    it('the same message forwarded by 50 people is one message with 50 independent reporters; a repeat by one of them counts once and is answered the same', async () => {
      const text = PARCEL('https://hkpost-redeliver.top/x', 'customer');
      const first = await forward({ channel: 'sms', sender: 'HKPost-HK', text });
      for (let i = 1; i < 50; i++) await forward({ channel: 'sms', sender: 'HKPost-HK', text: i % 2 === 0 ? text : `  ${text.replace('Dear customer', 'DEAR   CUSTOMER').replace('Pay within', 'Pay\nwithin')} ` });
      const rows = await messageRow('hkpost-redeliver.top');
      assert.equal(rows.length, 1, 'stored once, whatever the case and spacing of each copy');
      assert.equal(rows[0]?.forwards, 50);
      assert.equal(reportsOf('https://hkpost-redeliver.top/x'), 50);
      assert.equal(reportsOf('HKPost-HK', 'sms_sender'), 50);
      const address = freshAddress();
      const once = await forward({ channel: 'sms', sender: 'HKPost-HK', text }, address);
      const again = await forward({ channel: 'sms', sender: 'HKPost-HK', text }, address);
      assert.deepEqual(Object.keys(again).sort(), Object.keys(once).sort());
      assert.notEqual(again.reference, once.reference);
      assert.equal((await messageRow('hkpost-redeliver.top'))[0]?.forwards, 51);
      assert.equal(reportsOf('https://hkpost-redeliver.top/x'), 51);
      assert.equal(first.verdict.reading.label, 'scam');
    });

    it('poisoning (docs/poisoning.md): one address forwarding a message with three fresh client tokens leaves its link below high risk; three networks do not', async () => {
      const text = 'Your tax refund of HK$1,380 is ready. Claim it at https://ird-refund-poison.top/c today.';
      const address = freshAddress();
      for (let i = 0; i < 3; i++) await forward({ channel: 'sms', text, clientToken: `rotated-token-${i}-0123456789` }, address);
      assert.equal(sg.verdicts.check('https://ird-refund-poison.top/c').verdict.level, 'suspicious');
      const spread = 'Your tax refund of HK$1,380 is ready. Claim it at https://ird-refund-spread.top/c today.';
      for (let i = 0; i < 3; i++) await forward({ channel: 'sms', text: spread });
      assert.equal(sg.verdicts.check('https://ird-refund-spread.top/c').verdict.level, 'high_risk');
    });

    it('answers in the forwarder’s language', async () => {
      const receipt = await forward({ channel: 'whatsapp', sender: '+852 5123 4502', text: '【香港郵政】您的包裹因地址不完整未能派送，請於24小時內到 https://hkpost-hk.top/a 更新資料並繳付HK$15重新派送費。', lang: 'zh-Hant' });
      assert.match(receipt.verdict.summary, /\p{Script=Han}/u);
      assert.equal(receipt.sender?.kind, 'phone');
    });

    it('refuses bad input of each kind with a stable code and stores nothing', async () => {
      const before = await countRows(sg);
      const refused = async (payload: object, code: Parameters<typeof assertRefused>[1]) =>
        assertRefused(await app.inject({ method: 'POST', url: '/api/v1/messages', remoteAddress: freshAddress(), payload }), code);
      await refused({ channel: 'sms', text: '' }, 'VALIDATION_FAILED');
      await refused({ channel: 'fax', text: 'hello' }, 'VALIDATION_FAILED');
      await refused({ channel: 'sms', text: 'x'.repeat(5001) }, 'VALIDATION_FAILED');
      await refused({ channel: 'sms', text: 'hi', extra: 1 }, 'VALIDATION_FAILED');
      await refused({ channel: 'sms', text: 'hi', arrivedAt: 'yesterday' }, 'VALIDATION_FAILED');
      await refused({ channel: 'whatsapp', text: 'pay now', sender: 'not a number' }, 'INVALID_SENDER');
      await refused({ channel: 'email', text: 'pay now', sender: 'bank.example' }, 'INVALID_SENDER');
      await refused({ channel: 'sms', text: '   ' }, 'EMPTY_MESSAGE');
      const res = await app.inject({ method: 'POST', url: '/api/v1/messages', remoteAddress: freshAddress(), headers: { 'content-type': 'application/json' }, payload: '{"channel":"sms",' });
      assertRefused(res, 'MALFORMED_JSON');
      const sender = await app.inject({ method: 'POST', url: '/api/v1/messages', remoteAddress: freshAddress(), payload: { channel: 'whatsapp', text: 'pay now', sender: 'not a number' } });
      assert.equal((sender.json() as { error: { reason: string } }).error.reason, 'NOT_A_NUMBER', 'the value’s own reason rides along');
      assert.deepEqual(await countRows(sg), before);
    });

    it('an .eml with HTML and attachments: the real sender behind its display name, the HTML’s links, the attachments named and not stored', async () => {
      const raw = eml({
        from: '"HSBC Security <security@hsbc.com.hk>" <alerts@hsbc-secure-login.top>',
        replyTo: 'restore@mail-helpdesk.example',
        subject: 'Your account has been suspended',
        html: '<p>Dear customer,</p><p>We noticed unusual activity. <a href="https://hsbc-secure-login.top/verify?u=1">www.hsbc.com.hk</a> to restore access within 24 hours.</p><script>track()</script>',
      });
      const res = await app.inject({ method: 'POST', url: '/api/v1/messages/email?lang=en', remoteAddress: freshAddress(), headers: { 'content-type': 'message/rfc822' }, payload: raw });
      assert.equal(res.statusCode, 201, res.body);
      const receipt = res.json() as Receipt;
      assert.equal(receipt.sender?.canonical, 'alerts@hsbc-secure-login.top');
      assert.deepEqual(receipt.email?.from, { address: 'alerts@hsbc-secure-login.top', name: 'HSBC Security <security@hsbc.com.hk>' });
      assert.deepEqual(receipt.email?.signals, ['display_name_hides_sender', 'link_text_mismatch', 'reply_to_differs']);
      assert.deepEqual(receipt.email?.attachments.map((a) => [a.filename, a.mimeType]), [['statement.pdf', 'application/pdf']]);
      assert.equal(reportsOf('alerts@hsbc-secure-login.top'), 1);
      assert.equal(reportsOf('https://hsbc-secure-login.top/verify?u=1'), 1, 'the link of the HTML part');
      assert.equal(reportsOf('restore@mail-helpdesk.example'), 1, 'where replies would go');
      assert.equal(reportsOf('security@hsbc.com.hk'), 0, 'the address shown in a display name is the one it imitates');
      const [row] = await messageRow('unusual activity');
      assert.equal(row, undefined, 'the text part is the message text');
      const [stored] = await sg.db.selectFrom('messages').selectAll().where('subject', '=', 'Your account has been suspended').execute();
      assert.ok(stored !== undefined && !stored.text.includes('JVBERi0'), 'attachment content is never stored');
    });

    it('an .eml forwarded inline is read for the quoted sender; the forwarder’s own address is never evidence', async () => {
      const forwardBody = ['Is this real?', '', '---------- Forwarded message ---------', 'From: HSBC Security <alerts@hsbc-secure-verify.top>', 'Date: Mon, 30 Nov 2026 at 09:14', 'Subject: Your account is locked', 'To: <jane.victim@example.net>', '', 'Your account is locked. Verify at https://hsbc-secure-verify.top/login within 24 hours.'].join('\r\n');
      const raw = Buffer.from(['From: Jane Victim <jane.victim@example.net>', 'To: report@scamgraph.example', 'Subject: Fwd: Your account is locked', 'Reply-To: jane.other@example.net', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', forwardBody, ''].join('\r\n'));
      const res = await app.inject({ method: 'POST', url: '/api/v1/messages/email', remoteAddress: freshAddress(), headers: { 'content-type': 'message/rfc822' }, payload: raw });
      assert.equal(res.statusCode, 201, res.body);
      const receipt = res.json() as Receipt & { email: { forwardedInline: boolean } };
      assert.equal(receipt.email.forwardedInline, true);
      assert.equal(receipt.sender?.canonical, 'alerts@hsbc-secure-verify.top');
      assert.deepEqual(receipt.email.from, { address: 'alerts@hsbc-secure-verify.top', name: 'HSBC Security' });
      assert.equal(reportsOf('jane.victim@example.net'), 0, 'the forwarder is not the sender');
      assert.equal(reportsOf('jane.other@example.net'), 0, 'nor is their Reply-To');
      assert.equal(reportsOf('alerts@hsbc-secure-verify.top'), 1);
      const [stored] = await sg.db.selectFrom('messages').select(['subject', 'text']).where('text', 'like', '%hsbc-secure-verify.top/login%').execute();
      assert.equal(stored?.subject, 'Your account is locked');
      assert.ok(!stored.text.includes('Is this real?'), 'the forwarder’s own words are not the message');
      // Forwarded inline without a readable header: no sender at all, rather than the forwarder.
      const bare = Buffer.from(['From: Jane Victim <jane.victim@example.net>', 'Subject: Fwd: prize', '', 'You won HK$10,000! Claim at https://prize-inline.top/c'].join('\r\n'));
      const unnamed = (await app.inject({ method: 'POST', url: '/api/v1/messages/email', remoteAddress: freshAddress(), headers: { 'content-type': 'message/rfc822' }, payload: bare })).json() as Receipt & { email: { from: unknown } };
      assert.equal(unnamed.sender, null);
      assert.equal(unnamed.email.from, null);
      assert.equal(reportsOf('jane.victim@example.net'), 0);
      assert.equal(reportsOf('https://prize-inline.top/c'), 1);
    });

    it('keeps when the message arrived as the report’s time (JSON arrivedAt, an e-mail’s Date)', async () => {
      await forward({ channel: 'sms', text: 'Your parcel is held: pay HK$9 at https://arrived-json.top/p', arrivedAt: '2026-11-30T08:15:00Z' });
      const raw = Buffer.from(['From: Courier <notice@arrived-mail.top>', 'Date: Tue, 01 Dec 2026 10:00:00 +0800', 'Subject: Parcel held', '', 'Pay the fee at https://arrived-mail.top/p'].join('\r\n'));
      assert.equal((await app.inject({ method: 'POST', url: '/api/v1/messages/email', remoteAddress: freshAddress(), headers: { 'content-type': 'message/rfc822' }, payload: raw })).statusCode, 201);
      const when = async (like: string) => (await sg.db.selectFrom('reports').innerJoin('report_indicators', 'report_indicators.report_id', 'reports.id').select('reports.occurred_at').where('report_indicators.canonical', 'like', like).executeTakeFirstOrThrow()).occurred_at?.toISOString();
      assert.equal(await when('%arrived-json.top%'), '2026-11-30T08:15:00.000Z');
      assert.equal(await when('%arrived-mail.top/p%'), '2026-12-01T02:00:00.000Z');
      const res = await app.inject({ method: 'POST', url: '/api/v1/messages', remoteAddress: freshAddress(), payload: { channel: 'sms', text: 'x https://arrived-late.top', arrivedAt: '2999-01-01T00:00:00Z' } });
      assertRefused(res, 'VALIDATION_FAILED');
      assert.match((res.json() as { error: { message: string } }).error.message, /arrivedAt/);
    });

    it('an .eml forwarded as an attachment is read for the attached message', async () => {
      const inner = eml({ from: 'Tax Office <refund@ird-gov-hk.top>', subject: 'Tax refund HK$3,200', html: '<a href="https://ird-gov-hk.top/refund">Claim your refund</a>', attachment: false });
      const outer = Buffer.concat([
        Buffer.from(['From: me@example.net', 'To: report@scamgraph.example', 'Subject: Fwd: Tax refund', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="f"', '', '--f', 'Content-Type: text/plain', '', 'See attached, looks fake.', '--f', 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="scam.eml"', '', ''].join('\r\n')),
        inner,
        Buffer.from('\r\n--f--\r\n'),
      ]);
      const res = await app.inject({ method: 'POST', url: '/api/v1/messages/email', remoteAddress: freshAddress(), headers: { 'content-type': 'message/rfc822' }, payload: outer });
      assert.equal(res.statusCode, 201, res.body);
      const receipt = res.json() as Receipt;
      assert.equal(receipt.email?.forwardedAsAttachment, true);
      assert.equal(receipt.sender?.canonical, 'refund@ird-gov-hk.top');
      assert.equal(reportsOf('me@example.net'), 0, 'the forwarder is not the sender');
      assert.equal(reportsOf('https://ird-gov-hk.top/refund'), 1);
    });

    it('refuses a body that is not an e-mail, or has no From, and stores nothing', async () => {
      const before = await countRows(sg);
      const post = (payload: string | Buffer, type = 'message/rfc822') => app.inject({ method: 'POST', url: '/api/v1/messages/email', remoteAddress: freshAddress(), headers: { 'content-type': type }, payload });
      assertRefused(await post('just some text with no headers\r\n'), 'MALFORMED_EMAIL');
      assertRefused(await post('Subject: no sender\r\n\r\nPay now at https://x.example/'), 'MALFORMED_EMAIL');
      assertRefused(await post('From: a@b.example\r\nSubject: \r\n\r\n'), 'EMPTY_MESSAGE');
      assert.equal((await post('From: a@b.example\r\n\r\nhi', 'text/plain')).statusCode, 415);
      assert.equal((await post(Buffer.alloc(2 * 1024 * 1024 + 1, 65))).statusCode, 413);
      assert.deepEqual(await countRows(sg), before);
    });

    it('SMS gateway, form-encoded (Twilio’s From/To/Body): a forward without a sender asks for it; the next text names it and completes the report', async () => {
      const forwarder = '+852 9123 4503';
      const form = (body: string) =>
        app.inject({ method: 'POST', url: '/api/v1/partner/messages/sms', headers: { ...bearer(gateway), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ From: forwarder, To: '7726', Body: body, MessageSid: 'SM123', NumMedia: '0' }).toString() });
      const text = 'Your Octopus card reward of 1,200 points expires today. Redeem at https://octopus-points.top/r now.';
      const asked = await form(text);
      assert.equal(asked.statusCode, 200, asked.body);
      assert.match(asked.headers['content-type'] as string, /application\/xml/);
      assert.match(asked.body, /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>Thank you\. Now reply with the number or name that sent you this message\.<\/Message><\/Response>$/);
      assert.equal(reportsOf('https://octopus-points.top/r'), 1, 'stored at once: nothing waits unstored');
      const thanked = await form('+852 6123 4504');
      assert.match(thanked.body, /<Message>Thank you, ref [A-Z0-9-]+\./);
      assert.equal(reportsOf('+85261234504'), 1, 'the sender named afterwards is evidence');
      const [forwardRow] = await sg.db.selectFrom('message_forwards').innerJoin('messages', 'messages.id', 'message_forwards.message_id').select(['sender_key', 'awaiting_sender_until']).where('messages.text', 'like', '%octopus-points%').execute();
      assert.equal(forwardRow?.awaiting_sender_until, null);
      assert.match(forwardRow?.sender_key ?? '', /85261234504/);
      // The wait is over: another number is a message of its own, not a second sender.
      await form('+852 6123 4505');
      assert.equal(reportsOf('+85261234505'), 0);
    });

    it('SMS gateway, JSON: with the sender given it is stored at once; a wait ends after an hour or at the next forward', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/partner/messages/sms', headers: bearer(gateway), payload: { from: '+85291234506', to: '7726', text: '您的積分即將到期，請即登入 https://points-hk.top 兌換。', sender: '#HKT-Club' } });
      assert.equal(res.statusCode, 200, res.body);
      const answer = res.json() as { reply: string; awaitingSender: boolean; reference: string };
      assert.equal(answer.awaitingSender, false);
      assert.match(answer.reply, /多謝舉報/);
      assert.equal(reportsOf('#HKT-Club', 'sms_sender'), 1);

      const t0 = new Date();
      const from = '+85291234507';
      await sg.messages.forwardSms({ from, text: 'Final notice: your parcel fee HK$9 is unpaid. https://parcel-a.top' }, gatewayOrg, 'en', t0);
      await sg.messages.forwardSms({ from, text: 'Your e-toll account is overdue, pay HK$35 at https://etoll-b.top' }, gatewayOrg, 'en', new Date(t0.getTime() + 1000));
      const named = await sg.messages.forwardSms({ from, text: 'HKeToll-SMS' }, gatewayOrg, 'en', new Date(t0.getTime() + 2000));
      assert.equal(named.awaitingSender, false);
      const senders = await sg.db.selectFrom('message_forwards').innerJoin('messages', 'messages.id', 'message_forwards.message_id').select(['messages.text', 'sender']).where('messages.text', 'like', '%-_.top%').where((eb) => eb.or([eb('messages.text', 'like', '%parcel-a%'), eb('messages.text', 'like', '%etoll-b%')])).orderBy('messages.id').execute();
      assert.deepEqual(senders.map((s) => s.sender), [null, 'HKeToll-SMS'], 'the sender goes to the latest forward only');

      const late = '+85291234508';
      await sg.messages.forwardSms({ from: late, text: 'Claim your HK$500 voucher: https://voucher-c.top' }, gatewayOrg, 'en', t0);
      const tooLate = await sg.messages.forwardSms({ from: late, text: '+852 6123 4509' }, gatewayOrg, 'en', new Date(t0.getTime() + SENDER_WAIT_MS + 1));
      assert.equal(tooLate.awaitingSender, true, 'after the wait a number is a new forward');
      assert.equal(reportsOf('+85261234509'), 0);
    });

    it('SMS gateway: a repeat forward ends the wait of an older one, so a sender texted afterwards cannot land on it', async () => {
      const from = '+85291234511';
      const t0 = new Date();
      const textB = 'Your HKeToll balance is overdue: pay HK$48 at https://etoll-repeat-b.top today.';
      await sg.messages.forwardSms({ from, text: textB }, gatewayOrg, 'en', t0);
      await sg.messages.forwardSms({ from, text: 'HKeToll-B' }, gatewayOrg, 'en', new Date(t0.getTime() + 1000));
      await sg.messages.forwardSms({ from, text: 'Claim your HK$200 supermarket voucher at https://voucher-repeat-a.top now.' }, gatewayOrg, 'en', new Date(t0.getTime() + 2000));
      const again = await sg.messages.forwardSms({ from, text: textB }, gatewayOrg, 'en', new Date(t0.getTime() + 3000));
      assert.equal(again.awaitingSender, false, 'B already has its sender: nothing is asked');
      const named = await sg.messages.forwardSms({ from, text: 'VOUCHER-HK' }, gatewayOrg, 'en', new Date(t0.getTime() + 4000));
      assert.equal(named.awaitingSender, true, 'no forward waits any more: the text is a message of its own');
      const senders = await sg.db.selectFrom('message_forwards').innerJoin('messages', 'messages.id', 'message_forwards.message_id').select(['messages.text', 'sender']).where((eb) => eb.or([eb('messages.text', 'like', '%etoll-repeat-b%'), eb('messages.text', 'like', '%voucher-repeat-a%')])).orderBy('messages.id').execute();
      assert.deepEqual(senders.map((r) => r.sender), ['HKeToll-B', null], 'A never gets a sender after B was forwarded again');
      assert.equal(reportsOf('VOUCHER-HK', 'sms_sender'), 0);
    });

    it('SMS gateway refuses calls without a key (401), with a key lacking messages:forward (403), and bad bodies (400), storing nothing', async () => {
      const before = await countRows(sg);
      const url = '/api/v1/partner/messages/sms';
      assertRefused(await app.inject({ method: 'POST', url, payload: { from: '+85291234510', text: 'x' } }), 'UNAUTHENTICATED');
      assertRefused(await app.inject({ method: 'POST', url, headers: bearer(bank), payload: { from: '+85291234510', text: 'x' } }), 'FORBIDDEN');
      assertRefused(await app.inject({ method: 'POST', url, headers: bearer(gateway), payload: { from: 'nobody', text: 'hello there' } }), 'VALIDATION_FAILED');
      assertRefused(await app.inject({ method: 'POST', url, headers: bearer(gateway), payload: { from: '+85291234510' } }), 'VALIDATION_FAILED');
      assertRefused(await app.inject({ method: 'POST', url, headers: { ...bearer(gateway), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'From=%2B85291234510&To=7726' }), 'VALIDATION_FAILED');
      assertRefused(await app.inject({ method: 'POST', url, headers: bearer(gateway), payload: { from: '+85291234510', text: 'x', sender: 'not a sender id at all' } }), 'INVALID_SENDER');
      assert.deepEqual(await countRows(sg), before);
    });

    it('messages of one template with different links and names form one campaign; another text stays apart', async () => {
      const a = await forward({ channel: 'sms', sender: '+852 6123 4511', text: PARCEL('https://depot-fee-1.top/p', 'Ms Wong') });
      const b = await forward({ channel: 'sms', sender: '+852 6123 4512', text: PARCEL('https://depot-fee-2.top/q?z=9', 'Mr Lee') });
      const c = await forward({ channel: 'sms', sender: '+852 6123 4513', text: 'Hi mum, my phone broke, this is my new number. Can you send me HK$2,000 for the repair today?' });
      await sg.campaignTracker.catchUp();
      const rows = await sg.db.selectFrom('messages').select(['text', 'campaign_id']).where((eb) => eb.or([eb('text', 'like', '%depot-fee-%'), eb('text', 'like', 'Hi mum%')])).orderBy('id').execute();
      assert.equal(rows.length, 3);
      assert.equal(rows[0]?.campaign_id, rows[1]?.campaign_id);
      assert.notEqual(rows[2]?.campaign_id, rows[0]?.campaign_id);
      assert.ok([a, b, c].every((r) => r.reference.length > 0));
    });

    it('officers see campaigns with their volume per hour, senders and links, and share a template with telcos, audited', async () => {
      for (let i = 0; i < 3; i++) await forward({ channel: 'sms', sender: `+852 6123 46${10 + i}`, text: PARCEL(`https://depot-fee-${10 + i}.top/p`, `Mr ${['Ho', 'Ng', 'Yip'][i]}`) });
      await sg.campaignTracker.catchUp();
      const list = await app.inject({ url: '/api/v1/officer/campaigns', headers: bearer(analyst) });
      assert.equal(list.statusCode, 200, list.body);
      const campaigns = (list.json() as { campaigns: { id: number; template: string; forwards: number; messages: number; senders: number }[] }).campaigns;
      const parcel = campaigns.find((c) => c.template.includes('parcel is held at our depot'));
      assert.ok(parcel !== undefined, JSON.stringify(campaigns));
      assert.match(parcel.template, /⟨link⟩/);
      assert.ok(parcel.messages >= 6 && parcel.forwards >= 56 && parcel.senders >= 6, JSON.stringify(parcel));
      const detail = (await app.inject({ url: `/api/v1/officer/campaigns/${parcel.id}`, headers: bearer(analyst) })).json() as {
        perHour: { hour: string; forwards: number }[];
        senderList: { sender: string }[];
        links: { canonical: string; forwards: number }[];
        texts: { text: string }[];
      };
      assert.equal(detail.perHour.reduce((n, h) => n + h.forwards, 0), parcel.forwards);
      assert.match(detail.perHour[0]?.hour ?? '', /^\d{4}-\d\d-\d\dT\d\d$/);
      assert.ok(detail.senderList.some((s) => s.sender === 'HKPost-HK'));
      assert.equal(detail.links.find((l) => l.canonical === 'https://hkpost-redeliver.top/x')?.forwards, 51);

      const share = (token: string, action = 'share') => app.inject({ method: 'POST', url: `/api/v1/officer/campaigns/${parcel.id}/${action}`, headers: bearer(token), payload: { reason: 'parcel-fee template, 50+ forwards' } });
      assertRefused(await share(analyst), 'FORBIDDEN');
      assert.deepEqual((await share(officer)).json(), { changed: true });
      assert.deepEqual((await share(officer)).json(), { changed: false }, 'shared already: nothing written');
      const audit = await sg.db.selectFrom('audit_log').select(['action', 'actor']).where('subject', '=', `campaign:${parcel.id}`).execute();
      assert.deepEqual(audit, [{ action: 'campaign.share', actor: 'user:msg-officer' }]);

      const feed = async (since?: number) => {
        const res = await app.inject({ url: `/api/v1/partner/feeds/sms-templates${since === undefined ? '' : `?since=${since}`}`, headers: bearer(telco) });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { cursor: number; placeholders: Record<string, string>; templates: { campaignId: number; template: string; withdrawn: boolean }[] };
      };
      const first = await feed();
      assert.deepEqual(first.templates.map((t) => [t.campaignId, t.withdrawn]), [[parcel.id, false]]);
      assert.equal(first.templates[0]?.template, parcel.template);
      assert.match(first.placeholders['⟨link⟩'] ?? '', /any link/);
      assert.deepEqual((await share(officer, 'withdraw')).json(), { changed: true });
      const next = await feed(first.cursor);
      assert.deepEqual(next.templates.map((t) => [t.campaignId, t.withdrawn]), [[parcel.id, true]]);
      assert.deepEqual((await feed()).templates, []);
    });

    it('campaign routes refuse anonymous calls (401), and the template feed a key without feeds:read (403)', async () => {
      for (const url of ['/api/v1/officer/campaigns', '/api/v1/officer/campaigns/1', '/api/v1/partner/feeds/sms-templates']) assertRefused(await app.inject({ url }), 'UNAUTHENTICATED');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/campaigns/1/share', payload: { reason: 'because' } }), 'UNAUTHENTICATED');
      assertRefused(await app.inject({ url: '/api/v1/partner/feeds/sms-templates', headers: bearer(bank) }), 'FORBIDDEN');
      assertRefused(await app.inject({ url: '/api/v1/officer/campaigns/999999', headers: bearer(analyst) }), 'NOT_FOUND');
    });

    it('withdrawing the first message of a shared campaign: telcos see the old name withdrawn and the campaign shared under its next message; new forwards join it', async () => {
      const toll = (link: string, name: string) => `HKeToll: ${name}, your toll of HK$38.50 is overdue since 30 Nov. Settle at ${link} within 48 hours to avoid a HK$500 surcharge.`;
      const first = await forward({ channel: 'sms', text: toll('https://toll-due-1.top/s', 'Ms Chow') });
      await forward({ channel: 'sms', text: toll('https://toll-due-2.top/s', 'Mr Kwan') });
      await sg.campaignTracker.catchUp();
      const ids = async () => (await sg.db.selectFrom('messages').select(['id', 'campaign_id']).where('text', 'like', 'HKeToll:%').orderBy('id').execute());
      const [one, two] = await ids();
      assert.equal(one?.campaign_id, one?.id);
      assert.equal(two?.campaign_id, one?.id);
      await sg.campaigns.share('user:msg-officer', one!.id, 'toll template');
      const cursor = Math.max(...(await sg.campaigns.sharedTemplates(0)).map((t) => t.seq));

      const withdrawn = await app.inject({ method: 'POST', url: `/api/v1/reports/status/${first.reference}/withdraw`, remoteAddress: freshAddress(), headers: { 'x-status-token': first.statusToken }, payload: { confirm: true } });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      const changes = await sg.campaigns.sharedTemplates(cursor);
      assert.deepEqual(changes.map((c) => [c.campaignId, c.withdrawnAt !== null]), [[one!.id, true], [two!.id, false]]);
      assert.equal(changes[0]?.template, '', 'nothing of the erased message stays in its withdrawn share');
      assert.match(changes[1]?.template ?? '', /your toll of/);

      // The campaign index named the campaign after the erased message: a new forward regroups it under its next one.
      await forward({ channel: 'sms', text: toll('https://toll-due-3.top/s', 'Ms Lau') });
      await sg.campaignTracker.catchUp();
      const after = await ids();
      assert.deepEqual(after.map((r) => r.campaign_id), [two!.id, two!.id]);
    });
  });
}

// docs/poisoning.md, "forwarded messages": through a partner's SMS gateway the forwarder's number is a
// source only under the `carrier` signal, and then as that partner's number.
for (const engine of ENGINES) {
  describe(`the SMS gateway under the independence rule (${engine})`, () => {
    const three = async (sg: Scamgraph, link: string): Promise<string> => {
      const partner = (await sg.partners.addOrganisation('cli', { name: 'Telco Rule', type: 'telco', scopes: ['messages:forward'] }, 'test gateway')).organisation.id;
      for (let i = 0; i < 3; i++) await sg.messages.forwardSms({ from: `+85291234${520 + i}`, text: `Your account is locked, verify at ${link} now`, sender: 'Bank-Alert' }, partner, 'en');
      return sg.verdicts.check(link).verdict.level;
    };

    it('by default three numbers are three reporters: the link is high risk', async () => {
      const sg = await openTestScamgraph(engine);
      try {
        assert.deepEqual(sg.config.independence.signals, ['network', 'carrier']);
        assert.equal(await three(sg, 'https://gateway-default.top/v'), 'high_risk');
      } finally {
        await sg.close();
      }
    });

    it('without `carrier` (SCAMGRAPH_INDEPENDENT_BY=network) the gateway’s numbers are one source: the link stays suspicious', async () => {
      const sg = await openTestScamgraph(engine, { loadIndex: true }, { independence: { signals: ['network'], ipv4Prefix: 24, ipv6Prefix: 48 } });
      try {
        assert.equal(await three(sg, 'https://gateway-network-only.top/v'), 'suspicious');
      } finally {
        await sg.close();
      }
    });
  });
}
