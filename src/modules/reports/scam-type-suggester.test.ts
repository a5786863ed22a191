import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestScamType } from './scam-type-suggester.js';

const typeOf = (narrative: string) => suggestScamType(narrative, []).scamType;
const cuesOf = (narrative: string) => suggestScamType(narrative, []).signals.map((s) => s.cue);

test('an English narrative gets its type and the words that drove it', () => {
  const s = suggestScamType('Caller said he was from the police and my account was involved in money laundering', []);
  assert.equal(s.scamType, 'impersonating_officials');
  assert.deepEqual(s.signals.map((x) => x.cue).sort(), ['money laundering', 'police']);
  assert.ok(s.confidence > 0.5);
});

test('a Chinese narrative is read too, Traditional and Simplified', () => {
  assert.equal(typeOf('對方自稱速遞公司，說我的包裹未能派送，要我付款'), 'phishing_courier');
  assert.equal(typeOf('网上认识的男朋友说要结婚，叫我投资'), 'romance');
});

test('links and indicator kinds are signals: a courier-looking link, a crypto wallet', () => {
  const courier = suggestScamType('Please pay the fee', [{ kind: 'url', canonical: 'https://hkpost-redelivery.top/pay' }]);
  assert.equal(courier.scamType, 'phishing_courier');
  assert.deepEqual(courier.signals, [{ source: 'link', cue: 'hkpost' }, { source: 'link', cue: 'redelivery' }]);
  assert.equal(suggestScamType('they asked me to send money', [{ kind: 'crypto_wallet', canonical: '0xabc' }]).scamType, 'investment');
});

test('words inside other words do not count; nothing matched is "other" with no signals', () => {
  assert.equal(typeOf('The shopkeeper was kind'), 'other');
  const none = suggestScamType('Something strange happened', []);
  assert.deepEqual([none.scamType, none.confidence, none.signals], ['other', 0, []]);
});

test('a promised rate of return is investment: the teacher in a WhatsApp group (was "other")', () => {
  const s = suggestScamType('A "teacher" in a WhatsApp group promised 30% a month and asked me to transfer to an account.', []);
  assert.equal(s.scamType, 'investment');
  assert.ok(s.signals.some((x) => x.cue === '30% a month'), JSON.stringify(s.signals));
  assert.ok(s.signals.some((x) => x.cue === 'teacher'));
  assert.equal(typeOf('保證每日收益5%，叫我跟住操作'), 'investment');
  assert.equal(typeOf('佢話跟佢買股票每個月有三成回報'), 'investment');
});

test('one weak word is no evidence, and a word counts once, in its strongest reading', () => {
  assert.equal(typeOf('They asked for my card'), 'other');
  assert.deepEqual(cuesOf('Someone asked me for my credit card details after a failed delivery'), ['failed delivery']);
});

test('the words a type shares with others no longer decide it (each was suggested wrongly before)', () => {
  // Paying by card, or into a bank account, is not bank phishing.
  assert.equal(typeOf('Clicked the link in an SMS about a failed delivery and paid the fee by card'), 'phishing_courier');
  assert.equal(typeOf("Paid a deposit into the shop's bank account for a sofa I saw in a Facebook ad; never received it"), 'online_shopping');
  // Tickets bought from a marketplace seller are ticketing; a dating app is not romance when the chat was recorded to blackmail.
  assert.equal(typeOf('Bought two concert tickets from a seller on Carousell, he blocked me after I paid'), 'ticketing');
  assert.equal(typeOf('A woman on a dating app asked me to video chat naked and now threatens to send the recording to my friends'), 'sextortion');
  // A loan is not any request to borrow money: a "friend" or an online lover asking is something else.
  assert.equal(typeOf('認識咗半年嘅網友，一直唔肯視像，突然話生意出事要借錢。'), 'romance');
  // A safe account for an investigation is the officials' script, not a bank's.
  assert.equal(typeOf('自稱商業罪案調查科督察，要我把存款轉到「安全戶口」以便調查。'), 'impersonating_officials');
  assert.equal(typeOf('對方叫我喺一個黃金交易網站開戶，賺咗好多但提款時話要再付保證金。'), 'investment');
});

test('"other" has signals of its own: scams the taxonomy has no type for are not filed under a shared word', () => {
  const guess = suggestScamType('A caller said "Guess who I am?", pretended to be my nephew and asked to borrow money urgently.', []);
  assert.deepEqual([guess.scamType, guess.signals.map((s) => s.cue)], ['other', ['guess who', 'nephew']]);
  assert.equal(typeOf('Please call our customer service on 0800 123 456: you have WON a guaranteed £1000 cash prize!'), 'other');
  assert.equal(typeOf('收到訊息話我抽中大獎，要先付手續費先可以領獎。'), 'other');
  // A phone plan's "line rental" is not a flat.
  assert.notEqual(typeOf('Half price line rental and a free camera phone, call now'), 'rental');
});

test('the same narrative always gets the same answer (no state between calls)', () => {
  const text = '收到「滙豐」短訊話戶口暫停，要喺連結驗證。';
  assert.deepEqual(suggestScamType(text, []), suggestScamType(text, []));
  assert.equal(typeOf(text), 'phishing_bank');
});
