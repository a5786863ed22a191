// Writes test/data/campaigns.labelled.jsonl, the labelled set the campaign grouping is measured on:
// `node --import tsx scripts/make-campaign-set.ts`. Deterministic: a seeded PRNG and fixed lists, so running it
// again gives the identical file (test/data/campaigns.test.ts checks that). What it holds is described in
// test/data/README.md. The file is mostly data (templates, chat lines): hence its length, past the ~300 lines.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Where the set is written, from the repository root. */
export const CAMPAIGN_SET_PATH = 'test/data/campaigns.labelled.jsonl';
const SEED = 0x5ca3_2026;

export interface LabelledMessage {
  id: string;
  campaign: string | null;
  lang: 'en' | 'zh-Hant';
  text: string;
}

// mulberry32: small, fast and the same everywhere.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Campaign {
  id: string;
  lang: 'en' | 'zh-Hant';
  /** Words the links are built from (brand look-alikes and theme words). */
  brands: string[];
  /** `[a|b]` picks one (mostly the first: the wording most copies share), `{slot}` takes a value. */
  text: string;
}

const EN: Campaign[] = [
  { id: 'en-parcel-hkpost', lang: 'en', brands: ['hkpost', 'hongkongpost', 'hk-post', 'hkp-redeliver'], text: 'HKPost: Your parcel {ref} is on hold at our [warehouse|depot] due to an incomplete address. [Please update|Update|Kindly update] your details and pay the HK${fee} redelivery fee within 24 hours at {link} or it will be returned to the sender.' },
  { id: 'en-parcel-sf', lang: 'en', brands: ['sf-express', 'sfexpress', 'sf-hk', 'sfdelivery'], text: '[SF Express|SF-Express]: we [attempted|tried] to deliver your package on {date} but no one was home. To reschedule [delivery|the delivery], confirm your address at {link}. A [small |]service fee of HK${fee} applies.' },
  { id: 'en-parcel-customs', lang: 'en', brands: ['customs-hk', 'hkcustoms', 'cedhk', 'hk-duty'], text: 'Hong Kong Customs notice: a shipment addressed to you ({ref}) contains items subject to import duty of HK${fee}. [Settle|Pay] the duty at {link} before {date} to avoid [the parcel being destroyed|disposal of the goods].' },
  { id: 'en-bank-card', lang: 'en', brands: ['hsbc', 'hsbc-hk', 'hsbcsecure', 'hk-hsbc'], text: '[HSBC|HSBC HK]: Your credit card ending {card} has been temporarily [suspended|frozen] due to unusual activity. Verify your identity at {link} to restore access.[ Ignore this message and your card will be cancelled.|]' },
  { id: 'en-bank-declined', lang: 'en', brands: ['bochk', 'boc-hk', 'bochk-secure'], text: '[BOCHK|Bank of China HK]: A [payment|transaction] of HK${big} on your card was declined. If you did not attempt this payment, verify your identity at {link} to restore access.' },
  { id: 'en-bank-login', lang: 'en', brands: ['secure-login', 'ebank-verify'], text: 'Dear {bank} customer, we detected a login to your online banking from a new device on {date} at {time}. If this was not you, [call|contact] our security team on {phone} immediately.' },
  { id: 'en-card-points', lang: 'en', brands: ['points-redeem', 'rewards-hk', 'cardpoints'], text: 'Your {bank} credit card reward points ({points} pts) will expire on {date}. Redeem them for cash rebates or gifts [now |]at {link}' },
  { id: 'en-hketoll', lang: 'en', brands: ['hketoll', 'hk-etoll', 'etoll-pay', 'hketolls'], text: 'HKeToll: Our records show an unpaid toll of HK${fee} for vehicle {plate} on {date}. Pay [now|today] at {link} to avoid a surcharge of HK${fee}.' },
  { id: 'en-hketoll-reminder', lang: 'en', brands: ['hketoll', 'etoll-hk', 'hketoll-pay'], text: 'HKeToll reminder: vehicle {plate} has an outstanding tunnel fee of HK${fee}. [Settle|Clear] it at {link} within 24 hours to avoid a penalty[ notice|].' },
  { id: 'en-traffic-fine', lang: 'en', brands: ['td-gov', 'hktd', 'transport-dept', 'td-fines'], text: 'Transport Department: You have an outstanding [traffic fine|fixed penalty] ({ref}). [Failure|Failing] to pay by {date} will result in suspension of your driving licence. Details: {link}' },
  { id: 'en-tax-refund', lang: 'en', brands: ['ird-gov', 'irdhk', 'taxrefund-hk', 'gov-ird'], text: 'Inland Revenue Department: You are eligible for a tax refund of HK${big}. To receive it, submit your bank details at {link} within 3 [days|working days].' },
  { id: 'en-police', lang: 'en', brands: [], text: 'This is Inspector {surname} of the Hong Kong Police[ Force|] Commercial Crime Bureau. Your identity card was used to open bank accounts linked to money laundering. Call me back [at|on] {phone} [today|immediately] or a warrant will be issued for your arrest.' },
  { id: 'en-immigration', lang: 'en', brands: [], text: 'Immigration Department: Your HKID [record has an issue|application has a problem] that must be resolved by {date}. Press 1 or call {phone} to speak with an officer, otherwise your identity card will be invalidated.' },
  { id: 'en-invest-group', lang: 'en', brands: ['stockclub', 'hk-invest', 'wealth-group'], text: "Hi {name}, I'm {name2}, assistant to Professor {surname}. Our free WhatsApp stock group shares [daily |]picks that gained {pct}% last month. Join here: {link} [— places are limited!|]" },
  { id: 'en-invest-crypto', lang: 'en', brands: [], text: "Hello! I've been earning {big} USDT a week with a quant trading platform my [mentor|uncle] introduced. It's totally safe and you can withdraw anytime. Want me to show you how? Add me on WhatsApp {phone}" },
  { id: 'en-task-job', lang: 'en', brands: [], text: "Hello, I'm {name} from {agency} Recruitment. We are hiring part-time online staff: like and review products from home, 30 minutes a day, earn HK${fee}-{big} daily. [Contact|Message me] via WhatsApp {wa}" },
  { id: 'en-task-job2', lang: 'en', brands: ['shop-tasks', 'boost-rating', 'easyjob'], text: 'Part-time job: help merchants boost their ratings on online shops. Simple tasks on your phone, [paid|commission paid] instantly after each task. Age 20+, no experience needed. Apply: {link}' },
  { id: 'en-loan', lang: 'en', brands: [], text: '{lender} Finance: Approved! You can get a loan of up to HK${big} with no credit check, low interest from {pct}%, cash in 1 hour. [Reply or call|Call] {phone}' },
  { id: 'en-loan2', lang: 'en', brands: ['quickloan', 'loan-now', 'cash-easy'], text: 'Need money urgently? Borrow HK${big} today, no documents, no TU report. Flexible repayment over 12 months. Apply online: {link}' },
  { id: 'en-prize', lang: 'en', brands: ['lucky-draw', 'prize-claim', 'anniversary-gift'], text: 'Congratulations! Your mobile number was selected in the {brand} anniversary lucky draw and [won|has won] an iPhone 16 Pro. Claim your prize at {link} before {date}; only a HK${fee} delivery fee is [needed|required].' },
  { id: 'en-code-ask', lang: 'en', brands: [], text: "Hi, this is {name} from the {club} group. I accidentally sent my verification code to your number, could you send it back to me? It's a 6-digit code, thanks so much!" },
  { id: 'en-account-locked', lang: 'en', brands: ['appleid', 'icloud-verify', 'apple-support'], text: 'Your Apple ID has been locked for security reasons. To unlock it, verify your information within 24 hours at {link}. Ref: {ref}' },
  { id: 'en-romance', lang: 'en', brands: [], text: "Hi, is this {name}? I'm {name2}, we met at the wine tasting in [Central|Wan Chai] last month. I've just moved back from London and don't know many people here. Would love to chat!" },
  { id: 'en-romance-wrong-number', lang: 'en', brands: [], text: 'Sorry to bother you, I think I [got|have] the wrong number. I was looking for my friend {name}. You seem nice though, where are you from?' },
];

