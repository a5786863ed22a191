import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Label } from '../../api';
import { useLanguage } from '../../i18n';
import { indicatorPath } from './paths';
import { PriorityReasons, type PriorityReason } from './PriorityReasons';
import { canAct, officer } from './session';
import { ResultLine, useAction, useOfficer } from './useOfficer';
import { OutcomeSelect, ReferralFields, type Outcome, type ReferralTarget } from './vocab';

interface Work {
  reference: string;
  status: string;
  outcome: string | null;
  receivedAt: string;
  channel: string;
  scamType: string;
  narrative: string;
  loss: { amount: string; currency: string } | null;
  hasContact: boolean;
  indicators: { key: string; kind: string; canonical: string; role: string | null; extracted: boolean }[];
  cluster: number | null;
  priority: number;
  reasons: PriorityReason[];
  assignee: string | null;
  vulnerable: boolean;
  suggestedType: { scamType: string; label: Label; signals: { source: string; cue: string }[] };
  notes: { author: string; body: string; createdAt: string }[];
  referrals: { targetKind: string; target: string; reason: string; referredBy: string; referredAt: string }[];
}

/**
 * A report as an officer works on it: the story, its priority and why, the suggested type, the indicators with
 * their current verdicts (to confirm), its cluster, notes, referrals, the reporter's contact (hidden until
 * revealed with a reason), and the actions. Every action states a reason for the audit log.
 */
