import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useLanguage } from '../../i18n';
import { ReasonedAction } from './ReasonedAction';
import { canAct, officer } from './session';
import { ResultLine, useAction, useOfficer } from './useOfficer';

type Decision = 'uphold' | 'clear' | 'verify' | 'reject';

interface DisputeSummary {
  reference: string;
  request: 'dispute' | 'verify';
  kind: string;
  canonical: string;
  role: 'owner' | 'representative';
  organisation: string | null;
  status: 'open' | 'upheld' | 'cleared' | 'verified' | 'rejected';
  levelAtSubmission: string;
  levelNow: string;
  receivedAt: string;
  decidedAt: string | null;
}

interface DisputeDetail extends DisputeSummary {
  explanation: string;
  evidence: string;
  links: string[];
  decision: { by: string; reason: string; at: string } | null;
}

const DECISIONS: Record<DisputeSummary['request'], Decision[]> = { dispute: ['uphold', 'clear'], verify: ['verify', 'reject'] };

/** The dispute queue: open disputes first, the longest waiting first; a filter for decided ones. */
export function DisputeList() {
  const { t } = useTranslation();
  const { date } = useLanguage();
  const filterId = useId();
  const [filter, setFilter] = useState<'open' | 'decided' | 'all'>('all');
  const { data, failure } = useOfficer<{ disputes: DisputeSummary[]; total: number }>(`/disputes?status=${filter}&limit=100`);
  return (
    <section>
      <h1>{t('dispute.console.title')}</h1>
      <p className="hint">{t('dispute.console.intro')}</p>
      <div className="filters">
        <div>
          <label htmlFor={filterId}>{t('dispute.console.show')}</label>
          <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
            {(['all', 'open', 'decided'] as const).map((f) => (
              <option key={f} value={f}>
                {t(`dispute.console.filters.${f}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {failure !== null && <p className="error">{failure}</p>}
      {data !== null && data.disputes.length === 0 && <p>{t('dispute.console.empty')}</p>}
      {data !== null && data.disputes.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('dispute.console.reference')}</th>
              <th scope="col">{t('dispute.console.request')}</th>
              <th scope="col">{t('dispute.console.value')}</th>
              <th scope="col">{t('dispute.console.who')}</th>
              <th scope="col">{t('dispute.console.levelNow')}</th>
              <th scope="col">{t('dispute.console.receivedCol')}</th>
              <th scope="col">{t('dispute.console.statusCol')}</th>
            </tr>
          </thead>
          <tbody>
            {data.disputes.map((d) => (
              <tr key={d.reference}>
                <td>
                  <Link to={`/console/disputes/${d.reference}`}>{d.reference}</Link>
                </td>
                <td>{t(`dispute.console.requests.${d.request}`)}</td>
                <td dir="auto">{d.canonical}</td>
                <td>
                  {t(`dispute.console.roles.${d.role}`)}
                  {d.organisation !== null && <> · <bdi>{d.organisation}</bdi></>}
                </td>
                <td>{t(`level.${d.levelNow}`)}</td>
                <td>{date(d.receivedAt)}</td>
                <td>{t(`dispute.console.statuses.${d.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One dispute: what they say and show, the value's level then and now, the decision with its reason, the contact on an audited reveal. */
export function DisputeView() {
  const { t } = useTranslation();
  const { date, time } = useLanguage();
  const { reference = '' } = useParams();
  const nameId = useId();
  const { data: dispute, failure, reload } = useOfficer<DisputeDetail>(`/disputes/${reference}`);
  const { result, run } = useAction();
  const reveal = useAction();
  const [contact, setContact] = useState<Record<string, string> | null>(null);
  const [name, setName] = useState<string | null>(null);
  if (failure !== null) return <p className="error">{failure}</p>;
  if (dispute === null) return <p>{t('console.loading')}</p>;
  const protectName = name ?? dispute.organisation ?? '';
  const decide = (decision: Decision, reason: string) =>
    run(
      async () => {
        await officer(`/disputes/${dispute.reference}/decide`, { decision, reason, ...(decision === 'verify' && protectName.trim().length >= 2 ? { name: protectName.trim() } : {}) });
        await reload();
      },
      t(`dispute.console.done.${decision}`),
      reason,
    );
  return (
    <section>
      <p>
        <Link to="/console/disputes">{t('dispute.console.back')}</Link>
      </p>
      <h1>{t('dispute.console.viewTitle', { reference: dispute.reference })}</h1>
      <dl className="facts">
        <div>
          <dt>{t('dispute.console.request')}</dt>
          <dd>{t(`dispute.console.requests.${dispute.request}`)}</dd>
        </div>
        <div>
          <dt>{t('dispute.console.value')}</dt>
          <dd dir="auto">
            {dispute.canonical} ({t(`kind.${dispute.kind}`, { defaultValue: dispute.kind })})
          </dd>
        </div>
        <div>
          <dt>{t('dispute.console.who')}</dt>
          <dd>
            {t(`dispute.console.roles.${dispute.role}`)}
            {dispute.organisation !== null && <> · <bdi>{dispute.organisation}</bdi></>}
          </dd>
        </div>
        <div>
          <dt>{t('dispute.console.levelAtSubmission')}</dt>
          <dd>{t(`level.${dispute.levelAtSubmission}`)}</dd>
        </div>
        <div>
          <dt>{t('dispute.console.levelNow')}</dt>
          <dd>{t(`level.${dispute.levelNow}`)}</dd>
        </div>
        <div>
          <dt>{t('dispute.console.receivedCol')}</dt>
          <dd>{time(dispute.receivedAt)}</dd>
        </div>
        <div>
          <dt>{t('dispute.console.statusCol')}</dt>
          <dd>{t(`dispute.console.statuses.${dispute.status}`)}</dd>
        </div>
      </dl>
      <p>
        <Link to={`/console/indicators?${new URLSearchParams({ value: dispute.canonical, kind: dispute.kind }).toString()}`}>{t('dispute.console.valuePage')}</Link>
      </p>
      <h2>{t('dispute.console.explanation')}</h2>
      <p className="narrative" dir="auto">
        {dispute.explanation === '' ? t('dispute.console.erased') : dispute.explanation}
      </p>
      <h2>{t('dispute.console.evidence')}</h2>
      <p className="narrative" dir="auto">
        {dispute.evidence === '' ? t('dispute.console.none') : dispute.evidence}
      </p>
      {dispute.links.length > 0 && (
        <>
          <h2>{t('dispute.console.links')}</h2>
          <ul>
            {dispute.links.map((link) => (
              // Links from the public: shown as text to copy, never opened from the console by a click.
              <li key={link} dir="ltr">
                <code>{link}</code>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>{t('dispute.console.decideTitle')}</h2>
      {dispute.decision !== null && (
        <p className="done">{t('dispute.console.decided', { status: t(`dispute.console.statuses.${dispute.status}`), by: dispute.decision.by, date: date(dispute.decision.at), reason: dispute.decision.reason })}</p>
      )}
      {dispute.status === 'open' && canAct() && (
        <>
          <p className="hint">{t('dispute.console.reasonShown')}</p>
          {DECISIONS[dispute.request].map((decision) => (
            <ReasonedAction key={decision} button={t(`dispute.console.decisions.${decision}`)} reasonLabel={t('dispute.console.reasonLabel')} run={(reason) => decide(decision, reason)}>
              {decision === 'verify' && (
                <div>
                  <label htmlFor={nameId}>{t('dispute.console.nameLabel')}</label>
                  <input id={nameId} value={protectName} maxLength={200} onChange={(e) => setName(e.target.value)} />
                </div>
              )}
            </ReasonedAction>
          ))}
        </>
      )}
      <ResultLine result={result} />

      {canAct() && (
        <>
          <h2>{t('dispute.console.contactTitle')}</h2>
          {contact === null ? (
            <>
              <p>{t('dispute.console.contactHidden')}</p>
              <ReasonedAction
                button={t('dispute.console.reveal')}
                reasonLabel={t('dispute.console.revealWhy')}
                run={(reason) =>
                  reveal.run(async () => setContact((await officer<{ contact: Record<string, string> }>(`/disputes/${dispute.reference}/contact`, { reason })).contact), t('dispute.console.revealed'), reason)
                }
              />
            </>
          ) : (
            <dl className="facts">
              {Object.entries(contact).map(([field, value]) => (
                <div key={field}>
                  <dt>{t(`dispute.${field}`, { defaultValue: field })}</dt>
                  <dd dir="auto">{value}</dd>
                </div>
              ))}
            </dl>
          )}
          <ResultLine result={reveal.result} />
        </>
      )}
    </section>
  );
}
