import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CheckResult, Level, Taxonomy } from '../../api';
import { useLanguage } from '../../i18n';
import { DisputeLink } from '../dispute/DisputeLink';

/** Shapes as well as colours: a stop sign, a warning triangle, an information circle, a tick. */
const ICON: Record<Level, string> = {
  high_risk: 'M7 2h10l5 5v10l-5 5H7l-5-5V7zM8 11h8v2H8z',
  suspicious: 'M12 2l11 20H1zM11 9h2v6h-2zm0 8h2v2h-2z',
  no_record: 'M12 2a10 10 0 1 1 0 20a10 10 0 0 1 0-20zM11 10h2v7h-2zm0-4h2v2h-2z',
  verified: 'M12 2a10 10 0 1 1 0 20a10 10 0 0 1 0-20zM10.5 16.5l-4-4 1.4-1.4 2.6 2.6 5.6-5.6 1.4 1.4z',
};

/** The wizard's address for reporting a scam that used this value, its kind stated (the check recognised it). */
export function reportPath(result: Pick<CheckResult, 'canonical' | 'kind'>): string {
  return `/report?${new URLSearchParams({ value: result.canonical, kind: result.kind }).toString()}`;
}

/**
 * One verdict: the level in words and colour (never colour alone), why, the counts and dates, what to do now,
 * and look-alike warnings. Texts come from the API in both languages; the card shows the chosen one. `share`
 * adds a link to this answer alone (for a value found in a message); `report` a link to report a scam with it.
 */
export function VerdictCard({ result, taxonomy, share = false, report = false }: { result: CheckResult; taxonomy: Taxonomy | null; share?: boolean; report?: boolean }) {
  const { t } = useTranslation();
  const { lang, date } = useLanguage();
  const { verdict } = result;
  const types = verdict.scamTypes.map((type) => taxonomy?.scamTypes[type]?.[lang] ?? type).join(lang === 'en' ? ', ' : '、');
  return (
    <article className={`verdict level-${verdict.level}`} aria-labelledby={`v-${result.key}`}>
      <header>
        <p className="value">
          <span className="kind">{t('check.detected', { kind: t(`kind.${result.kind}`, { defaultValue: result.kind }) })}</span>
          <strong dir="auto">{result.display ?? result.canonical}</strong>
        </p>
        <h2 id={`v-${result.key}`} className="level">
          <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d={ICON[verdict.level]} fillRule="evenodd" />
          </svg>{' '}
          {t(`level.${verdict.level}`)}
        </h2>
        <p className="level-hint">{verdict.headline[lang]}</p>
        {result.alternatives.length > 0 && (
          // The same value read as another kind too (8 digits: a phone number and an FPS ID); the card is the worst.
          <p className="also">
            {t('verdict.alsoAs', {
              list: result.alternatives.map((a) => t('verdict.alsoOne', { kind: t(`kind.${a.kind}`), level: t(`level.${a.level}`) })).join(lang === 'en' ? ', ' : '、'),
            })}
          </p>
        )}
      </header>
      {result.lookalikes.map((l) => (
        <p key={l.protected} className="lookalike" role="note">
          {t('verdict.lookalike', { name: l.protected })}
        </p>
      ))}
      <h3>{t('verdict.why')}</h3>
      <ul className="reasons">
        {verdict.reasons.map((r) => (
          <li key={r.code}>{r.message[lang]}</li>
        ))}
      </ul>
      {verdict.reportCount > 0 && (
        <p className="facts">
          {t('verdict.reports', { count: verdict.reportCount })} · {t('verdict.seen', { first: date(verdict.firstSeen), last: date(verdict.lastSeen) })}
          {verdict.updated !== null && (
            <>
              <br />
              {t('verdict.updated', { date: date(verdict.updated) })}
            </>
          )}
          {types !== '' && (
            <>
              <br />
              {t('verdict.types', { types })}
            </>
          )}
        </p>
      )}
      <h3>{t('verdict.advice')}</h3>
      <ul className="advice">
        {verdict.advice[lang].map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {verdict.scamTypes.length > 0 && (
        <p>
          {t('verdict.tipsFor')}{' '}
          {verdict.scamTypes.slice(0, 3).map((type, i) => (
            <span key={type}>
              {i > 0 && ' · '}
              <Link to={`/tips#${type}`}>{taxonomy?.scamTypes[type]?.[lang] ?? type}</Link>
            </span>
          ))}
        </p>
      )}
      {(share || (report && verdict.level !== 'verified')) && (
        <p className="card-links">
          {share && <Link to={`/?${new URLSearchParams({ value: result.canonical }).toString()}`}>{t('check.shareLink')}</Link>}
          {report && verdict.level !== 'verified' && <Link to={reportPath(result)}>{t('check.reportIt')}</Link>}
        </p>
      )}
      {report && <DisputeLink result={result} />}
    </article>
  );
}