const ZH: Campaign[] = [
  { id: 'zh-parcel-hkpost', lang: 'zh-Hant', brands: ['hkpost', 'hongkongpost', 'hk-post'], text: '【香港郵政】您的郵件{ref}因地址[不全|不完整]未能派送，請於{date}前登入 {link} 更新地址並繳付HK${fee}重新派送費，逾期將退回寄件人。' },
  { id: 'zh-parcel-duty', lang: 'zh-Hant', brands: ['hongkongpost', 'hkpost-duty', 'hkp'], text: '香港郵政：您的包裹因未繳付關稅，現[暫存|存放]於本地倉庫。請於{date}前到 {link} 繳付HK${fee}，逾期將退回寄件人。' },
  { id: 'zh-parcel-sf', lang: 'zh-Hant', brands: ['sf-express', 'sfexpress', 'sf-hk'], text: '順豐速運：您的包裹已到達本地轉運中心，因收件人電話[錯誤|有誤]暫停派送。請[點擊|點選] {link} 確認資料，逾時包裹將被銷毀。' },
  { id: 'zh-parcel-customs', lang: 'zh-Hant', brands: ['customs-hk', 'hkcustoms', 'cedhk'], text: '香港海關通知：閣下有一件進口包裹需繳付關稅HK${fee}，單號{ref}。請於24小時內經 {link} 完成付款，否則貨物將被[沒收|充公]。' },
  { id: 'zh-bank-card', lang: 'zh-Hant', brands: ['bochk', 'boc-hk', 'bochk-secure'], text: '【中銀香港】尊敬的客戶，您的信用卡（尾號{card}）因異常交易已被暫停使用，請[立即|盡快]登入 {link} 驗證身份以恢復服務。' },
  { id: 'zh-card-points', lang: 'zh-Hant', brands: ['points-hk', 'bonus-redeem', 'reward-pts'], text: '{bank}信用卡積分提示：您有{points}積分將於{date}到期，請盡快到 {link} 兌換現金回贈或禮品。' },
  { id: 'zh-hketoll', lang: 'zh-Hant', brands: ['hketoll', 'hk-etoll', 'etoll-hk'], text: '【易通行】您的車輛{plate}於{date}有一筆未繳隧道費HK${fee}，請於今日內到 {link} 繳付，逾期將收取附加費。' },
  { id: 'zh-hketoll-reminder', lang: 'zh-Hant', brands: ['hketoll', 'etoll-pay', 'hketolls'], text: '易通行提示：閣下車輛{plate}尚有隧道費HK${fee}未繳，請於24小時內到 {link} [繳款|繳費]，以免被罰款。' },
  { id: 'zh-traffic-fine', lang: 'zh-Hant', brands: ['td-gov', 'hktd', 'td-hk'], text: '運輸署提示：閣下有一張定額罰款通知書未繳，編號{ref}。如未於{date}前繳款，駕駛執照將被暫停。詳情：{link}' },
  { id: 'zh-tax-refund', lang: 'zh-Hant', brands: ['ird-gov', 'irdhk', 'ird-refund'], text: '稅務局通知：根據我們的記錄，閣下可獲退稅HK${big}。請於三日內到 {link} 填寫銀行資料以便[退款|辦理退款]。' },
  { id: 'zh-police', lang: 'zh-Hant', brands: [], text: '你好，我係香港警務處商業罪案調查科{surname}督察。你嘅身份證懷疑被人用嚟開戶洗黑錢，[而家|現在]要協助調查，請即刻打返{phone}搵我，唔係就會發出通緝令。' },
  { id: 'zh-mainland-police', lang: 'zh-Hant', brands: [], text: '這裏是深圳市公安局，你涉嫌一宗跨境洗錢案件，已被列為[被告|嫌疑人]。請立即致電{phone}聯絡{surname}警官配合調查，切勿告訴任何人。' },
  { id: 'zh-immigration', lang: 'zh-Hant', brands: [], text: '入境處通知：閣下的身份證記錄出現異常，需於{date}前處理，否則將被凍結。請按1或致電{phone}與職員聯絡。' },
  { id: 'zh-invest-group', lang: 'zh-Hant', brands: ['stock-hk', 'hkinvest', 'wealth-club'], text: '{name}你好，我係{surname}教授嘅助理。我哋嘅免費WhatsApp股票群每日分享強勢股，上個月升幅達{pct}%，名額有限，[快啲|盡快]加入：{link}' },
  { id: 'zh-invest-tip', lang: 'zh-Hant', brands: [], text: '【內部消息】下星期有隻港股即將重組，預計[翻倍|升一倍]，老師會喺群入面免費公佈代號。想知就加我WhatsApp：{wa}' },
  { id: 'zh-task-job', lang: 'zh-Hant', brands: [], text: '你好！我哋公司招聘網上兼職，喺屋企用手機幫商家點讚同留好評，每日半個鐘，日賺HK${fee}至{big}，即日出糧。有興趣請WhatsApp {wa}' },
  { id: 'zh-task-order', lang: 'zh-Hant', brands: ['taobao-job', 'order-task', 'jianzhi'], text: '【兼職招聘】網店商家刷單，零經驗可做，每單完成後即時返佣{pct}%，18歲以上，[手機操作|用手機就得]。報名連結：{link}' },
  { id: 'zh-loan', lang: 'zh-Hant', brands: [], text: '{lender}財務：免TU、免入息證明，最高可借HK${big}，低至{pct}厘息，一小時現金到手！查詢請致電{phone}' },
  { id: 'zh-loan2', lang: 'zh-Hant', brands: ['loan-hk', 'cash-fast', 'easy-loan'], text: '急需用錢？私人貸款即日批核，唔使文件，唔查信貸報告，還款期最長60個月。立即申請：{link}' },
  { id: 'zh-prize', lang: 'zh-Hant', brands: ['lucky-hk', 'prize-hk', 'gift-claim'], text: '恭喜！您的手機號碼於{brand}週年抽獎中獲得iPhone 16 Pro一部，請於{date}前到 {link} 登記領取，只需繳付HK${fee}運費。' },
  { id: 'zh-code-ask', lang: 'zh-Hant', brands: [], text: '唔好意思呀，我係{club}群組嘅{name}，啱啱唔小心將驗證碼發咗去你個電話，可唔可以幫我send返個6位數字俾我？唔該晒！' },
  { id: 'zh-whatsapp-verify', lang: 'zh-Hant', brands: ['whatsapp-verify', 'wa-security', 'whatsapp-hk'], text: '【WhatsApp】您的帳戶將於24小時內被停用，請立即點擊 {link} 驗證您的電話號碼，以免[資料丟失|聊天記錄丟失]。' },
  { id: 'zh-romance', lang: 'zh-Hant', brands: [], text: '你好，請問係咪{name}呀？我係{name2}，上個月喺中環品酒會見過你。我啱啱由倫敦返嚟香港，識嘅人唔多，想同你傾下偈。' },
  { id: 'zh-romance-wrong-number', lang: 'zh-Hant', brands: [], text: '唔好意思，我好似打錯號碼，本來想搵我朋友{name}。不過你[好似好nice|感覺好好人]，你係邊度人呀？' },
];

