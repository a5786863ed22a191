import type { ScamType } from './taxonomy.js';

/**
 * The words that point to each scam type, for the suggester (scam-type-suggester.ts). Three tiers, because a
 * word's worth depends on how often other scams use it too:
 * - `strong` names the mechanism of the scam ("money laundering", "裸聊", "redelivery", "刷單");
 * - `cue` is typical of the type but turns up in others ("bank", "seller", "platform");
 * - `weak` is common in the type and in many others ("card", "account", "order"): it breaks ties, it never
 *   makes a suggestion on its own.
 * English cues match whole words, any case, with an optional plural `s`; a trailing `*` matches any ending
 * ("deliver*": delivery, delivered). Chinese cues match as substrings (Traditional, Simplified, Cantonese).
 * `other` has cues too: the scams the taxonomy has no type for (prizes, "guess who I am", kidnapping calls,
 * blessing scams, account takeover, invoice fraud) would otherwise be filed under whatever word they share
 * with a type ("customer service", "borrow", "delivery").
 */
export interface CueTier {
  en?: string[];
  zh?: string[];
}

export interface TypeCues {
  strong?: CueTier;
  cue?: CueTier;
  weak?: CueTier;
  /** Regular expressions (flags `iu`) that count as strong cues: phrasings no word list catches ("30% a month"). */
  patterns?: RegExp[];
  /** Phrases inside which this type's words do not count ("line rental" is a phone plan, not a flat). */
  ignore?: string[];
  /** Words in a link's host or path. */
  link?: string[];
  /** Indicator kinds typical of the type. */
  kinds?: string[];
}

export const TIER_WEIGHTS = { strong: 3, cue: 1.5, weak: 0.5 } as const;

// Counted numbers in Chinese: 三成 (30%), 兩成, 8%.
const ZH_NUMBER = '[\\d一二兩三四五六七八九十百]+';

