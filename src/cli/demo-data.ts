/**
 * DEMO DATA: invented campaigns for trying Scamgraph out. Every report says [DEMO] in its narrative, comes
 * from the source "demo", and every number, link and account here is made up for the demo.
 */
export interface DemoCampaign {
  scamType: string;
  channel: string;
  narrative: string;
  indicators: { value: string; role: string }[];
  reports: number;
  loss: number;
}

export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  {
    scamType: 'phishing_courier',
    channel: 'sms',
    narrative: '[DEMO] SMS said my parcel was held and asked for a HK$12 redelivery fee at a link.',
    indicators: [
      { value: 'https://demo-hkpost-redelivery.top/pay', role: 'link' },
      { value: '+852 5123 0001', role: 'sender' },
    ],
    reports: 7,
    loss: 12,
  },
  {
    scamType: 'investment',
    channel: 'whatsapp',
    narrative: '[DEMO] A "teacher" in a WhatsApp group promised 30% a month and asked me to transfer to an account.',
    indicators: [
      { value: '+852 6123 0002', role: 'caller' },
      { value: '004-123-456789', role: 'payee_account' },
    ],
    reports: 4,
    loss: 85_000,
  },
  {
    scamType: 'impersonating_officials',
    channel: 'call',
    narrative: '[DEMO] Caller said he was from the immigration department and that I was under investigation.',
    indicators: [{ value: '+852 9123 0003', role: 'caller' }],
    reports: 2,
    loss: 0,
  },
  {
    scamType: 'online_shopping',
    channel: 'social_media',
    narrative: '[DEMO] Paid a deposit for concert tickets by FPS; the seller disappeared.',
    indicators: [{ value: 'fps:1234567', role: 'payment_proxy' }],
    reports: 1,
    loss: 1_800,
  },
];

/** A demo feed of phishing links from a "trusted source", and entities the demo protects. */
export const DEMO_FEED = ['https://demo-bank-verify.xyz/login', 'http://demo-tax-refund.click/hk'];
export const DEMO_PROTECTED = [
  { value: 'hsbc.com.hk', kind: 'domain', name: 'HSBC Hong Kong (demo entry)' },
  { value: '#HSBC', kind: 'sms_sender', name: 'HSBC Hong Kong (demo entry)' },
  { value: '+852 2233 3000', kind: 'phone', name: 'HSBC Hong Kong hotline (demo entry)' },
] as const;