const EN_GIVEN = ['Amy', 'Kelvin', 'Jacky', 'Winnie', 'Eric', 'Carmen', 'Tommy', 'Ivy', 'Raymond', 'Vivian', 'Alex', 'Joyce', 'Kenneth', 'Mandy', 'Peter', 'Grace', 'Sammy', 'Queenie', 'Louis', 'Bonnie'];
const EN_SURNAME = ['Chan', 'Wong', 'Lee', 'Cheung', 'Lau', 'Ho', 'Leung', 'Lam', 'Tse', 'Ng', 'Yip', 'Tang', 'Kwok', 'Fung'];
const ZH_NAME = ['陳美玲', '黃志明', '李嘉欣', '張家豪', '劉詠詩', '何俊傑', '梁淑儀', '林國輝', '謝小娟', '吳偉強', 'Amy', '王太', '鄭生', '周小姐', '馮家明', '曾慧敏'];
const ZH_SURNAME = ['陳', '黃', '李', '張', '劉', '何', '梁', '林', '謝', '吳', '鄧', '馮'];
const EN_BANK = ['HSBC', 'Hang Seng Bank', 'Bank of China (Hong Kong)', 'Standard Chartered', 'Citibank', 'BEA'];
const ZH_BANK = ['滙豐', '恒生銀行', '中銀香港', '渣打', '東亞銀行', '花旗'];
const EN_LENDER = ['Prime', 'Golden Star', 'EasyCash', 'Wing Fat', 'Fortune'];
const ZH_LENDER = ['金星', '富達', '易借', '永發', '鴻運'];
const EN_BRAND = ['PARKnSHOP', 'Fortress', 'csl', '3HK', 'SmarTone', 'Watsons'];
const ZH_BRAND = ['百佳', '豐澤', 'csl', '3香港', '數碼通', '屈臣氏'];
const CLUB = ['hiking', 'church', 'parents', 'badminton', 'alumni', 'yoga'];
const ZH_CLUB = ['行山', '教會', '家長', '羽毛球', '校友', '瑜伽'];
const AGENCY = ['Bright Future', 'Asia Talent', 'Star', 'Global Link', 'Happy Work'];
const TLD = ['top', 'xyz', 'cc', 'vip', 'icu', 'shop', 'info', 'com', 'net', 'online', 'site', 'club', 'live'];
const THEME = ['pay', 'hk', 'online', 'service', 'portal', 'secure', 'verify', 'web', 'center', 'app'];
const EMOJI = ['📦', '⚠️', '❗', '🔥', '🎁', '💰', '✅', '📢', '👉', '🙏', '😊', '‼️'];

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const alnum = (r: Rand, n: number): string => Array.from({ length: n }, () => pick(r, 'abcdefghjkmnpqrstuvwxyz23456789'.split(''))).join('');
const digits = (r: Rand, n: number): string => Array.from({ length: n }, (_, i) => String(int(r, i === 0 ? 1 : 0, 9))).join('');
const upper = (r: Rand, n: number): string => Array.from({ length: n }, () => pick(r, 'ABCDEFGHJKLMNPRSTUVWXYZ'.split(''))).join('');

