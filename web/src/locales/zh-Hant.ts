import type { Messages } from './en';

export const zhHant: Messages = {
  app: { name: 'Scamgraph 防騙查', tagline: '付款前，先查證', skip: '跳到主要內容', language: '語言' },
  nav: { check: '查證', report: '舉報騙案' },
  check: {
    title: '是騙局嗎？',
    intro: '貼上電話號碼、連結、電郵、銀行戶口、轉數快識別碼、加密錢包、社交帳戶或整段訊息。',
    label: '你想查證甚麼？',
    placeholder: '例如 +852 9123 4567、一條連結，或你收到的短訊',
    submit: '查證',
    checking: '正在查證…',
    empty: '請輸入或貼上要查證的內容。',
    nothingFound: '這段訊息中沒有找到電話號碼、連結、戶口或地址。',
    found_one: '在你的訊息中找到 {{count}} 項可查證的內容。',
    found_other: '在你的訊息中找到 {{count}} 項可查證的內容。',
    failed: '未能完成查證，請再試一次。',
    detected: '查證類別：{{kind}}',
  },
  level: {
    high_risk: '高風險',
    suspicious: '可疑',
    no_record: '未有紀錄',
    verified: '已核實',
  },
  levelHint: {
    high_risk: '與騙案有關。切勿付款或提供資料。',
    suspicious: '曾被舉報與騙案有關，尚未確認。請小心。',
    no_record: '暫未有舉報：這並不代表安全。',
    verified: '已登記的合法機構。',
  },
  verdict: {
    why: '原因',
    reports_one: '{{count}} 宗舉報',
    reports_other: '{{count}} 宗舉報',
    seen: '首次出現 {{first}}，最近出現 {{last}}',
    types: '騙案類型：{{types}}',
    advice: '你現在應該怎樣做',
    lookalike: '這與受保護的名稱 {{name}} 相似，但並不相同。請確認你正在接觸真正的 {{name}}。',
    hotline: '防騙易熱線 18222',
  },
  kind: {
    phone: '電話號碼', url: '連結', domain: '網站', email: '電郵地址', bank_account: '銀行戶口', payment_proxy: '轉數快識別碼',
    crypto_wallet: '加密貨幣錢包', social_account: '社交媒體帳戶', ip: 'IP 地址', sms_sender: '短訊發送者',
  },
  notFound: { title: '找不到此頁', back: '返回查證頁' },
};