export function ReportWork() {
  const { t } = useTranslation();
  const { lang, date, money } = useLanguage();
  const { reference = '' } = useParams();
  const ids = { reason: useId(), note: useId(), why: useId() };
  const { data: work, failure, reload } = useOfficer<Work>(`/reports/${encodeURIComponent(reference)}/work`);
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [target, setTarget] = useState<ReferralTarget>({ kind: 'unit', name: '' });
  const [outcome, setOutcome] = useState<Outcome>('action_taken');
  const [contact, setContact] = useState<Record<string, string> | null>(null);
  const [why, setWhy] = useState(''); // the reason for revealing the contact, asked beside it
  const { result, run } = useAction();
  const reveal = useAction(); // announced beside the contact details it reveals

  const loadLevels = useCallback(async (w: Work) => {
    // Each value's verdict on its own: one that fails to load leaves only its own badge unknown.
    const checked = await Promise.allSettled(w.indicators.map((i) => officer<{ verdict: { level: string } }>(`/indicators?value=${encodeURIComponent(i.canonical)}&kind=${i.kind}`)));
    setLevels(
      Object.fromEntries(
        w.indicators.flatMap((i, n) => {
          const c = checked[n];
          return c?.status === 'fulfilled' ? [[i.key, c.value.verdict.level]] : [];
        }),
      ),
    );
  }, []);
  useEffect(() => {
    if (work !== null) loadLevels(work).catch(() => undefined);
  }, [work, loadLevels]);

  /** An action on the report; the reason, once used, is cleared so that it is not given again for the next one. */
  async function act(path: string, body: object, done: string, needsReason = true) {
    if (!(await run(() => officer(path, body), done, needsReason ? reason : undefined))) return;
    if (needsReason) setReason('');
    await reload();
  }

  if (work === null) return <p aria-live="polite">{failure ?? t('console.loading')}</p>;
  const acting = canAct();
  const open = acting && work.status !== 'closed';
  return (
    <section className="work">
      <p>
        <Link to="/console">{t('console.backToQueue')}</Link>
      </p>
      <h1>{work.reference}</h1>
      <p className="facts">
        {t(`console.status.${work.status}`)}
        {work.outcome !== null && ` (${t(`console.outcomes.${work.outcome}`)})`} · {date(work.receivedAt)} · {t('console.priority', { points: work.priority })}
        {work.assignee !== null && ` · ${t('console.assignedTo', { user: work.assignee })}`}
        {work.vulnerable && ` · ${t('console.vulnerable')}`}
        {work.loss !== null && ` · ${money(work.loss)}`}
      </p>
      {work.cluster !== null && (
        <p>
          <Link to={`/console/clusters/${work.cluster}`}>{t('console.openCluster', { id: work.cluster })}</Link>
        </p>
      )}
      <PriorityReasons reasons={work.reasons} />
      <h2>{t('console.narrative')}</h2>
      <p className="narrative" dir="auto">
        {work.narrative || '—'}
      </p>
      <p>
        {t('console.suggested', { type: work.suggestedType.label[lang] })}
        {work.suggestedType.signals.length > 0 && ` (${work.suggestedType.signals.map((s) => s.cue).join(', ')})`}
      </p>
      {acting && (
        <>
          <label htmlFor={ids.reason}>{t('console.reason')}</label>
          <input id={ids.reason} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
        </>
      )}
      <h2>{t('console.indicators')}</h2>
      <ul className="indicators">
        {work.indicators.map((i) => (
          <li key={i.key}>
            <Link to={indicatorPath(i.canonical, i.kind)} dir="auto">
              {i.canonical}
            </Link>{' '}
            <span className="kind">
              ({t(`kind.${i.kind}`, { defaultValue: i.kind })}
              {i.extracted ? `, ${t('console.extracted')}` : ''})
            </span>
            <span className={`badge level-${levels[i.key] ?? 'no_record'}`}>{levels[i.key] === undefined ? '…' : t(`level.${levels[i.key]}`)}</span>
            {acting && levels[i.key] !== 'high_risk' && (
              <button
                type="button"
                className="secondary small"
                onClick={() => void act('/indicators/decision', { value: i.canonical, kind: i.kind, level: 'high_risk', reason }, t('console.confirmed'))}
              >
                {t('console.confirmHighRisk')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="actions">
        {acting && work.status === 'new' && (
          <button type="button" className="primary" onClick={() => void act(`/reports/${work.reference}/triage`, {}, t('console.triaged'), false)}>
            {t('console.triage')}
          </button>
        )}
        {open && (
          <button
            type="button"
            className="secondary"
            onClick={() => void act(`/reports/${work.reference}/triage`, { vulnerable: !work.vulnerable }, work.status === 'new' ? t('console.triaged') : t('console.saved'), false)}
          >
            {work.vulnerable ? t('console.notVulnerable') : work.status === 'new' ? t('console.triageVulnerable') : t('console.markVulnerable')}
          </button>
        )}
      </div>
      <ResultLine result={result} />

      {open && (
        <>
          <h2>{t('console.referTitle')}</h2>
          <div className="filters">
            <ReferralFields value={target} onChange={setTarget} />
          </div>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void act(`/reports/${work.reference}/refer`, { target, reason }, t('console.referred'))}>
              {t('console.refer')}
            </button>
          </div>
          <h2>{t('console.closeTitle')}</h2>
          <div className="filters">
            <OutcomeSelect value={outcome} onChange={setOutcome} />
          </div>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void act(`/reports/${work.reference}/close`, { outcome, reason }, t('console.closed'))}>
              {t('console.close')}
            </button>
          </div>
        </>
      )}

      {work.referrals.length > 0 && (
        <>
          <h2>{t('console.referrals')}</h2>
          <ul>
            {work.referrals.map((r) => (
              <li key={`${r.referredAt}-${r.target}`}>{t('console.referralLine', { target: r.target, by: r.referredBy, date: date(r.referredAt), reason: r.reason })}</li>
            ))}
          </ul>
        </>
      )}

      <h2>{t('console.notes')}</h2>
      {work.notes.length === 0 && <p>{t('console.noNotes')}</p>}
      <ul className="notes">
        {work.notes.map((n) => (
          <li key={`${n.createdAt}-${n.author}`}>
            <p className="facts">
              {n.author} · {date(n.createdAt)}
            </p>
            <p dir="auto">{n.body}</p>
          </li>
        ))}
      </ul>
      {acting && (
        <>
          <label htmlFor={ids.note}>{t('console.addNote')}</label>
          <textarea id={ids.note} value={note} maxLength={10_000} onChange={(e) => setNote(e.target.value)} />
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void (async () => {
                  if (note.trim() === '') return;
                  if (await run(() => officer(`/reports/${work.reference}/notes`, { body: note }), t('console.noteAdded'))) {
                    setNote('');
                    await reload();
                  }
                })()
              }
            >
              {t('console.saveNote')}
            </button>
          </div>
        </>
      )}

      <h2>{t('console.contactTitle')}</h2>
      {!work.hasContact && <p>{t('console.noContact')}</p>}
      {acting && work.hasContact && contact === null && (
        <>
          <p>{t('console.contactHidden')}</p>
          <label htmlFor={ids.why}>{t('console.revealWhy')}</label>
          <input id={ids.why} value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} />
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void reveal.run(
                  async () => setContact((await officer<{ contact: Record<string, string> }>(`/reports/${work.reference}/contact`, { reason: why })).contact),
                  t('console.contactRevealed'),
                  why,
                )
              }
            >
              {t('console.revealContact')}
            </button>
          </div>
        </>
      )}
      <ResultLine result={reveal.result} />
      {contact !== null && (
        <dl className="review">
          {Object.entries(contact).map(([field, value]) => (
            <div key={field}>
              <dt>{t(`report.${field}`)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