function link(r: Rand, brands: string[]): string {
  if (brands.length === 0 || r() < 0.1) return `${pick(r, ['bit.ly', 'tinyurl.com', 'cutt.ly', 'is.gd'])}/${alnum(r, int(r, 5, 7))}`;
  const b = pick(r, brands);
  const host = pick(r, [`${b}-${pick(r, THEME)}`, `${b}.${pick(r, THEME)}-hk`, `${pick(r, THEME)}-${b}`, `${b}${int(r, 1, 99)}`, `${b}`]);
  const scheme = pick(r, ['https://', 'https://', 'http://', '', 'www.']);
  const path = pick(r, ['', `/${alnum(r, 4)}`, `/?id=${alnum(r, 6)}`, `/hk/${alnum(r, 5)}`, `/${pick(r, THEME)}/${alnum(r, 3)}`]);
  return `${scheme}${host}.${pick(r, TLD)}${path}`;
}

function phone(r: Rand): string {
  const n = `${pick(r, ['5', '6', '9'])}${digits(r, 7).slice(0, 7)}`;
  return pick(r, [`${n.slice(0, 4)} ${n.slice(4)}`, n, `+852 ${n.slice(0, 4)} ${n.slice(4)}`, `+852${n}`]);
}

function fill(r: Rand, c: Campaign): string {
  const zh = c.lang === 'zh-Hant';
  const given = () => (zh ? pick(r, ZH_NAME) : `${pick(r, EN_GIVEN)}${r() < 0.3 ? ` ${pick(r, EN_SURNAME)}` : ''}`);
  const date = () => {
    const d = int(r, 1, 28);
    const m = int(r, 1, 12);
    if (zh) return pick(r, [`${m}月${d}日`, `${d}/${m}`, `2026年${m}月${d}日`]);
    return pick(r, [`${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}`, `${d}/${m}/2026`, `2026-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`]);
  };
  const slots: Record<string, () => string> = {
    link: () => link(r, c.brands),
    phone: () => phone(r),
    wa: () => (r() < 0.5 ? `wa.me/852${pick(r, ['5', '6', '9'])}${digits(r, 7)}` : phone(r)),
    name: given,
    name2: given,
    surname: () => (zh ? pick(r, ZH_SURNAME) : pick(r, EN_SURNAME)),
    fee: () => pick(r, [`${int(r, 8, 60)}`, `${int(r, 8, 60)}.${int(r, 1, 9)}0`, `${int(r, 61, 150)}`]),
    big: () => pick(r, [`${int(r, 1, 99)},000`, `${int(r, 1, 9)},${int(r, 100, 999)}`, `${int(r, 10, 500)}000`]),
    pct: () => `${int(r, 3, 60)}`,
    points: () => `${int(r, 2, 98)},${int(r, 100, 999)}`,
    date,
    time: () => `${int(r, 0, 23)}:${String(int(r, 0, 59)).padStart(2, '0')}`,
    ref: () => pick(r, [`${upper(r, 2)}${digits(r, 9)}HK`, `${upper(r, 2)}${digits(r, 8)}`, `${digits(r, 10)}`, `${upper(r, 1)}${digits(r, 6)}`]),
    card: () => pick(r, [digits(r, 4), `****${digits(r, 4)}`, `x${digits(r, 4)}`]),
    plate: () => `${upper(r, 2)}${int(r, 1, 9999)}`,
    bank: () => pick(r, zh ? ZH_BANK : EN_BANK),
    lender: () => pick(r, zh ? ZH_LENDER : EN_LENDER),
    brand: () => pick(r, zh ? ZH_BRAND : EN_BRAND),
    club: () => pick(r, zh ? ZH_CLUB : CLUB),
    agency: () => pick(r, AGENCY),
  };
  return c.text
    .replace(/\[([^\]]*)\]/g, (_, alts: string) => {
      const options = alts.split('|');
      return r() < 0.6 ? options[0]! : pick(r, options);
    })
    .replace(/\{(\w+)\}/g, (_, slot: string) => slots[slot]!());
}

// Synonyms that copies of one template swap (by hand, or by a scammer dodging filters).
const EN_SYNONYMS: [RegExp, string[]][] = [
  [/\bimmediately\b/, ['now', 'right away', 'urgently']],
  [/\bPlease\b/, ['Kindly', 'Pls']],
  [/\bverify\b/, ['confirm', 'validate']],
  [/\bpay\b/, ['settle']],
  [/\bcontact\b/, ['reach']],
  [/\bbefore\b/, ['by']],
  [/\bparcel\b/, ['package']],
  [/\bcall\b/, ['phone', 'ring']],
  [/\bdetails\b/, ['information', 'info']],
  [/\bthanks\b/, ['thank you', 'thx']],
  [/\bHello\b/, ['Hi', 'Hey']],
];
const ZH_SYNONYMS: [RegExp, string[]][] = [
  [/立即/, ['即時', '馬上']],
  [/請於/, ['煩請於', '須於']],
  [/您/, ['你']],
  [/閣下/, ['您']],
  [/點擊/, ['按', '點選']],
  [/資料/, ['信息', '資訊']],
  [/帳戶/, ['賬戶']],
  [/驗證/, ['核實']],
  [/盡快/, ['儘快']],
  [/通知/, ['提示']],
];
const EN_SIGN_OFF = ['Thank you.', 'Thanks.', 'Reply STOP to opt out.', 'Do not reply to this SMS.'];
const ZH_SIGN_OFF = ['多謝。', '謝謝！', '此短訊毋須回覆。'];

