import type { RegistryEntry, SenderReason, SenderReasonCode } from './sender-registry.types.js';

type Text = (sender: string, entry: RegistryEntry | undefined) => { en: string; 'zh-Hant': string };

const id = (e: RegistryEntry | undefined): string => e?.senderId ?? '';
const org = (e: RegistryEntry | undefined): string => e?.organisation ?? '';

/**
 * The public's explanations, one per reason code, in English and Traditional Chinese. Kept short: they are
 * shown beside a check's answer, and the scheme's own wording (已登記短訊發送人, 「#」) is what people are taught.
 */
const TEXTS: Record<SenderReasonCode, Text> = {
  REGISTERED: (_s, e) => ({
    en: `${id(e)} is a registered SMS sender of ${org(e)}.`,
    'zh-Hant': `${id(e)} 是 ${org(e)} 的已登記短訊發送人。`,
  }),
  SUSPENDED: (_s, e) => ({
    en: `The registration of ${id(e)} (${org(e)}) is suspended: messages from it are not from a registered sender now.`,
    'zh-Hant': `${id(e)}（${org(e)}）的登記已暫停：現時來自此名稱的短訊並非來自已登記發送人。`,
  }),
  EXPIRED: (_s, e) => ({
    en: `The registration of ${id(e)} (${org(e)}) ended on ${e?.expiresOn ?? ''}.`,
    'zh-Hant': `${id(e)}（${org(e)}）的登記已於 ${e?.expiresOn ?? ''} 屆滿。`,
  }),
  NOT_YET_REGISTERED: (_s, e) => ({
    en: `${id(e)} (${org(e)}) is registered only from ${e?.registeredOn ?? ''}: a message from it before then is not genuine.`,
    'zh-Hant': `${id(e)}（${org(e)}）由 ${e?.registeredOn ?? ''} 起才登記：在此之前來自此名稱的短訊並非真確。`,
  }),
  CONFUSABLE: (s, e) => ({
    en: `“${s}” looks like the registered sender ${id(e)} (${org(e)}) but is written with other characters.`,
    'zh-Hant': `「${s}」看似已登記發送人 ${id(e)}（${org(e)}），但用了其他字元。`,
  }),
  MISSING_HASH: (s, e) => ({
    en: `“${s}” is the registered sender ${id(e)} (${org(e)}) without its #: messages from registered senders always show the #.`,
    'zh-Hant': `「${s}」是已登記發送人 ${id(e)}（${org(e)}）去掉了「#」：已登記發送人的短訊一定顯示「#」。`,
  }),
  AFFIX: (s, e) => ({
    en: `“${s}” is the registered sender ${id(e)} (${org(e)}) with something added: it is not that sender.`,
    'zh-Hant': `「${s}」是在已登記發送人 ${id(e)}（${org(e)}）加上其他字元：並非該發送人。`,
  }),
  EDIT_DISTANCE: (s, e) => ({
    en: `“${s}” differs from the registered sender ${id(e)} (${org(e)}) by one character.`,
    'zh-Hant': `「${s}」與已登記發送人 ${id(e)}（${org(e)}）只差一個字元。`,
  }),
  UNREGISTERED_HASH: (s) => ({
    en: `“${s}” starts with # but is not a registered sender: a message showing it is spoofed.`,
    'zh-Hant': `「${s}」以「#」開頭，但並非已登記發送人：顯示此名稱的短訊是偽冒的。`,
  }),
  NOT_REGISTERED: (s) => ({
    en: `“${s}” is not in the SMS Sender Registry; organisations in the scheme send from IDs starting with #.`,
    'zh-Hant': `「${s}」不在短訊發送人登記冊內；參與計劃的機構以「#」開頭的名稱發送短訊。`,
  }),
};

/** One reason, with its texts for this sender and entry. */
export function senderReason(code: SenderReasonCode, sender: string, entry?: RegistryEntry): SenderReason {
  return { code, ...TEXTS[code](sender, entry) };
}
