import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { api, type Label, type Trends } from '../../api';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';

/**
 * How to spot and stop each kind of scam, led by the kinds reported most this week. The counts come from the
 * API already aggregated, and a count under the published minimum never leaves the server.
 */
export function TipsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const taxonomy = useTaxonomy();
  const [trends, setTrends] = useState<Trends | null>(null);
  const [tips, setTips] = useState<Record<string, { signs: Label; tips: Label[] }> | null>(null);
  const [failed, setFailed] = useState(false);
  // A verdict's "how to spot this scam" link opens its type here (/tips#phishing_courier).
  const wanted = useLocation().hash.slice(1);
  useEffect(() => {
    // Each on its own: the tips still show when the counts cannot be had, and the other way round.
    api.trends().then(setTrends, () => setFailed(true));
    api.tips().then(
      (answer) => setTips(answer.tips),
      () => setFailed(true),
    );
  }, []);
  useEffect(() => {
    if (tips !== null && taxonomy !== null && wanted !== '') document.getElementById(wanted)?.scrollIntoView();
  }, [tips, taxonomy, wanted]);
  const most = Math.max(1, ...(trends?.types.map((x) => x.recent) ?? []));
  const trending = new Set(trends?.types.map((x) => x.scamType));
  // Trending types first, in their order; then the rest in the taxonomy's order.
  const order = [...(trends?.types.map((x) => x.scamType) ?? []), ...Object.keys(taxonomy?.scamTypes ?? {}).filter((k) => !trending.has(k))];
  return (
    <section className="tips">
      <h1>{t('tips.title')}</h1>
      {failed && <p className="error">{t('check.failed')}</p>}
      {trends !== null && (
        <>
          <h2>{t('tips.trending', { count: trends.windowDays })}</h2>
          {trends.types.length === 0 ? (
            <p>{t('tips.noTrends', { minimum: trends.smallestPublished })}</p>
          ) : (
            <ol className="trends">
              {trends.types.map((x) => (
                <li key={x.scamType}>
                  <span className="trend-name">{x.label[lang]}</span>
                  <span className="trend-bar" aria-hidden="true">
                    <span style={{ width: `${(x.recent / most) * 100}%` }} />
                  </span>
                  <span className="trend-count">
                    {t('tips.reports', { count: x.recent })}
                    {x.previous === null ? '' : ` ${t(x.recent > x.previous ? 'tips.up' : x.recent < x.previous ? 'tips.down' : 'tips.same', { previous: x.previous })}`}
                  </span>
                </li>
              ))}
            </ol>
          )}
          <p className="hint">{t('tips.privacy', { minimum: trends.smallestPublished, rounded: trends.roundedTo, date: lastDay(trends.until, lang) })}</p>
        </>
      )}
      {tips !== null && taxonomy !== null && (
        <>
          <h2>{t('tips.byType')}</h2>
          {order.map((code) => {
            const tip = tips[code];
            if (tip === undefined) return null;
            return (
              <details key={code} id={code} className="tip" open={trending.has(code) || code === wanted}>
                <summary>{taxonomy.scamTypes[code]?.[lang] ?? code}</summary>
                <p>
                  <strong>{t('tips.signs')}</strong> {tip.signs[lang]}
                </p>
                <ul>
                  {tip.tips.map((x) => (
                    <li key={x.en}>{x[lang]}</li>
                  ))}
                </ul>
              </details>
            );
          })}
          <p>
            <Link to="/">{t('tips.checkLink')}</Link> · <Link to="/report">{t('nav.report')}</Link> · {t('verdict.hotline')}
          </p>
        </>
      )}
    </section>
  );
}

/** The last whole day the counts cover (the windows end at midnight UTC), written the language's way. */
function lastDay(until: string, lang: string): string {
  return new Date(Date.parse(until) - 1).toLocaleDateString(lang === 'en' ? 'en-HK' : 'zh-HK', { timeZone: 'UTC' });
}