// The small edits people and scammers make between copies: synonyms, a word dropped, a greeting or sign-off
// added, the last sentence cut (a long SMS split in two), emoji, line breaks, case and punctuation.
function edit(r: Rand, text: string, lang: Campaign['lang']): string {
  let t = text;
  for (const [word, others] of lang === 'en' ? EN_SYNONYMS : ZH_SYNONYMS) if (word.test(t) && r() < 0.2) t = t.replace(word, pick(r, others));
  if (r() < 0.08) {
    // Cut after the last sentence end that is not inside a link: a full stop before a space, or a Chinese one.
    const ends = [...t.slice(0, -1).matchAll(/[.!?](?=\s)|[。！？]/g)];
    const cut = ends.length > 0 ? t.slice(0, ends[ends.length - 1]!.index + 1) : t;
    if (cut.length > t.length * 0.6) t = cut;
  }
  if (lang === 'en') {
    for (let k = 0; k < 2; k++) {
      if (r() > 0.2) continue;
      const words = t.split(' ');
      const at = int(r, 1, words.length - 1);
      if (/^[a-z]{3,}$/.test(words[at]!)) t = [...words.slice(0, at), ...words.slice(at + 1)].join(' ');
    }
    if (r() < 0.1) t = pick(r, ['Dear customer, ', 'URGENT: ', 'Reminder: ', 'Hi, ']) + t;
    if (r() < 0.1) t = `${t} ${pick(r, EN_SIGN_OFF)}`;
    if (r() < 0.06) t = t.toUpperCase();
    else if (r() < 0.08) t = t.toLowerCase();
    if (r() < 0.15) t = t.replace(/\. /g, '.\n');
    if (r() < 0.12) t = t.replace(/[.!]$/, '').replace(/, /g, ' ');
    if (r() < 0.08) t = t.replace(/!/g, '!!!');
  } else {
    if (r() < 0.1) t = pick(r, ['【緊急】', '溫馨提示：', '提提你：']) + t;
    if (r() < 0.1) t = `${t}${pick(r, ZH_SIGN_OFF)}`;
    if (r() < 0.2) t = t.replace(/。(?=.)/g, '。\n');
    if (r() < 0.2) t = t.replace(/，/g, ',').replace(/：/g, ':').replace(/？/g, '?').replace(/！/g, '!');
    if (r() < 0.1) t = t.replace(/[。！]$/, '');
    if (r() < 0.1) t = t.replace(/，/g, ' ');
  }
  if (r() < 0.15) t = `${pick(r, EMOJI)} ${t}`;
  if (r() < 0.15) t = `${t} ${pick(r, EMOJI)}${r() < 0.5 ? pick(r, EMOJI) : ''}`;
  if (r() < 0.03) t = t.replace(/ /g, '  ');
  return t;
}

