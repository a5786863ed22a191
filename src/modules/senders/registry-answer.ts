import type { RegistryAnswer } from '../verdicts/verdicts.service.js';
import type { SenderRegistryService } from './sender-registry.service.js';

/**
 * What a check of an SMS sender ID shows of the registry; null while the registry is empty (then a `#`
 * proves nothing either way, and saying "unregistered" of every sender would be false).
 */
export function registryAnswer(senders: Pick<SenderRegistryService, 'view' | 'assess'>, sender: string, now = new Date()): RegistryAnswer | null {
  if (senders.view().size === 0) return null;
  const assessment = senders.assess(sender, now);
  return {
    status: assessment.status,
    ...(assessment.entry === undefined || assessment.status === 'not_registered' || assessment.status === 'unregistered_hash'
      ? {}
      : { senderId: assessment.entry.senderId, organisation: assessment.entry.organisation }),
    reasons: assessment.reasons.map((r) => ({ code: r.code, en: r.en, 'zh-Hant': r['zh-Hant'] })),
  };
}
