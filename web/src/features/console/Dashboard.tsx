import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';
import Chart, { type ChartSeries } from './Chart';
import { daysBetween } from './chart-days';
import { useOfficer } from './useOfficer';

interface Stats {
  days: number;
  reportsPerDay: { day: string; scamType: string; reports: number }[];
  lossesPerDay: { day: string; currency: string; amount: string }[];
  checksPerDay: { day: string; checks: number }[];
  topClusters: { id: number; reportCount: number; lastWeek: number; weekBefore: number }[];
  suggestions: { labelled: number; agreeing: number; accuracy: number | null };
}

interface PayeeOutcomes {
  days: number;
  outcomesPerDay: { day: string; outcome: string; count: number }[];
  kept: { currency: string; amount: string; payments: number }[];
  falseAlarms: { kind: string; value: string; banks: number; reports: number; last: string }[];
}
interface TelcoOutcomes {
  days: number;
  outcomesPerDay: { day: string; outcome: string; count: number }[];
}
const TELCO_OUTCOMES = ['number_suspended', 'sender_blocked', 'link_blocked', 'takedown_done'] as const;
const OUTCOMES = ['warned_cancelled', 'delayed_cancelled', 'warned_paid', 'delayed_released', 'reported_fraud', 'false_alarm'] as const;

/** The most frequent scam types get their own line; the rest are added up, so the chart stays readable. */
const TYPES_DRAWN = 5;
const PERIODS = ['7', '30', '90', '365'] as const;

/** Per-day series of `rows`, one per group, on the given days (a missing day counts zero). */
function seriesBy<R extends { day: string }>(rows: R[], days: string[], group: (r: R) => string, value: (r: R) => number): Map<string, number[]> {
  const index = new Map(days.map((d, i) => [d, i]));
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    const key = group(r);
    const values = out.get(key) ?? out.set(key, new Array<number>(days.length).fill(0)).get(key)!;
    values[i] = (values[i] ?? 0) + value(r);
  }
  return out;
}