// Messages of no campaign: ordinary chat, genuine notices and one-off scams, each written once.
const EN_ALONE = [
  'Running 10 mins late, grab a table first?',
  'Did you see the typhoon signal 8 might go up tonight? Stock up on bread lol',
  'Mum says dinner at grandma\'s on Sunday, 6:30. Bring the fruit basket',
  'Can you pick up Chloe from ballet at 5? I\'m stuck in a meeting',
  'lol that video of the cat on the MTR',
  'Happy birthday!! Have an amazing year 🎂',
  'Is the 1A minibus still running after midnight?',
  'The plumber is coming between 2 and 4 tomorrow, can you be home?',
  'Thanks for lending me the umbrella yesterday, will return it Monday',
  'Are we still on for hiking Dragon\'s Back on Saturday morning?',
  'Remember to submit the claim form to HR before Friday',
  'I left my Octopus card at your place I think',
  'Yum cha at Maxim\'s this Sunday? My treat',
  'Just landed, queue at immigration is crazy',
  'Do you know a good dentist in Tsim Sha Tsui?',
  'The wifi password is on the fridge',
  'My flight got delayed to 11pm, don\'t wait up',
  'Could you send me the slides from this morning?',
  'ok sure, see you then',
  'Got the tickets for the concert at the Coliseum!',
  'Bring a jacket, the office aircon is freezing',
  'Uncle Ben is in hospital, visiting hours are 6 to 8',
  'What time does the Ikea in Kowloon Bay close?',
  'Sorry I missed your call, was driving',
  'Can we move our 1:1 to Thursday?',
  'Our landlord wants to raise the rent again 🙄',
  'Have you tried the new ramen place in Causeway Bay?',
  'I\'ll transfer you my share for dinner tonight',
  'Meeting room 12B is booked from 3 to 4',
  'The kids\' school is closed tomorrow because of the rainstorm warning',
  'Please water the plants while I\'m in Taipei',
  'Who took my charger from the meeting room',
  'The lift in our block is under repair again, take the stairs',
  'Finished the report, sending it over now',
  'Can you recommend a vet for a rabbit?',
  'Traffic on Tolo Highway is terrible, take the train',
  'I think I left the stove on, can you check??',
  'Our team won the dragon boat heat 🚣',
  'Let\'s split the taxi to the airport',
  'The library books are due on Wednesday',
  'Grandpa wants to learn WhatsApp video calls, can you help him this weekend?',
  'New menu at the canteen is actually not bad',
  'Remind me to buy milk on the way home',
  'I\'m at Exit C of Admiralty station',
  'Football at Victoria Park cancelled, pitch is flooded',
  'How was the interview?',
  'Please sign the permission slip for the school trip',
  'Do you still have the receipt for the rice cooker?',
  'Call me when you\'re free, nothing urgent',
  'Watching the fireworks from the harbourfront tonight?',
  'The printer on 5/F is jammed again',
  'Congrats on the new baby!! 💕',
  'Can you cover my shift on Tuesday? I\'ll take your Friday',
  'I booked the BBQ pit at Sai Kung for the 14th',
  'I\'m making soup, want some?',
  'Your parcel from Taobao arrived, I put it by your door',
  'Tell Dad the car service is booked for next Tuesday',
  'Do we need to bring anything to the potluck?',
  'My phone is dying, will call you later',
  'Saw your aunt at the wet market today',
  'The heater in the bathroom makes a weird noise',
  'Don\'t forget the wedding banquet is at 7, dress code is formal',
  'Let me know when you get home safe',
  'I found a cheaper flat in Tseung Kwan O, want to see it with me?',
  'Lunch at 12:30? The usual cha chaan teng',
  'Did anyone find a blue water bottle in the gym?',
  'Piano lesson moved to 4pm',
  'Please review my pull request when you have time',
  'The MTR is down between Kowloon Tong and Tai Wai, allow extra time',
  'She said yes!!! 💍',
  'I owe you one for helping with the move',
  'Are the tutorial notes uploaded yet?',
  'Power cut in our building until 3pm',
  'Can you feed the cat tonight? Food is in the top cupboard',
  'Bought some egg tarts, come to my desk',
  'Typhoon shelter seafood for Mum\'s birthday? I can book for 8',
  'The aircon guy says the compressor is dead, new one costs a fortune',
  'Anyone want to join a Lantau hike next weekend?',
  'Can you check if my blue shirt is still at the laundry?',
  'I just realised the bank is closed on Saturday afternoons',
  'The new episode is out, no spoilers please!',
  'Bus 11 is so full today I had to wait for the next one',
  'My sister is visiting from Vancouver next month',
  'Please don\'t park in my space tonight, I\'m getting a delivery',
  'Are you coming to the office party or working from home?',
  'Heading to Shenzhen for the weekend, need anything from there?',
  'We ran out of rice, can you get a bag on your way?',
  'The doctor said it\'s just a sprain, no need for an X-ray',
  'Which day is the Mid-Autumn lantern carnival?',
  'I signed Tim up for the summer swimming class',
  'Your mum called, she wants you to call her back',
  'Booked the hotel in Macau for two nights',
  'Do you want the last piece of pineapple bun?',
  'I passed my driving test!!!',
  'Sorry, wrong chat 😅',
  'Good morning! Coffee?',
  'Let\'s do karaoke after dinner',
  'Can you send me your address again? I want to mail the wedding card',
  'The cleaner moved all my papers again',
  'That rain came out of nowhere, I\'m soaked',
  'Thanks, got it',
  'Traffic lights at Nathan Road are broken, police directing traffic',
  'Is anyone using the spare monitor?',
  // Genuine notices, each organisation's own wording, sent once here.
  'HSBC: Your one-time password is 482913. It will expire in 5 minutes. Never share it with anyone, including bank staff.',
  'Your Octopus card automatic add-value of HK$250 was successful on 03/07.',
  'CLP: Your electricity bill of HK$612.40 for June is ready. View it in the CLP app.',
  'Hong Kong Observatory: The Black Rainstorm Warning Signal has been issued. Stay indoors.',
  'Reminder from Queen Mary Hospital: your appointment at the Eye Clinic is on 12 Aug at 10:15.',
  'Your Deliveroo order is on its way. Your rider is Ahmed.',
  'MTR Mobile: your Cross-boundary ticket has been issued. Have a nice journey.',
  'Thank you for voting. Your poll card number is recorded. Polling stations close at 10:30pm.',
  'Apple: Your Apple Account code is 771245. Do not share it.',
  'Hang Seng Bank: a payment of HK$1,280.00 was made with your card ending 4411 at WELLCOME on 02 Jul. Not you? Call our hotline on the back of your card.',
  'Towngas: Our technician will visit on 15/07 between 9am and 1pm for the gas safety inspection.',
  'Your HKTVmall order 12884201 has been delivered to the locker at Mong Kok.',
  'Emergency Alert: Red Rainstorm Warning. Schools will be closed this afternoon.',
  'Water Supplies Department: water supply to Tai Po Road will be suspended from 11pm to 6am tomorrow for mains repair.',
  'Your Foodpanda rider has arrived. Please collect your order at the lobby.',
  'Dr. Wong\'s clinic: please bring your vaccination record when you come in on Friday.',
  'Citybus: Route 40 will be diverted this Sunday due to a road closure on Gloucester Road.',
  'Your prescription is ready for collection at Mannings, Kwun Tong branch.',
  'HK Post: Your registered letter has been delivered and signed for. Thank you for using Hongkong Post.',
  'Airport Authority: Gate change for CX 888, now boarding at Gate 65.',
  'Your gym membership renews on 1 August. Reply STOP to cancel auto-renewal emails.',
  'Kindergarten notice: photo day is next Wednesday, please send your child in school uniform.',
  'Estate management: the swimming pool will open on 1 May. Residents must bring their resident cards.',
  'Your Uber is arriving in 3 minutes. Look for a white Toyota.',
  'Public Library: the book you reserved, "The Three-Body Problem", is ready to pick up at City Hall Library.',
  'HKUST: your exam timetable for the summer term is now available on the student portal.',
  'Census and Statistics Department: an officer will visit your household for the General Household Survey this month. Officers carry identity cards.',
  'PayMe: you received HK$150.00 from Jason. Note: badminton court',
  'Booking confirmed: table for 4 at Tim Ho Wan, Sham Shui Po, Saturday 1pm.',
  'Your cinema tickets for Saturday 7:45pm, House 3, seats F10 F11.',
  // One-off scams: each written differently from the campaigns and from each other.
  'Dad my phone broke, this is my new number. Can you transfer HK$8,000 to my friend\'s account for my rent? I will explain later',
  'Your Netflix subscription payment failed. Update your card details to keep watching: netflix-billing-hk.com/update',
  'URGENT: Your Google Drive storage is full and files will be deleted tonight. Upgrade free at drive-free-upgrade.top',
  'Hello, your son has been detained by us. If you want him safe transfer 200,000 to the account we give you and do not call police',
  'I am a US army doctor serving in Syria, I need someone to receive my gold box and I will share with you',
  'Carousell buyer: I paid for your sofa, please click the Carousell protection link to receive the money: carou-safe.shop/r/99',
  'Hi, I saw your ad. I\'ll buy the camera for full price but my cousin will collect it, please verify your bank card on this page first',
  'Your electricity will be disconnected in 2 hours due to unpaid bill. Call our billing officer at 6218 7734 now',
  'Dear winner, your email address has won 1,500,000 USD in the Microsoft lottery. Send your name, address and ID copy to claims.ms@outlook.com',
  'Ticket resale: two Jacky Cheung concert tickets, seated row 5, HK$3,000 each, pay deposit by FPS to hold them',
  'You have been charged HK$4,999 for an Amazon Prime annual plan. To cancel press 1 or call 3008 1122',
  'Guess who I am? I changed my number, save it. Are you free to talk now?',
  'Mr. Lee, this is your landlord\'s agent. Please pay this month\'s rent to our new company account 012-345-67890-1 instead',
  'Your Steam account was reported for fraud. Contact Steam support on Discord or your account will be banned',
  'Friend from church here, our pastor needs donations for flood victims, please PayMe me whatever you can 🙏',
  'Crypto giveaway: send 0.1 BTC and receive 0.2 BTC back within an hour, limited to the first 100 people',
  'Your WeChat Pay account will be restricted. Our customer service will call you, please prepare your ID card',
  'Rental in Mong Kok, HK$5,000 all inclusive, landlord overseas, pay deposit first and keys will be mailed to you',
  'Nude photos of you will be sent to all your contacts unless you pay 500 USDT within 24 hours',
  'This is DHL. Your passport was found inside a parcel to Malaysia with drugs. I will connect you to the Malaysian police now',
];

