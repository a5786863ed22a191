import type { Label, ScamType } from './taxonomy.js';

/**
 * How to protect yourself from each scam type: short, concrete, in English and Traditional Chinese. Written
 * from the public advice of anti-scam centres (the signs to notice, then what to do); shown on the tips page
 * and available to partner apps through the API.
 */
export const SCAM_TIPS: Record<ScamType, { signs: Label; tips: Label[] }> = {
  online_shopping: {
    signs: { en: 'Prices far below the market, sellers who want payment by bank transfer or e-wallet only, new accounts with no history.', 'zh-Hant': '價錢遠低於市價、賣家只收銀行轉賬或電子錢包、帳戶新開而沒有交易紀錄。' },
    tips: [
      { en: 'Pay through the platform’s own checkout, never by direct transfer to a person.', 'zh-Hant': '經平台本身的付款系統付款，切勿直接轉賬給個人。' },
      { en: 'Check the seller’s account and payee account here before you pay.', 'zh-Hant': '付款前先在這裏查證賣家帳戶和收款帳戶。' },
    ],
  },
  investment: {
    signs: { en: 'Guaranteed high returns, “insider” tips in chat groups, apps you can only install from a link, pressure to add more money to withdraw.', 'zh-Hant': '保證高回報、聊天群組內的「內幕消息」、只能經連結安裝的程式、要求再加注才能提款。' },
    tips: [
      { en: 'Check that the firm is licensed with the Securities and Futures Commission before investing.', 'zh-Hant': '投資前先查證公司是否證監會持牌機構。' },
      { en: 'If you are told to pay a “tax” or “fee” to withdraw your money, stop: it is a scam.', 'zh-Hant': '若被要求先繳「稅款」或「手續費」才能提款，立即停止：這是騙局。' },
    ],
  },
  employment: {
    signs: { en: 'Easy money for liking posts or “boosting” orders, a deposit to start, tasks that need you to pay first.', 'zh-Hant': '讚好帖文或「刷單」輕鬆賺錢、開始前要付按金、任務要求先墊支。' },
    tips: [
      { en: 'A real employer never asks you to pay to work.', 'zh-Hant': '真正的僱主不會要求你付錢才能工作。' },
      { en: 'Never lend your bank account or let others use it: that is money laundering.', 'zh-Hant': '切勿出借或讓他人使用你的銀行戶口：這涉及洗黑錢。' },
    ],
  },
  romance: {
    signs: { en: 'A new online friend who quickly talks of love, never meets on video, then needs money or suggests an investment.', 'zh-Hant': '網上新認識的朋友很快談情說愛、從不視像見面，然後急需用錢或介紹投資。' },
    tips: [
      { en: 'Never send money to someone you have only met online.', 'zh-Hant': '切勿匯款給只在網上認識的人。' },
      { en: 'Talk to family or friends before you act: scammers try to keep you apart.', 'zh-Hant': '行動前先與家人朋友商量：騙徒會設法令你孤立。' },
    ],
  },
  impersonating_officials: {
    signs: { en: 'A caller says they are police, immigration or a mainland official, that you are under investigation, and asks for money or bank details.', 'zh-Hant': '來電者自稱警察、入境處或內地官員，說你涉及調查，並要求金錢或銀行資料。' },
    tips: [
      { en: 'Officials never ask you to transfer money or give your online banking password.', 'zh-Hant': '執法人員絕不會要求你轉賬或提供網上理財密碼。' },
      { en: 'Hang up and call the Anti-Scam Helpline 18222 to check.', 'zh-Hant': '立即掛線，致電防騙易熱線 18222 查詢。' },
    ],
  },
  impersonating_customer_service: {
    signs: { en: 'Someone from a “shop” or “platform” says an order went wrong and offers a refund that needs your card or a transfer.', 'zh-Hant': '自稱「商店」或「平台」職員說訂單出錯，要求你提供信用卡資料或轉賬以退款。' },
    tips: [
      { en: 'Call the company back on the number on its official website, not the one you were given.', 'zh-Hant': '以公司官方網站上的電話回覆，不要用對方提供的號碼。' },
      { en: 'A refund never needs you to pay or to read out a one-time password.', 'zh-Hant': '退款絕不需要你付款或讀出一次性密碼。' },
    ],
  },
  phishing_bank: {
    signs: { en: 'An SMS or e-mail says your account is locked or a payment failed, with a link to log in.', 'zh-Hant': '短訊或電郵說你的戶口被凍結或付款失敗，並附上登入連結。' },
    tips: [
      { en: 'Banks in Hong Kong do not send links to log in; open your bank’s app yourself.', 'zh-Hant': '香港的銀行不會以連結要求登入；請自行開啟銀行程式。' },
      { en: 'SMS from real banks come from a registered sender ID starting with “#”.', 'zh-Hant': '真正銀行的短訊會以「#」開頭的登記發送人名稱發出。' },
    ],
  },
  phishing_courier: {
    signs: { en: 'A message says your parcel is held and a small fee is due, with a link.', 'zh-Hant': '訊息說你的包裹被扣留，需繳付小額費用，並附上連結。' },
    tips: [
      { en: 'Track parcels only on the courier’s official site or app.', 'zh-Hant': '只在速遞公司官方網站或程式追蹤包裹。' },
      { en: 'Never enter card details on a page opened from a message.', 'zh-Hant': '切勿在訊息連結開啟的網頁輸入信用卡資料。' },
    ],
  },
  phishing_government: {
    signs: { en: 'A message about a tax refund, a fine or a subsidy, with a link to “claim” or “pay”.', 'zh-Hant': '有關退稅、罰款或津貼的訊息，附上「申領」或「繳費」連結。' },
    tips: [
      { en: 'Government sites end in .gov.hk; type the address yourself.', 'zh-Hant': '政府網站以 .gov.hk 結尾；請自行輸入網址。' },
      { en: 'Government SMS come from sender IDs starting with “#”.', 'zh-Hant': '政府短訊以「#」開頭的發送人名稱發出。' },
    ],
  },
  tech_support: {
    signs: { en: 'A pop-up or call says your computer is infected and asks you to install remote-control software.', 'zh-Hant': '彈出視窗或來電說你的電腦中毒，要求安裝遙距控制軟件。' },
    tips: [
      { en: 'Never let a stranger control your computer or phone.', 'zh-Hant': '切勿讓陌生人遙距控制你的電腦或手機。' },
      { en: 'Close the page; real companies do not call you about viruses.', 'zh-Hant': '關閉網頁；真正的公司不會主動致電說你的電腦中毒。' },
    ],
  },
  loan: {
    signs: { en: 'A loan for anyone, with no checks, but a fee to pay first.', 'zh-Hant': '人人都批、無需審查的貸款，卻要先付手續費。' },
    tips: [
      { en: 'Licensed money lenders never ask for a fee before the loan; check the licence with the Companies Registry.', 'zh-Hant': '持牌放債人不會在放款前收費；請向公司註冊處查證牌照。' },
    ],
  },
  sextortion: {
    signs: { en: 'A stranger invites you to a naked video chat or to install an app, then threatens to share the recording.', 'zh-Hant': '陌生人邀請你裸聊或安裝程式，之後威脅公開片段。' },
    tips: [
      { en: 'Do not pay: paying leads to more demands. Keep the messages and report to the police.', 'zh-Hant': '不要付款：付款只會換來更多要求。保留訊息並報警。' },
    ],
  },
  ticketing: {
    signs: { en: 'Tickets for a sold-out event offered on social media, payment by transfer only.', 'zh-Hant': '社交媒體上出售已售罄活動的門票，只接受轉賬。' },
    tips: [
      { en: 'Buy tickets only from the official seller.', 'zh-Hant': '只向官方售票處購票。' },
    ],
  },
  rental: {
    signs: { en: 'A cheap flat you cannot view, a landlord abroad, a deposit asked before a viewing.', 'zh-Hant': '租金便宜卻不能睇樓、業主身在外地、未睇樓已要求訂金。' },
    tips: [
      { en: 'Never pay a deposit before you have seen the flat and checked the owner at the Land Registry.', 'zh-Hant': '未親身睇樓及未向土地註冊處查證業主前，切勿支付訂金。' },
    ],
  },
  other: {
    signs: { en: 'Urgency, secrecy and a request for money or personal details.', 'zh-Hant': '催促、要求保密，並索取金錢或個人資料。' },
    tips: [
      { en: 'Stop, think and check: call the Anti-Scam Helpline 18222 when in doubt.', 'zh-Hant': '停一停、想一想、查一查：如有懷疑，致電防騙易熱線 18222。' },
    ],
  },
};
