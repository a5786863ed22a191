import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { api, type ScamTips, type Trends } from '../../api';
import { useLanguage } from '../../i18n';

/**
 * How to spot and stop each kind of scam, led by the kinds reported most in the last whole days. The counts
 * come from the API already aggregated; a count under the published minimum never leaves the server.
 */
export function TipsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [trends, setTrends] = useState<Trends | null>(null);
  const [tips, setTips] = useState<ScamTips[] | null>(null);
  const [failed, setFailed] = useState({ trends: false, tips: false });
  // A verdict's "how to spot these scams" link opens its type here (/tips#phishing_courier).
  const wanted = useLocation().hash.slice(1);
  useEffect(() => {
    // Each on its own: the tips still show when the counts cannot be had, and the other way round.
    api.trends().then(setTrends, () => setFailed((f) => ({ ...f, trends: true })));
    api.tips().then(
      (answer) => setTips(answer.tips),
      () => setFailed((f) => ({ ...f, tips: true })),
    );
  }, []);
  useEffect(() => {
    if (tips !== null && wanted !== '') document.getElementById(wanted)?.scrollIntoView();
  }, [tips, wanted]);
  const most = Math.max(1, ...(trends?.types.map((x) => x.recent) ?? []));
  const rank = new Map<string, number>(trends?.types.map((x, i) => [x.scamType, i]));
  // Trending types first, in their order; then the rest in the API's order.
  const ordered = tips === null ? [] : [...tips].sort((a, b) => (rank.get(a.scamType) ?? rank.size) - (rank.get(b.scamType) ?? rank.size));
  return (
    <section className="tips">
      <h1>{t('tips.title')}</h1>
      {failed.trends && <p className="error">{t('tips.trendsFailed')}</p>}
      {failed.tips && <p className="error">{t('tips.tipsFailed')}</p>}
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
      {tips !== null && (
        <>
          <h2>{t('tips.byType')}</h2>
          {ordered.map((tip) => (
            <details key={tip.scamType} id={tip.scamType} className="tip" open={rank.has(tip.scamType) || tip.scamType === wanted}>
              <summary>{tip.label[lang]}</summary>
              <p>
                <strong>{t('tips.signs')}</strong> {tip.signs[lang]}
              </p>
              <ul>
                {tip.tips.map((x) => (
                  <li key={x.en}>{x[lang]}</li>
                ))}
              </ul>
            </details>
          ))}
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