export const TYPE_CUES: Partial<Record<ScamType, TypeCues>> = {
  online_shopping: {
    strong: { en: ['online shop', 'online store', 'group-buy', 'group buy', 'never arrived', 'never received'], zh: ['網購', '网购', '網店', '网店', '網上商店', '网上商店', '團購', '团购', '收不到貨', '冇貨'] },
    cue: { en: ['store', 'retail', 'seller', 'bought', 'purchase*', 'ordered', 'carousell', 'taobao', 'marketplace', 'goods', 'buyer', 'ship the'], zh: ['旋轉拍賣', '大減價', '落單', '落咗單', '出貨', '二手', '賣家', '卖家', '買家', '买家', '訂單', '订单', '淘寶', '淘宝', '購物', '购物', '特價', '特价', '網上買', '网上买', '賣平價'] },
    weak: { en: ['order', 'shop', 'deposit', 'paid', 'stock'], zh: ['訂金', '订金', '買', '賣', '貨'] },
    ignore: ['no refund'],
  },
  investment: {
    strong: {
      en: ['investment', 'invest*', 'stock tip*', 'penny stock*', 'crypto', 'forex', 'dividend', 'guaranteed return*', 'returns guaranteed', 'daily return*', 'monthly return*', 'double your money', 'wealth club', 'mentor', 'analyst'],
      zh: ['投資', '投资', '股票', '炒股', '炒美股', '虛擬貨幣', '虚拟货币', '加密貨幣', '加密货币', '荐股', '薦股', '回報', '回报', '收益', '派息', '穩賺', '稳赚', '入金', '理財', '理财', '分析師', '分析师', '導師', '导师', '老師', '老师', '基金', '外匯', '外汇', '仙股', '上市'],
    },
    cue: { en: ['trading', 'trade', 'stock', 'shares', 'bitcoin', 'btc', 'usdt', 'returns', 'profit*', 'fund', 'gold', 'withdraw*', 'withdrawal', 'cash out', 'margin', 'giveaway', 'seminar', 'coach', 'teacher', 'about to list'], zh: ['獲利', '获利', '提款', '保證金', '保证金', '黃金', '黄金', '開戶', '开户', '經紀', '经纪', '講座', '教練', '股份'] },
    weak: { en: ['platform', 'group', 'app'], zh: ['平台', '群組', '群组', '群', '每月', '每日'] },
    patterns: [
      /\d+(?:\.\d+)?\s?%\s*(?:a|per|each|every)?\s*(?:day|week|month|year)\b/iu,
      /\d+(?:\.\d+)?\s?%\s*(?:daily|weekly|monthly)\b/iu,
      new RegExp(`每[日月週周星期年]{1,2}[^，。；]{0,6}(?:${ZH_NUMBER}成|${ZH_NUMBER}%)`, 'iu'),
      new RegExp(`${ZH_NUMBER}成回報`, 'iu'),
    ],
    kinds: ['crypto_wallet'],
  },
  employment: {
    strong: { en: ['part-time', 'part time', 'work from home', 'remote work', 'no experience', 'daily pay', 'hiring', 'recruit', 'recruiter', 'job', 'jobs', 'like videos', 'liking', 'merchant task*', 'combination order*', 'registration fee', 'mystery shopper', 'shortlisted'], zh: ['兼職', '兼职', '刷單', '刷单', '佣金', '招聘', '日薪', '日賺', '日赚', '在家工作', '無需經驗', '无需经验', '登記費', '任務', '任务', '組合單', '组合单', '人事部', '人力資源', '高薪', '讚好', '評分', '神秘顧客', '入選'] },
    cue: { en: ['commission', 'salary', 'wage', 'tasks', 'task', 'hr', 'earn', 'top up', 'rate hotels', 'payout*', 'visa fee', 'paid per', 'uniform', 'medical check'], zh: ['工作', '人工', '報酬', '墊支', '垫支', '中介', '簽證費', '體檢費', '制服費'] },
    weak: { en: ['orders', 'staff'], zh: ['訂單'] },
  },
  romance: {
    strong: { en: ['dating app', 'dating site', 'dating website', 'tinder', 'online boyfriend', 'loved me', 'love you', 'marry', 'married', 'romance', 'future together', 'soulmate', 'settle down', 'proposed'], zh: ['交友', '網戀', '网恋', '戀愛', '恋爱', '男朋友', '女朋友', '男友', '女友', '愛我', '爱我', '老公', '結婚', '结婚', '求婚', '靈魂伴侶', '定落嚟'] },
    cue: { en: ['girlfriend', 'boyfriend', 'love', 'relationship', 'met online', 'dating', 'oil rig', 'chatting', 'chatted', 'widow*', 'handsome'], zh: ['網友', '网友', '將來', '将来', '石油', '認識', '认识', '鰥夫', '機師'] },
    weak: { en: ['partner', 'met', 'visit'], zh: ['見我'] },
  },
  impersonating_officials: {
    strong: { en: ['police', 'public security', 'money laundering', 'arrest', 'warrant', 'wanted list', 'summons', 'court', 'inspector', 'crime bureau', 'safe account', 'investigation', 'customs officer', 'immigration', 'drugs', 'procuratorate', 'monetary authority', 'criminal case', 'suspect'], zh: ['公安', '警察', '警方', '洗黑錢', '洗钱', '通緝', '通缉', '入境處', '入境处', '法院', '傳票', '传票', '督察', '罪案', '安全戶口', '調查', '调查', '毒品', '海關人員', '衛生署', '檢察院', '检察院', '金管局', '刑事', '疑犯'] },
    cue: { en: ['officer', 'official', 'mainland', 'keep it secret', 'clear my name', 'shenzhen', 'case', 'fraud', 'cooperate', 'freeze'], zh: ['內地', '内地', '官員', '涉及', '不要告訴家人', '深圳', '配合', '詐騙', '牽涉'] },
    weak: { en: ['customs', 'hkid', 'department'], zh: ['海關', '保證金'] },
  },
  impersonating_customer_service: {
    strong: { en: ['customer service', 'customer support', 'customer care', 'support agent', 'membership', 'subscription', 'compensat*', 'annual fee', 'charged monthly'], zh: ['客服', '客戶服務', '会员', '會員', '賠償', '赔偿', '年費', '每月收費'] },
    cue: { en: ['refund*', 'cancel*', 'support', 'upgraded', 'booking', 'airline', 'shopee', 'klook', 'amazon', 'payme', 'mobile network', 'confirm my details', 'staff error', 'wallet limit'], zh: ['退款', '取消', '航空公司', '淘寶客服', '預訂', '航班', '系統出錯', '限額', '綁定'] },
    weak: { en: ['staff', 'plan', 'order'], zh: ['職員', '职员', '訂單'] },
    ignore: ['no refund'],
  },
  phishing_bank: {
    strong: { en: ['otp', 'one-time password', 'online banking', 'internet banking', 'hsbc', 'hang seng', 'bochk', 'citibank', 'standard chartered', 'account suspended', 'account has been suspended', 'bank app', 'fraud department', 'credentials', 'security code', 'debit card'], zh: ['驗證碼', '验证码', '一次性密碼', '網上銀行', '网上银行', '網上理財', '認證碼', '保安編碼', '滙豐', '匯豐', '恒生', '渣打', '銀行App', '扣賬卡'] },
    cue: { en: ['bank', 'login', 'password', 'pin', 'verify', 'frozen', 'sms code*', 'cloned', 'new device'], zh: ['銀行', '银行', '密碼', '密码', '凍結', '冻结', '登入', '新裝置', '複製'] },
    weak: { en: ['card', 'account', 'username'], zh: ['信用卡', '戶口', '帳戶', '用戶名稱'] },
    // Paying into a bank account, or handing over bank details, happens in every type; the bank's own
    // name, login or one-time password is what marks bank phishing.
    ignore: ['bank account', 'bank details', '銀行戶口', '銀行資料'],
    link: ['bank', 'hsbc', 'hangseng', 'bochk', 'citi', 'login', 'secure', 'verify'],
  },
  phishing_courier: {
    strong: { en: ['parcel', 'courier', 'redeliver*', 'failed delivery', 'hongkong post', 'hong kong post', 'sf express', 'dhl', 'fedex', 'ups', 'cainiao', 'lalamove', 'shipping surcharge', 'undeliverable', 'sorting centre', 'tracking number'], zh: ['包裹', '速遞', '速递', '快递', '快遞', '郵政', '邮政', '派送', '派件', '派遞', '順豐', '顺丰', '分揀中心', '追蹤編號'] },
    cue: { en: ['package', 'deliver*', 'shipment', 'tracking', 'incomplete address', 'duties'], zh: ['郵件', '邮件', '倉庫', '地址不完整', '扣留', '關稅', '放行'] },
    weak: { en: ['address'], zh: ['地址'] },
    link: ['post', 'hkpost', 'hongkongpost', 'dhl', 'sf', 'fedex', 'ups', 'track', 'parcel', 'redelivery', 'redeliver', 'delivery'],
  },
  phishing_government: {
    strong: { en: ['inland revenue', 'tax refund', 'ird', 'autotoll', 'hketoll', 'toll', 'transport department', 'labour department', 'companies registry', 'business registration', 'driving licence', 'traffic fine*', 'water supplies department', 'water bill', 'government', 'govhk', 'subsidy'], zh: ['稅務局', '税务局', '退稅', '退税', '隧道費', '交通費', '運輸署', '勞工處', '註冊處', '商業登記', '駕駛執照', '罰款', '罚款', '水務署', '水費', '消費券', '消费券', '政府', '津貼', '補貼', '差餉'] },
    cue: { en: ['tax', 'penalty', 'fine', 'licence', 'suspension of supply', 'overdue', 'renewal fee', 'lapse'], zh: ['稅', '税', '繳費', '繳交', '繳付', '逾期', '續期費', '到期'] },
    weak: { en: ['department', 'hkid', 'outstanding'], zh: ['署', '處'] },
    link: ['gov', 'ird', 'tax', 'toll', 'etoll'],
  },
  tech_support: {
    strong: { en: ['virus', 'malware', 'spyware', 'infected', 'anydesk', 'teamviewer', 'remotely', 'screen-sharing', 'screen sharing', 'microsoft', 'windows', 'antivirus', 'tech support', 'support line', 'took control', 'error log*', 'pop-up'], zh: ['電腦', '电脑', '病毒', '遙控', '遠程', '远程', '惡意程式', '間諜軟件', '屏幕分享', '微軟', '微软', '技術部', '技術支援', '支援熱線', '彈出'] },
    cue: { en: ['computer', 'pc', 'laptop', 'hacked', 'repair*', 'remote', 'warning', 'files'], zh: ['維修', '维修', '瀏覽器', '入侵', '寬頻', '宽带', '警告', '授權', '檔案'] },
    weak: { en: ['locked', 'alert', 'install', 'download', 'licence'], zh: ['安裝', '下載', '被鎖'] },
  },
  loan: {
    strong: { en: ['loan', 'lending', 'money lender', 'no credit check', 'processing fee', 'debt', 'mortgage', 'refinanc*', 'repay*', 'arrangement fee', 'interest', 'guarantee fee'], zh: ['貸款', '贷款', '放款', '放債', '批核', '免息', '低息', '按揭', '轉按', '清卡數', '財務公司', '财务公司', '急用錢', '擔保費'] },
    cue: { en: ['borrow', 'credit', 'approved', 'upfront fee', 'up front', 'urgent cash', 'finance company', 'service charge', 'stamp duty', 'harass*'], zh: ['借錢', '借钱', '手續費', '手续费', '前期費用', '解凍', '入息證明', '中介', '服務費', '印花稅', '滋擾', '批咗'] },
    weak: { en: ['cash', 'fee'], zh: ['現金', '借'] },
  },
  sextortion: {
    strong: { en: ['nude', 'naked', 'intimate', 'explicit', 'sexual', 'blackmail', 'sextortion', 'webcam', 'porn', 'deepfake', 'undress*'], zh: ['裸聊', '裸照', '色情', '親密照', '亲密照', '勒索', '合成', '除衫', '性感'] },
    cue: { en: ['video chat', 'recorded', 'recording', 'threaten*', 'post them'], zh: ['恐嚇', '恐吓', '公開', '公开', '錄咗', '錄下', '錄影'] },
    weak: { en: ['video call', 'contacts', 'colleagues'], zh: ['視像', '視頻', '通訊錄'] },
  },
  ticketing: {
    strong: { en: ['ticket', 'concert', 'scalper', 'front row', 'fan meeting', 'musical'], zh: ['門票', '门票', '演唱會', '演唱会', '炒飛', '船飛', '機票', '机票', '入場券', '見面會', '音樂劇'] },
    cue: { en: ['show', 'seat', 'match', 'reseller', 'reselling', 'resale', 'ocean park', 'sold out', 'passes'], zh: ['轉售', '飛', '訂位', '座位', '海洋公園', '比賽', '爆滿'] },
  },
  rental: {
    strong: { en: ['landlord', 'tenant', 'rent', 'rental', 'for lease', 'flat', 'apartment', 'subdivided unit', 'viewing', 'listing', 'parking space', 'homeowner', 'property portal', 'serviced apartment'], zh: ['租屋', '租金', '業主', '业主', '房東', '房东', '按金', '放租', '租客', '劏房', '睇樓', '留盤', '放盤', '車位', '屋主', '服務式住宅', '物業'] },
    cue: { en: ['room', 'unit', 'lease', 'owner', 'agent', 'keys', 'holding deposit', 'occupied'], zh: ['租', '單位', '单位', '地產', '房間', '鎖匙', '留位', '代理', '有人住'] },
    weak: { en: ['deposit', 'address'], zh: ['訂金', '地址'] },
    ignore: ['line rental', 'linerental'],
  },
  other: {
    strong: { en: ['guess who', 'kidnap*', 'ransom', 'fortune teller', 'cursed', 'blessing', 'lucky draw', 'raffle', 'prize', 'jackpot', 'claim code', 'hijacked', 'my boss', 'old classmate', 'landline', 'ppm'], zh: ['猜猜我是誰', '猜猜我是谁', '估下我係邊個', '綁架', '绑架', '贖金', '赎金', '捐款', '祈福', '血光之災', '做法事', '抽中', '抽獎', '中獎', '中奖', '大獎', '大奖', '領獎', '领奖', '盜號', '老闆', '老板', '舊同學'] },
    cue: { en: ['won', 'win', 'awarded', 'congrat*', 'claim', 'free', 'txt', 'nephew', 'new number'], zh: ['獎', '奖', '外甥', '侄', '新號碼'] },
  },
};
