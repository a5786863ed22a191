import { suggestScamType } from '../reports/scam-type-suggester.js';
import { classifyMessage } from './classifier.js';
import type { MessageReading } from './message-answer.js';

/**
 * What a message's wording says: the classifier's label, score and signals, and, when it reads as a scam,
 * the scam type the type suggester finds in it (null when nothing convincing matched).
 */
export function readMessage(text: string, indicators: readonly { kind: string; canonical: string }[], region = 'HK'): MessageReading {
  const classified = classifyMessage(text, { region });
  if (classified.label !== 'scam') return { ...classified, scamType: null };
  const suggestion = suggestScamType(text, indicators);
  return { ...classified, scamType: suggestion.confidence > 0 ? suggestion.scamType : null };
}
