import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CheckError, CheckResult, Level, MessageReadingAnswer } from '../../api';

/**
 * The overall answer about a pasted message, above the cards of what it holds: how many of its values are
 * high risk or suspicious, what that means, and a way to report the message (it goes to the wizard in the
 * page's history state, never in an address). When the classifier reads the wording as a scam's, it says so
 * and with which words; that reading never changes a value's level.
 */
export function MessageSummary({ message, results, reading }: { message: string; results: (CheckResult | CheckError)[]; reading: MessageReadingAnswer | null }) {
  const { t } = useTranslation();
  const count = (level: Level) => results.filter((r) => !('error' in r) && r.verdict.level === level).length;
  const high = count('high_risk');
  const suspicious = count('suspicious');
  const unchecked = results.filter((r) => 'error' in r).length;
  const looksLikeScam = reading?.reading.label === 'scam';
  const level: Level = high > 0 ? 'high_risk' : suspicious > 0 || looksLikeScam ? 'suspicious' : 'no_record';
  const answer = high > 0 ? t('check.summary.high', { count: high }) : suspicious > 0 ? t('check.summary.suspicious', { count: suspicious }) : t('check.summary.none');
  return (
    <div className={`overall level-${level}`}>
      <h2 className="overall-answer">{answer}</h2>
      {looksLikeScam && (
        <p className="message-reading" dir="auto">
          {reading.summary}
        </p>
      )}
      {high > 0 && suspicious > 0 && <p>{t('check.summary.alsoSuspicious', { count: suspicious })}</p>}
      <p>{t(`check.summary.advice.${level}`)}</p>
      {unchecked > 0 && <p>{t('check.summary.unchecked', { count: unchecked })}</p>}
      <p>
        <Link to="/report" state={{ message }}>
          {t('check.reportMessage')}
        </Link>
      </p>
    </div>
  );
}
