import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n';

// uPlot is loaded only when a chart is drawn: the public pages' first load stays small.
const Chart = lazy(() => import('../console/Chart'));

export interface MonthlyLine {
  label: string;
  /** One per month; null where the count is under the smallest published. */
  counts: (number | null)[];
}

/**
 * Monthly counts drawn by the console's chart, with the same numbers as a table of months. The chart's own
 * table is of days (it draws a month at its first day), so it is hidden (transparency.css) and this one, which
 * names months and says "under 10" where a count is not published, stands for it. Series with nothing
 * published are left out, so that a chart is not a stack of flat lines; an unpublished month draws as 0.
 */
export function MonthlyFigure({ title, months, lines, minimum }: { title: string; months: string[]; lines: MonthlyLine[]; minimum: number }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const locale = lang === 'en' ? 'en-HK' : 'zh-HK';
  const shown = useMemo(() => lines.filter((l) => l.counts.some((c) => c !== null)), [lines]);
  const days = useMemo(() => months.map((m) => `${m}-01`), [months]);
  const series = useMemo(() => shown.map((l) => ({ label: l.label, values: l.counts.map((c) => c ?? 0) })), [shown]);
  if (shown.length === 0) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="hint">{t('transparency.nothing', { minimum })}</p>
      </figure>
    );
  }
  const monthName = (m: string): string => new Date(`${m}-01T00:00:00Z`).toLocaleDateString(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  return (
    <div className="monthly">
      <Suspense
        fallback={
          <figure className="chart">
            <figcaption>{title}</figcaption>
            <div className="chart-waiting" />
          </figure>
        }
      >
        {/* Lines, not bars: the chart pads its axis by half a day, which would cut the first and last month's bars in half. */}
        <Chart title={title} days={days} series={series} />
      </Suspense>
      <details>
        <summary>{t('console.asTable')}</summary>
        <table className="grid counts">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('transparency.month')}</th>
              {shown.map((l) => (
                <th key={l.label} scope="col">
                  {l.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((m, i) => (
              <tr key={m}>
                <th scope="row">{monthName(m)}</th>
                {shown.map((l) => (
                  <td key={l.label}>{l.counts[i] == null ? t('transparency.under', { minimum }) : (l.counts[i] as number).toLocaleString(locale)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