const ZH_ALONE = [
  '我遲十分鐘到，你哋自己叫嘢食先',
  '聽日八號風球會唔會返工？',
  '阿媽話星期日去婆婆度食飯，六點半，記得買生果',
  '你五點可唔可以幫我接囡囡放學？我要開會',
  '今晚打邊爐，你食唔食牛？',
  '生日快樂！！身體健康，心想事成🎂',
  '尾班小巴幾點開？',
  '水喉佬聽日兩點至四點上嚟，你喺唔喺屋企？',
  '多謝你琴日借把遮俾我，星期一還返俾你',
  '星期六朝早仲去唔去行龍脊？',
  '記得星期五之前交報銷表',
  '我好似跌咗張八達通喺你屋企',
  '星期日飲茶？我請',
  '啱啱落機，入境排隊排到爆',
  '你識唔識尖沙咀有邊個牙醫好？',
  'wifi密碼貼咗喺雪櫃門',
  '班機延誤到十一點，唔使等我',
  '可唔可以send今朝嗰份簡報俾我？',
  '好呀，到時見',
  '搶到紅館飛喇！',
  '帶件外套，公司冷氣好凍',
  '舅父入咗醫院，探病時間係六點至八點',
  '九龍灣宜家幾點關門？',
  '唔好意思頭先揸緊車聽唔到電話',
  '我哋個one on one改去星期四得唔得？',
  '業主又話要加租🙄',
  '你試咗銅鑼灣新開嗰間拉麵未？',
  '今晚食飯我轉返錢俾你',
  '12B會議室三點至四點已經book咗',
  '因為黑雨，學校聽日停課',
  '我去台北嗰幾日幫我淋下啲花',
  '邊個拎咗會議室個叉電器',
  '我哋座大廈部𨋢又維修，要行樓梯',
  '報告寫好，而家send俾你',
  '有冇兔仔獸醫介紹？',
  '吐露港公路好塞，搭火車啦',
  '我好似冇熄爐，你幫我睇下！',
  '我哋龍舟隊贏咗初賽🚣',
  '一齊夾的士去機場啦',
  '圖書館啲書星期三到期',
  '阿爺想學WhatsApp視像，週末你教下佢',
  '飯堂新餐牌其實唔錯',
  '提我返屋企路上買奶',
  '我喺金鐘C出口',
  '維園球場水浸，今晚踢波取消',
  '面試點呀？',
  '記得簽旅行同意書',
  '電飯煲張單你仲有冇留？',
  '得閒覆我電話，唔急',
  '今晚去海旁睇煙花嗎？',
  '五樓部打印機又卡紙',
  '恭喜你生咗BB！💕',
  '星期二可唔可以幫我頂更？我幫你頂星期五',
  '我book咗西貢燒烤爐，十四號',
  '我煲咗湯，要唔要？',
  '你淘寶件貨到咗，我放咗喺你門口',
  '同老豆講架車下星期二驗車',
  '聚餐使唔使帶嘢？',
  '部電話就冇電，遲啲覆你',
  '今日喺街市見到你阿姨',
  '浴室個暖爐有怪聲',
  '婚宴七點入席，記得著正式啲',
  '到咗屋企報個平安',
  '將軍澳有個平啲嘅單位，陪我去睇吓？',
  '十二點半食晏？老地方茶記',
  '有冇人喺健身室執到個藍色水樽？',
  '鋼琴堂改咗四點',
  '有時間幫我review下個PR',
  '九龍塘至大圍暫停服務，預多啲時間',
  '佢答應咗！！！💍',
  '多謝你幫我搬屋，下次請你食飯',
  '導修筆記上載咗未？',
  '大廈停電到三點',
  '今晚幫我餵貓，貓糧喺上面個櫃',
  '買咗蛋撻，過嚟我張枱食',
  '明天的會議改到下午三點，請通知其他同事。',
  '周末天氣好，要不要一起去長洲踩單車？',
  '孩子的家長日在下週二，我們一起去嗎？',
  '剛才那家餐廳的甜品真的很好吃，下次再去。',
  '表哥下個月結婚，要準備人情。',
  '今晚避風塘炒蟹同阿媽慶祝生日？我book八點',
  '冷氣師傅話壓縮機壞咗，換過要好貴',
  '下個週末有冇人去大嶼山行山？',
  '幫我睇下洗衣舖仲有冇我件藍色恤衫',
  '原來星期六下晝銀行唔開',
  '新一集出咗，唔好劇透呀！',
  '今日11號巴士爆滿，要等下一班',
  '我家姐下個月由溫哥華返嚟',
  '今晚唔好泊我車位，我有貨送到',
  '你嚟唔嚟公司聚會定係喺屋企做嘢？',
  '週末上深圳，要唔要幫你帶嘢？',
  '冇米喇，返嚟順手買包米',
  '醫生話只係扭親，唔使照X光',
  '中秋綵燈會係邊日？',
  '幫阿仔報咗暑期游水班',
  '你阿媽打嚟搵你，叫你覆佢電話',
  '訂咗澳門酒店兩晚',
  '最後一個菠蘿包你要唔要？',
  '我考到車牌喇！！！',
  '唔好意思，send錯group😅',
  '早晨！飲咖啡嗎？',
  '食完飯去唱K',
  '再send一次地址俾我？我想寄喜帖',
  '清潔阿姐又搬亂晒我啲文件',
  '場雨突然落，我濕晒',
  '收到，唔該',
  // 真正的通知：每間機構各自的寫法，各一則。
  '【滙豐】您的一次性密碼為482913，5分鐘內有效。切勿向任何人（包括銀行職員）透露。',
  '您的八達通自動增值HK$250已於7月3日完成。',
  '中電：您六月份的電費單HK$612.40已經發出，請於中電App查閱。',
  '香港天文台：黑色暴雨警告信號現正生效，請留在安全地方。',
  '瑪麗醫院提提你：您於8月12日上午10時15分在眼科診所有覆診預約。',
  '您的外賣正在送出，車手將於15分鐘內到達。',
  '【恒生銀行】您尾號4411的信用卡於7月2日在惠康消費HK$1,280.00。如非本人交易，請致電卡背熱線。',
  '煤氣公司：技術員將於7月15日上午9時至下午1時上門進行氣體安全檢查。',
  '您的HKTVmall訂單12884201已送達旺角智能櫃。',
  '緊急警示：紅色暴雨警告，今日下午學校停課。',
  '水務署通知：大埔道明晚11時至翌日早上6時暫停供水，以進行水管維修。',
  '黃醫生診所：星期五覆診時請帶備疫苗接種紀錄。',
  '城巴：本星期日40號線因告士打道封路需要改道。',
  '您的處方藥物已可於萬寧觀塘分店領取。',
  '香港郵政：您的掛號信已派遞並由收件人簽收，多謝使用香港郵政服務。',
  '機管局：國泰CX888登機閘口更改為65號閘口，現正登機。',
  '幼稚園通告：下星期三為拍照日，請讓幼兒穿著校服回校。',
  '管理處通告：泳池將於五月一日開放，住戶須出示住戶證。',
  '公共圖書館：您預約的《三體》已可於大會堂圖書館領取。',
  '政府統計處職員將於本月到訪府上進行綜合住戶統計調查，職員均持有職員證。',
  'PayMe：您收到來自Jason的HK$150.00，備註：羽毛球場',
  '訂座確認：星期六下午1時，添好運深水埗，4位。',
  '您的戲飛：星期六晚上7時45分，3號院，F10、F11。',
  '學校通告：由於颱風關係，明日所有課外活動取消。',
  '【屈臣氏】您的會員積分已更新，本月可享生日優惠，詳情請瀏覽App。',
  '牙科診所提提你：明日上午11時洗牙，如需改期請致電診所。',
  '物業管理處：本週六上午進行消防演習，屆時警鐘會響起。',
  '渣打：您的月結單已經可以於網上理財查閱。',
  '驗車中心確認：您的私家車驗車時間為7月20日上午10時。',
  '選舉事務處：投票站將於晚上10時30分關閉。',
  // 只出現一次的騙案：寫法與各個騙局群組都不同。
  '爸，我手機壞咗，呢個係新號碼。可唔可以幫我轉8000蚊去我朋友戶口交租？遲啲同你解釋',
  '您的Netflix付款失敗，請更新信用卡資料以繼續觀看：netflix-billing-hk.com/update',
  '你個仔喺我哋手上，想佢安全就轉二十萬去我哋俾你嘅戶口，唔好報警',
  '我是在敘利亞服役的美軍醫生，需要有人幫我接收一個金箱，事後與你分享',
  'Carousell買家：我已經付款買你張梳化，請按旋轉拍賣保障連結收款：carou-safe.shop/r/99',
  '你好，我想買你部相機，我表弟會嚟拎，請先喺呢個網頁驗證你張銀行卡',
  '你嘅電費逾期未繳，兩小時後會截電，即刻打俾我哋收費主任 6218 7734',
  '轉讓張學友演唱會門票兩張，第五行，每張$3000，先用轉數快俾訂金留飛',
  '猜猜我是誰？我換了號碼，存一下，現在方便說話嗎？',
  '李生，我係業主代理，今個月租金請轉去我哋公司新戶口 012-345-67890-1',
  '教會朋友：牧師為水災災民籌款，請隨心PayMe俾我🙏',
  '旺角單位月租$5000全包，業主在外國，先付按金會寄鎖匙俾你',
  '如果24小時內唔俾500 USDT，你啲裸照會send晒俾你所有聯絡人',
  '這裏是DHL，你寄往馬來西亞的包裹內發現護照及毒品，現在幫你轉接馬來西亞警方',
  '你的微信支付帳戶將被限制使用，客服稍後致電，請準備好身份證',
  '恭喜你成為本店第1000位幸運會員，請加我LINE領取禮品',
  '你好，我係你舊同學阿明呀，記唔記得我？最近手頭有啲緊，可唔可以借住3000蚊？',
  '【Steam】你的帳號被舉報詐騙，請在Discord聯絡客服，否則將被封鎖',
  '我在網上認識了一位投資顧問，他說買這個平台的黃金期貨穩賺，你要不要也試試？',
  '你訂購的iPhone已到貨，因系統問題需要你再付一次款，請聯絡客服微信',
];

