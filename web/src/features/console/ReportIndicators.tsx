import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { indicatorPath } from './paths';
import { ReasonedAction } from './ReasonedAction';

export interface ReportIndicator {
  key: string;
  kind: string;
  canonical: string;
  role: string | null;
  extracted: boolean;
}

/**
 * A report's values: each with its kind, the role the reporter gave it (or that it was only found in the
 * story), its verdict now, and, for an officer, "confirm as high risk" opening its reason box beside it.
 */
export function ReportIndicators({
  indicators,
  levels,
  acting,
  confirm,
}: {
  indicators: ReportIndicator[];
  levels: Record<string, string>;
  acting: boolean;
  confirm: (indicator: ReportIndicator, reason: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <ul className="indicators">
      {indicators.map((i) => (
        <li key={i.key}>
          <Link to={indicatorPath(i.canonical, i.kind)} dir="auto">
            {i.canonical}
          </Link>{' '}
          <span className="kind">
            {t('console.kindAndRole', {
              kind: t(`kind.${i.kind}`, { defaultValue: i.kind }),
              role: i.extracted ? t('console.extracted') : i.role === null ? t('console.noRole') : t('console.givenAs', { role: t(`role.${i.role}`, { defaultValue: i.role }) }),
            })}
          </span>
          <span className={`badge level-${levels[i.key] ?? 'no_record'}`}>{levels[i.key] === undefined ? '…' : t(`level.${levels[i.key]}`)}</span>
          {acting && levels[i.key] !== 'high_risk' && confirming !== i.key && (
            <button type="button" className="secondary small" onClick={() => setConfirming(i.key)}>
              {t('console.confirmHighRisk')}
            </button>
          )}
          {acting && confirming === i.key && (
            <div className="confirm-row">
              <ReasonedAction
                focus
                button={t('console.confirmButton')}
                reasonLabel={t('console.confirmWhy', { value: i.canonical })}
                run={async (reason) => {
                  const done = await confirm(i, reason);
                  if (done) setConfirming(null);
                  return done;
                }}
              />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
