import { readFileSync } from 'node:fs';
import { hashFraction, normalizeForSplit, type MessageLabel, type TrainingExample } from '../src/modules/messages/classifier-train.js';
import { SHARED_DATA_DIR } from '../test/helpers/shared-data.js';

/**
 * The labelled messages the scam classifier is trained and measured on, and their split; read by
 * scripts/train-classifier.ts, scripts/measure-classifier.ts and test/data/classifier.test.ts, so all three
 * see the same rows on the same side.
 *
 * - English: the SMS Spam Collection (`../shared/data/sms-spam-collection/train.tsv`, read in place: its licence
 *   asks for attribution, and none of its text is copied into the repository). A row is held out when the
 *   SHA-256 of its normalized text falls in the first quarter, so every copy of a message (the collection
 *   has many) is on the same side.
 * - Chinese: `test/data/messages.zh-Hant.jsonl`, written for Scamgraph, whose rows carry their split.
 */

export type Split = 'train' | 'heldout';

export interface LabelledMessage {
  id: string;
  lang: 'en' | 'zh-Hant';
  label: MessageLabel;
  split: Split;
  text: string;
  /** The region its phone numbers are read in: the collection is British, the Chinese set is Hong Kong's. */
  region: string;
  scamType?: string;
}

/** The share of the English collection held out, by hash. */
export const ENGLISH_HELDOUT_SHARE = 0.25;

export const SMS_FILE = 'sms-spam-collection/train.tsv';
export const CHINESE_FILE = new URL('../test/data/messages.zh-Hant.jsonl', import.meta.url);

export { normalizeForSplit };

/** The side of the English split a message falls on. */
export function englishSplit(text: string): Split {
  return hashFraction(text) < ENGLISH_HELDOUT_SHARE ? 'heldout' : 'train';
}

/** The English messages, with ids `sms:LINE` (the line in the shared file). */
export function englishMessages(): LabelledMessage[] {
  const lines = readFileSync(SHARED_DATA_DIR + SMS_FILE, 'utf8').split('\n');
  const out: LabelledMessage[] = [];
  lines.forEach((line, i) => {
    const tab = line.indexOf('\t');
    if (tab === -1) return;
    const label = line.slice(0, tab);
    const text = line.slice(tab + 1).replace(/\r$/, '');
    if (label !== 'ham' && label !== 'spam') throw new Error(`${SMS_FILE}:${i + 1}: unknown label ${label}`);
    out.push({ id: `sms:${i + 1}`, lang: 'en', label: label === 'spam' ? 'scam' : 'not_scam', split: englishSplit(text), text, region: 'GB' });
  });
  return out;
}

/** The Chinese messages as written in the file. */
export function chineseMessages(): LabelledMessage[] {
  return readFileSync(CHINESE_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const row = JSON.parse(l) as Omit<LabelledMessage, 'region'>;
      return { ...row, region: 'HK' };
    });
}

/** Both sets, or one side of their split. */
export function labelledMessages(split?: Split): LabelledMessage[] {
  return [...englishMessages(), ...chineseMessages()].filter((m) => split === undefined || m.split === split);
}

/** What the model is trained on: the training side of both sets, each read in its own region. */
export function trainingExamples(): TrainingExample[] {
  return labelledMessages('train').map((m) => ({ text: m.text, label: m.label, region: m.region }));
}
