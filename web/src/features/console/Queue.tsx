import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';
import { PriorityReasons, type PriorityReason } from './PriorityReasons';
import { canAct, officer } from './session';
import { ResultLine, useAction, useOfficer } from './useOfficer';
import { OutcomeSelect, ReferralFields, type Outcome, type ReferralTarget } from './vocab';

export interface QueueItem {
  reference: string;
  receivedAt: string;
  scamType: string;
  status: string;
  loss: { amount: string; currency: string } | null;
  vulnerable: boolean;
  assignee: string | null;
  cluster: number;
  clusterReports: number;
  priority: number;
  reasons: PriorityReason[];
}

const STATUS_FILTERS = ['new,triaged', 'new', 'triaged', 'referred', 'closed', 'new,triaged,referred,closed'] as const;
const SORTS = ['priority', 'newest', 'loss'] as const;
type BulkAction = 'triage' | 'refer' | 'close';

/** The triage queue: filtered and sorted as the URL says, each report with why it ranks there; tick reports to act on them together. */
export function Queue() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [params, setParams] = useSearchParams();
  const taxonomy = useTaxonomy();
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const ids = { status: useId(), type: useId(), assigned: useId(), sort: useId() };
  const filter = {
    status: params.get('status') ?? 'new,triaged',
    scamType: params.get('scamType') ?? '',
    assigned: params.get('assigned') ?? '',
    sort: params.get('sort') ?? 'priority',
  };
  const query = new URLSearchParams({ status: filter.status, sort: filter.sort, limit: '50' });
  if (filter.scamType !== '') query.set('scamType', filter.scamType);
  if (filter.assigned !== '') query.set('assigned', filter.assigned);
  const { data: queue, failure, reload } = useOfficer<{ total: number; items: QueueItem[] }>(`/queue?${query.toString()}`);
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
    setTicked(new Set());
  };
  const tick = (reference: string, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(reference);
    else next.delete(reference);
    setTicked(next);
  };
  const all = queue?.items.map((i) => i.reference) ?? [];
  const bulk = useAction();
  const acting = canAct();

  return (
    <section>
      <h1>{t('console.queueTitle')}</h1>
      <div className="filters">
        <div>
          <label htmlFor={ids.status}>{t('console.filter.status')}</label>
          <select id={ids.status} value={filter.status} onChange={(e) => set('status', e.target.value)}>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`console.filter.statuses.${s.replaceAll(',', '_')}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.type}>{t('console.filter.type')}</label>
          <select id={ids.type} value={filter.scamType} onChange={(e) => set('scamType', e.target.value)}>
            <option value="">{t('console.filter.any')}</option>
            {taxonomy !== null &&
              Object.entries(taxonomy.scamTypes).map(([code, label]) => (
                <option key={code} value={code}>
                  {label[lang]}
                </option>
              ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.assigned}>{t('console.filter.assigned')}</label>
          <select id={ids.assigned} value={filter.assigned} onChange={(e) => set('assigned', e.target.value)}>
            <option value="">{t('console.filter.anyone')}</option>
            <option value="me">{t('console.filter.me')}</option>
            <option value="none">{t('console.filter.nobody')}</option>
          </select>
        </div>
        <div>
          <label htmlFor={ids.sort}>{t('console.filter.sort')}</label>
          <select id={ids.sort} value={filter.sort} onChange={(e) => set('sort', e.target.value)}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`console.filter.sorts.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {failure !== null && <p className="error">{failure}</p>}
      {queue !== null && <p>{t('console.matchingReports', { count: queue.total })}</p>}
      {acting && all.length > 0 && (
        <label className="inline">
          <input type="checkbox" checked={ticked.size === all.length} onChange={(e) => setTicked(e.target.checked ? new Set(all) : new Set())} />
          {t('console.tickAll', { count: all.length })}
        </label>
      )}
      {ticked.size > 0 && (
        <BulkBar
          references={[...ticked]}
          run={bulk.run}
          onDone={async () => {
            setTicked(new Set());
            await reload();
          }}
        />
      )}
      <ResultLine result={bulk.result} />
      <ol className="queue">
        {queue?.items.map((item) => (
          <QueueEntry key={item.reference} item={item} ticked={ticked.has(item.reference)} onTick={acting ? (on) => tick(item.reference, on) : undefined} />
        ))}
      </ol>
    </section>
  );
}

export function QueueEntry({ item, ticked, onTick }: { item: QueueItem; ticked?: boolean; onTick?: (on: boolean) => void }) {
  const { t } = useTranslation();
  const { date, money } = useLanguage();
  return (
    <li>
      <p className="queue-head">
        <span>
          {onTick !== undefined && <input type="checkbox" aria-label={t('console.tick', { reference: item.reference })} checked={ticked} onChange={(e) => onTick(e.target.checked)} />}
          <Link to={`/console/reports/${item.reference}`}>{item.reference}</Link>
        </span>
        <span className="priority">{t('console.priority', { points: item.priority })}</span>
      </p>
      <p className="facts">
        {t(`console.status.${item.status}`)} · {date(item.receivedAt)}
        {item.loss !== null && ` · ${money(item.loss)}`}
        {item.assignee !== null && ` · ${t('console.assignedTo', { user: item.assignee })}`}
        {item.vulnerable && ` · ${t('console.vulnerable')}`} ·{' '}
        {item.clusterReports > 1 ? <Link to={`/console/clusters/${item.cluster}`}>{t('console.cluster', { id: item.cluster, count: item.clusterReports })}</Link> : t('console.alone')}
      </p>
      <PriorityReasons reasons={item.reasons} />
    </li>
  );
}

/** One action on every ticked report: triage, refer (to whom) or close (how), with a reason for the audit log. */
function BulkBar({ references, run, onDone }: { references: string[]; run: ReturnType<typeof useAction>['run']; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const ids = { action: useId(), reason: useId() };
  const [action, setAction] = useState<BulkAction>('triage');
  const [outcome, setOutcome] = useState<Outcome>('action_taken');
  const [target, setTarget] = useState<ReferralTarget>({ kind: 'unit', name: '' });
  const [reason, setReason] = useState('');
  async function apply() {
    const body = action === 'triage' ? { references } : action === 'refer' ? { references, target, reason } : { references, outcome, reason };
    const done = await run(
      () => officer<{ reports: number }>(`/reports/bulk/${action}`, body),
      (answer) => t('console.bulkDone', { count: answer.reports }),
      action === 'triage' ? undefined : reason,
    );
    if (done) await onDone();
  }
  return (
    <div className="bulk" role="group" aria-label={t('console.bulkLabel', { count: references.length })}>
      <p className="bulk-count">{t('console.bulkLabel', { count: references.length })}</p>
      <div className="filters">
        <div>
          <label htmlFor={ids.action}>{t('console.bulkAction')}</label>
          <select id={ids.action} value={action} onChange={(e) => setAction(e.target.value as BulkAction)}>
            <option value="triage">{t('console.triage')}</option>
            <option value="refer">{t('console.refer')}</option>
            <option value="close">{t('console.close')}</option>
          </select>
        </div>
        {action === 'refer' && <ReferralFields value={target} onChange={setTarget} />}
        {action === 'close' && <OutcomeSelect value={outcome} onChange={setOutcome} />}
        {action !== 'triage' && (
          <div className="wide">
            <label htmlFor={ids.reason}>{t('console.reason')}</label>
            <input id={ids.reason} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          </div>
        )}
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void apply()}>
          {t('console.apply')}
        </button>
      </div>
    </div>
  );
}