/**
 * The labelled set, in a fixed shuffled order (campaign copies interleaved with each other and with the rest).
 * Another seed gives other copies of the same campaigns (the speed measurement uses that for volume).
 */
export function makeCampaignSet(seed = SEED): LabelledMessage[] {
  const r = prng(seed);
  const rows: Omit<LabelledMessage, 'id'>[] = [];
  for (const c of [...EN, ...ZH]) {
    const copies = int(r, 5, 40);
    for (let k = 0; k < copies; k++) rows.push({ campaign: c.id, lang: c.lang, text: edit(r, fill(r, c), c.lang) });
  }
  for (const text of EN_ALONE) rows.push({ campaign: null, lang: 'en', text });
  for (const text of ZH_ALONE) rows.push({ campaign: null, lang: 'zh-Hant', text });
  // Fisher-Yates with the same PRNG: arrival order is mixed, as forwarded reports are.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows.map((row, i) => ({ id: `m${String(i + 1).padStart(4, '0')}`, ...row }));
}

/** The set as the committed file's text: one JSON object per line, keys in a fixed order. */
export function campaignSetText(): string {
  return makeCampaignSet().map((m) => JSON.stringify({ id: m.id, campaign: m.campaign, lang: m.lang, text: m.text })).join('\n') + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(CAMPAIGN_SET_PATH, campaignSetText());
  const set = makeCampaignSet();
  console.log(`${CAMPAIGN_SET_PATH}: ${set.length} messages, ${new Set(set.map((m) => m.campaign).filter(Boolean)).size} campaigns, ${set.filter((m) => m.campaign === null).length} alone`);
}
