import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';
import { daysBetween } from './chart-days';
import type { Graph } from './ClusterGraph';
import { QueueEntry, type QueueItem } from './Queue';
import { indicatorPath } from './paths';
import { canAct, officer } from './session';
import { ReasonedAction } from './ReasonedAction';
import { ResultLine, useAction, useOfficer } from './useOfficer';
import { OutcomeSelect, ReferralFields, type Outcome, type ReferralTarget } from './vocab';

// Cytoscape and uPlot are loaded only when a cluster is opened.
const ClusterGraph = lazy(() => import('./ClusterGraph'));
const Chart = lazy(() => import('./Chart'));

interface Cluster {
  id: number;
  reportCount: number;
  reporterCount: number;
  loss: { currency: string; amount: string }[];
  firstSeen: string | null;
  lastSeen: string | null;
  perDay: { day: string; reports: number }[];
  scamTypes: { scamType: string; reports: number }[];
  channels: { channel: string; reports: number }[];
  statuses: { status: string; reports: number }[];
  topIndicators: { key: string; kind: string; reports: number }[];
  status: string;
  suggestions: { cluster: number; relation: string; key: string; via: string }[];
}

const valueOf = (key: string): string => key.slice(key.indexOf(':') + 1);

/** A cluster: its summary, a timeline, the graph of reports and shared values, related clusters, its reports, and actions on all of them. */
export function ClusterView() {
  const { t } = useTranslation();
  const { lang, date, money } = useLanguage();
  const { id = '' } = useParams();
  const { data: cluster, failure, reload } = useOfficer<Cluster>(`/clusters/${encodeURIComponent(id)}`);
  const { data: graph } = useOfficer<Graph>(`/clusters/${encodeURIComponent(id)}/graph`);
  const { data: reports, reload: reloadReports } = useOfficer<{ total: number; items: QueueItem[] }>(`/clusters/${encodeURIComponent(id)}/reports?limit=50`);
  const taxonomy = useTaxonomy();
  const [target, setTarget] = useState<ReferralTarget>({ kind: 'unit', name: '' });
  const [outcome, setOutcome] = useState<Outcome>('action_taken');
  const { result, run } = useAction();
  const timeline = useMemo(() => {
    if (cluster === null || cluster.perDay.length === 0) return null;
    // At least two weeks, so that a young cluster's first days read against the quiet before them.
    const last = cluster.perDay[cluster.perDay.length - 1]!.day;
    const twoWeeksBefore = new Date(Date.parse(`${last}T00:00:00Z`) - 13 * 86_400_000).toISOString().slice(0, 10);
    const first = cluster.perDay[0]!.day < twoWeeksBefore ? cluster.perDay[0]!.day : twoWeeksBefore;
    const days = daysBetween(first, last);
    const perDay = new Map(cluster.perDay.map((d) => [d.day, d.reports]));
    return { days, series: [{ label: t('console.reportsCol'), values: days.map((d) => perDay.get(d) ?? 0) }] };
  }, [cluster, t]);

  /** One action on every report of the cluster; refer and close with the reason given beside their buttons. */
  async function bulk(action: 'triage' | 'refer' | 'close', reason?: string): Promise<boolean> {
    const body = action === 'triage' ? {} : action === 'refer' ? { target, reason } : { outcome, reason };
    const done = await run(
      () => officer<{ reports: number }>(`/clusters/${id}/${action}`, body),
      (answer) => t('console.bulkDone', { count: answer.reports }),
      reason,
    );
    if (done) await Promise.all([reload(), reloadReports()]);
    return done;
  }

  if (cluster === null) return <p aria-live="polite">{failure ?? t('console.loading')}</p>;
  const typeName = (code: string) => taxonomy?.scamTypes[code]?.[lang] ?? code;
  return (
    <section className="cluster">
      <h1>{t('console.clusterTitle', { id: cluster.id })}</h1>
      <dl className="summary">
        <div>
          <dt>{t('console.reportsCol')}</dt>
          <dd>{cluster.reportCount}</dd>
        </div>
        <div>
          <dt>{t('console.reportersCol')}</dt>
          <dd>{cluster.reporterCount}</dd>
        </div>
        <div>
          <dt>{t('console.lossCol')}</dt>
          <dd>{cluster.loss.map(money).join(', ') || '—'}</dd>
        </div>
        <div>
          <dt>{t('console.seen')}</dt>
          <dd>
            {date(cluster.firstSeen)} – {date(cluster.lastSeen)}
          </dd>
        </div>
        <div>
          <dt>{t('console.statusCol')}</dt>
          <dd>
            {t(`console.status.${cluster.status}`)} ({cluster.statuses.map((s) => `${t(`console.status.${s.status}`)} ${s.reports}`).join(', ')})
          </dd>
        </div>
        <div>
          <dt>{t('console.filter.type')}</dt>
          <dd>{cluster.scamTypes.map((s) => `${typeName(s.scamType)} ${s.reports}`).join(', ')}</dd>
        </div>
        <div>
          <dt>{t('console.channel')}</dt>
          <dd>{cluster.channels.map((c) => `${taxonomy?.channels[c.channel]?.[lang] ?? c.channel} ${c.reports}`).join(', ')}</dd>
        </div>
      </dl>

      <h2>{t('console.timeline')}</h2>
      <Suspense fallback={<p>{t('console.loading')}</p>}>{timeline !== null && <Chart title={t('console.reportsPerDayCluster')} days={timeline.days} series={timeline.series} bars />}</Suspense>

      <h2>{t('console.graph')}</h2>
      <Suspense fallback={<p>{t('console.loading')}</p>}>{graph !== null && <ClusterGraph graph={graph} />}</Suspense>

      <h2>{t('console.heldBy')}</h2>
      <ul className="indicators">
        {cluster.topIndicators.map((i) => (
          <li key={i.key}>
            <Link to={indicatorPath(valueOf(i.key), i.kind)} dir="auto">
              {valueOf(i.key)}
            </Link>{' '}
            <span className="kind">
              ({t(`kind.${i.kind}`, { defaultValue: i.kind })}) · {t('verdict.reports', { count: i.reports })}
            </span>
          </li>
        ))}
      </ul>

      <h2>{t('console.suggestions')}</h2>
      {cluster.suggestions.length === 0 ? (
        <p>{t('console.noSuggestions')}</p>
      ) : (
        <ul>
          {cluster.suggestions.map((s) => (
            <li key={`${s.cluster}-${s.key}`}>
              <Link to={`/console/clusters/${s.cluster}`}>{t('console.clusterOnly', { id: s.cluster })}</Link>: {t(`console.relations.${s.relation}`, { defaultValue: s.relation })} ({valueOf(s.key)} ~{' '}
              {s.via})
            </li>
          ))}
        </ul>
      )}

      {canAct() && (
        <>
          <h2>{t('console.actOnCluster')}</h2>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void bulk('triage')}>
              {t('console.triageAll')}
            </button>
          </div>
          <ReasonedAction button={t('console.referAll')} run={(reason) => bulk('refer', reason)}>
            <ReferralFields value={target} onChange={setTarget} />
          </ReasonedAction>
          <ReasonedAction button={t('console.closeAll')} run={(reason) => bulk('close', reason)}>
            <OutcomeSelect value={outcome} onChange={setOutcome} />
          </ReasonedAction>
          <ResultLine result={result} />
        </>
      )}

      <h2>{t('console.clusterReports', { count: reports?.total ?? cluster.reportCount })}</h2>
      <ol className="queue">
        {reports?.items.map((item) => (
          <QueueEntry key={item.reference} item={item} />
        ))}
      </ol>
    </section>
  );
}