/** The hub at a glance: reports per day by type, losses, public checks, what banks did after payee checks, and the clusters growing fastest. */
export default function Dashboard() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const periodId = useId();
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('30');
  const taxonomy = useTaxonomy();
  const { data: stats, failure } = useOfficer<Stats>(`/stats?days=${period}`);
  const { data: outcomes } = useOfficer<PayeeOutcomes>(`/payee-outcomes?days=${period}`);
  const { data: networkOutcomes } = useOfficer<TelcoOutcomes>(`/telco-outcomes?days=${period}`);
  const { money, date } = useLanguage();

  const charts = useMemo(() => {
    if (stats === null) return null;
    const today = new Date().toISOString().slice(0, 10);
    const days = daysBetween(new Date(Date.now() - (stats.days - 1) * 86_400_000).toISOString().slice(0, 10), today);
    const byType = seriesBy(
      stats.reportsPerDay,
      days,
      (r) => r.scamType,
      (r) => r.reports,
    );
    const ranked = [...byType.entries()].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0));
    const typeName = (code: string) => taxonomy?.scamTypes[code]?.[lang] ?? code;
    const reports: ChartSeries[] = ranked.slice(0, TYPES_DRAWN).map(([code, values]) => ({ label: typeName(code), values }));
    if (ranked.length > TYPES_DRAWN) {
      reports.push({ label: t('console.otherTypes'), values: days.map((_, i) => ranked.slice(TYPES_DRAWN).reduce((n, [, v]) => n + (v[i] ?? 0), 0)) });
    }
    const losses = [
      ...seriesBy(
        stats.lossesPerDay,
        days,
        (r) => r.currency,
        (r) => Number(r.amount),
      ).entries(),
    ].map(([currency, values]) => ({ label: currency, values }));
    const checks = [
      {
        label: t('console.checks'),
        values: [
          ...(seriesBy(
            stats.checksPerDay,
            days,
            () => 'checks',
            (r) => r.checks,
          ).get('checks') ?? days.map(() => 0)),
        ],
      },
    ];
    const byOutcome = seriesBy(
      outcomes?.outcomesPerDay ?? [],
      days,
      (r) => r.outcome,
      (r) => r.count,
    );
    const payees = OUTCOMES.filter((o) => byOutcome.has(o)).map((o) => ({ label: t(`console.payeeOutcomes.${o}`), values: byOutcome.get(o) as number[] }));
    const byAction = seriesBy(
      networkOutcomes?.outcomesPerDay ?? [],
      days,
      (r) => r.outcome,
      (r) => r.count,
    );
    const networks = TELCO_OUTCOMES.filter((o) => byAction.has(o)).map((o) => ({ label: t(`console.telcoOutcomes.${o}`), values: byAction.get(o) as number[] }));
    return { days, reports, losses, checks, payees, networks };
  }, [stats, outcomes, networkOutcomes, taxonomy, lang, t]);

  return (
    <section className="dashboard">
      <h1>{t('console.nav.dashboard')}</h1>
      <label htmlFor={periodId}>{t('console.period')}</label>
      <select id={periodId} value={period} onChange={(e) => setPeriod(e.target.value as (typeof PERIODS)[number])}>
        {PERIODS.map((p) => (
          <option key={p} value={p}>
            {t('console.lastDays', { count: Number(p) })}
          </option>
        ))}
      </select>
      {failure !== null && <p className="error">{failure}</p>}
      {stats !== null && charts !== null && (
        <>
          <div className="charts">
            <Chart title={t('console.reportsPerDay')} days={charts.days} series={charts.reports} />
            <Chart title={t('console.lossesPerDay')} days={charts.days} series={charts.losses} />
            <Chart title={t('console.checksPerDay')} days={charts.days} series={charts.checks} bars />
          </div>
          <h2>{t('console.payeeChecks')}</h2>
          <div className="charts">
            <Chart title={t('console.outcomesPerDay')} days={charts.days} series={charts.payees} />
          </div>
          <p className="facts">
            {outcomes === null || outcomes.kept.length === 0
              ? t('console.noneKept')
              : t('console.kept', { amounts: outcomes.kept.map((k) => money({ amount: k.amount, currency: k.currency })).join(', '), payments: outcomes.kept.reduce((n, k) => n + k.payments, 0) })}
          </p>
          {outcomes !== null && outcomes.falseAlarms.length > 0 && (
            <>
              <h3>{t('console.falseAlarms')}</h3>
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">{t('console.valueCol')}</th>
                    <th scope="col">{t('console.banksCol')}</th>
                    <th scope="col">{t('console.lastCol')}</th>
                  </tr>
                </thead>
                <tbody>
                  {outcomes.falseAlarms.map((f) => (
                    <tr key={`${f.kind} ${f.value}`}>
                      <td>
                        <Link to={`/console/indicators?value=${encodeURIComponent(f.value)}&kind=${f.kind}`}>{f.value}</Link>
                      </td>
                      <td>{f.banks}</td>
                      <td>{date(f.last)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2>{t('console.networks')}</h2>
          <div className="charts">
            <Chart title={t('console.telcoOutcomesPerDay')} days={charts.days} series={charts.networks} />
          </div>
          <h2>{t('console.topClusters')}</h2>
          {stats.topClusters.length === 0 ? (
            <p>{t('console.noData')}</p>
          ) : (
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{t('console.clusterCol')}</th>
                  <th scope="col">{t('console.reportsCol')}</th>
                  <th scope="col">{t('console.lastWeek')}</th>
                  <th scope="col">{t('console.weekBefore')}</th>
                  <th scope="col">{t('console.growth')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.topClusters.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/console/clusters/${c.id}`}>{c.id}</Link>
                    </td>
                    <td>{c.reportCount}</td>
                    <td>{c.lastWeek}</td>
                    <td>{c.weekBefore}</td>
                    <td>{c.weekBefore === 0 ? t('console.growthNew') : `${c.lastWeek >= c.weekBefore ? '▲' : '▼'} ${Math.round(((c.lastWeek - c.weekBefore) / c.weekBefore) * 100)}%`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="facts">
            {stats.suggestions.accuracy === null
              ? t('console.noLabels')
              : t('console.suggestionAccuracy', { agreeing: stats.suggestions.agreeing, labelled: stats.suggestions.labelled, percent: Math.round(stats.suggestions.accuracy * 100) })}
          </p>
        </>
      )}
    </section>
  );
}
