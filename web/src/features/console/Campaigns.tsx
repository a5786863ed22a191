import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLanguage } from '../../i18n';
import { ReasonedAction } from './ReasonedAction';
import { canAct, officer } from './session';
import { ResultLine, useAction, useOfficer } from './useOfficer';

// uPlot is loaded only when a campaign is opened.
const Chart = lazy(() => import('./Chart'));

interface CampaignSummary {
  id: number;
  template: string;
  messages: number;
  forwards: number;
  senders: number;
  firstSeen: string;
  lastSeen: string;
  score: number;
  sharedAt: string | null;
}

interface CampaignDetail extends CampaignSummary {
  texts: { id: number; text: string; subject: string | null; channel: string; forwards: number; label: string; score: number; lastSeen: string }[];
  senderList: { sender: string; forwards: number }[];
  links: { canonical: string; forwards: number }[];
  perHour: { hour: string; forwards: number }[];
}

/** Every hour from the first to the last (UTC), the quiet ones at 0, so the chart's gaps are real. */
function hoursOf(perHour: CampaignDetail['perHour']): { hours: string[]; values: number[] } {
  if (perHour.length === 0) return { hours: [], values: [] };
  const counts = new Map(perHour.map((h) => [h.hour, h.forwards]));
  const hours: string[] = [];
  const last = Date.parse(`${perHour[perHour.length - 1]!.hour}:00:00Z`);
  for (let at = Date.parse(`${perHour[0]!.hour}:00:00Z`); at <= last; at += 3_600_000) hours.push(new Date(at).toISOString().slice(0, 13));
  return { hours, values: hours.map((h) => counts.get(h) ?? 0) };
}

/** Campaigns: forwarded messages of one template, the most recently active first. */
export function CampaignList() {
  const { t } = useTranslation();
  const { date } = useLanguage();
  const { data, failure } = useOfficer<{ campaigns: CampaignSummary[] }>('/campaigns?limit=50');
  return (
    <section>
      <h1>{t('console.nav.campaigns')}</h1>
      <p className="hint">{t('console.campaigns.intro')}</p>
      {failure !== null && <p className="error">{failure}</p>}
      {data !== null && data.campaigns.length === 0 && <p>{t('console.noData')}</p>}
      {data !== null && data.campaigns.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('console.campaigns.template')}</th>
              <th scope="col">{t('console.campaigns.forwards')}</th>
              <th scope="col">{t('console.campaigns.messages')}</th>
              <th scope="col">{t('console.campaigns.senders')}</th>
              <th scope="col">{t('console.lastSeenCol')}</th>
              <th scope="col">{t('console.campaigns.shared')}</th>
            </tr>
          </thead>
          <tbody>
            {data.campaigns.map((c) => (
              <tr key={c.id}>
                <td className="template" dir="auto">
                  <Link to={`/console/campaigns/${c.id}`}>{c.template.length > 120 ? `${c.template.slice(0, 120)}…` : c.template}</Link>
                </td>
                <td>{c.forwards}</td>
                <td>{c.messages}</td>
                <td>{c.senders}</td>
                <td>{date(c.lastSeen)}</td>
                <td>{c.sharedAt === null ? '—' : date(c.sharedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One campaign: its template, volume per hour, senders, links and messages; sharing its template with telcos. */
export function CampaignView() {
  const { t } = useTranslation();
  const { date, time } = useLanguage();
  const { id } = useParams();
  const { data: campaign, failure, reload } = useOfficer<CampaignDetail>(`/campaigns/${id ?? ''}`);
  const { result, run } = useAction();
  const chart = useMemo(() => (campaign === null ? null : hoursOf(campaign.perHour)), [campaign]);
  if (failure !== null) return <p className="error">{failure}</p>;
  if (campaign === null || chart === null) return <p>{t('console.loading')}</p>;
  const act = (action: 'share' | 'withdraw', reason: string) =>
    run(
      async () => {
        const answer = await officer<{ changed: boolean }>(`/campaigns/${campaign.id}/${action}`, { reason });
        await reload();
        return answer;
      },
      (answer) => t(answer.changed ? `console.campaigns.${action}Done` : `console.campaigns.${action}Already`),
      reason,
    );
  return (
    <section>
      <h1>{t('console.campaigns.title', { id: campaign.id })}</h1>
      <p className="template" dir="auto">
        {campaign.template}
      </p>
      <dl className="facts">
        <div>
          <dt>{t('console.campaigns.forwards')}</dt>
          <dd>{campaign.forwards}</dd>
        </div>
        <div>
          <dt>{t('console.campaigns.messages')}</dt>
          <dd>{campaign.messages}</dd>
        </div>
        <div>
          <dt>{t('console.campaigns.seen')}</dt>
          <dd>
            {date(campaign.firstSeen)} – {date(campaign.lastSeen)}
          </dd>
        </div>
        <div>
          <dt>{t('console.campaigns.score')}</dt>
          <dd>{campaign.score.toFixed(2)}</dd>
        </div>
        <div>
          <dt>{t('console.campaigns.shared')}</dt>
          <dd>{campaign.sharedAt === null ? t('console.campaigns.notShared') : time(campaign.sharedAt)}</dd>
        </div>
      </dl>

      <Suspense fallback={<p>{t('console.loading')}</p>}>
        <Chart title={t('console.campaigns.perHour')} days={chart.hours} series={[{ label: t('console.campaigns.forwards'), values: chart.values }]} bars hourly />
      </Suspense>

      <div className="columns">
        <div>
          <h2>{t('console.campaigns.senders')}</h2>
          <ul>
            {campaign.senderList.map((s) => (
              <li key={s.sender} dir="auto">
                {s.sender} · {s.forwards}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h2>{t('console.campaigns.links')}</h2>
          <ul>
            {campaign.links.map((l) => (
              <li key={l.canonical}>
                <Link to={`/console/indicators?value=${encodeURIComponent(l.canonical)}`} dir="auto">
                  {l.canonical}
                </Link>{' '}
                · {l.forwards}
              </li>
            ))}
          </ul>
        </div>
      </div>

      <h2>{t('console.campaigns.texts')}</h2>
      <ol className="queue">
        {campaign.texts.map((m) => (
          <li key={m.id}>
            <p dir="auto">{m.subject === null ? m.text : `${m.subject} — ${m.text}`}</p>
            <p className="kind">{t('console.campaigns.textFacts', { forwards: m.forwards, channel: m.channel, score: m.score.toFixed(2) })}</p>
          </li>
        ))}
      </ol>

      {canAct() && (
        <>
          <h2>{t('console.campaigns.telcos')}</h2>
          <p className="hint">{t('console.campaigns.telcosHint')}</p>
          {campaign.sharedAt === null ? (
            <ReasonedAction button={t('console.campaigns.share')} run={(reason) => act('share', reason)} />
          ) : (
            <ReasonedAction button={t('console.campaigns.withdraw')} run={(reason) => act('withdraw', reason)} />
          )}
          <ResultLine result={result} />
        </>
      )}
    </section>
  );
}
