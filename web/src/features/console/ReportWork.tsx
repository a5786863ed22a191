import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Label } from '../../api';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';
import { PriorityReasons, type PriorityReason } from './PriorityReasons';
import { ReasonedAction } from './ReasonedAction';
import { ReportIndicators, type ReportIndicator } from './ReportIndicators';
import { canAct, officer } from './session';
import { TypeLabel } from './TypeLabel';
import { ResultLine, useAction, useOfficer } from './useOfficer';
import { OutcomeSelect, ReferralFields, type Outcome, type ReferralTarget } from './vocab';

interface Work {
  reference: string;
  status: string;
  outcome: string | null;
  receivedAt: string;
  occurredAt: string | null;
  channel: string;
  scamType: string;
  narrative: string;
  loss: { amount: string; currency: string } | null;
  hasContact: boolean;
  indicators: ReportIndicator[];
  cluster: number | null;
  priority: number;
  reasons: PriorityReason[];
  assignee: string | null;
  vulnerable: boolean;
  suggestedType: { scamType: string; label: Label; signals: { source: string; cue: string }[] };
  labelledType: string | null;
  notes: { author: string; body: string; createdAt: string }[];
  referrals: { targetKind: string; target: string; reason: string; referredBy: string; referredAt: string }[];
}

type Acted = 'confirm' | 'triage' | 'label' | 'refer' | 'close' | 'reopen';

/**
 * A report as an officer works on it: what the reporter chose (type, channel, when, each value's role), the
 * story, its priority and why, the suggested type and the officers' label, the values with their current
 * verdicts (to confirm), its cluster, notes, referrals, the reporter's contact (hidden until revealed with a
 * reason), and the actions, each with its reason box beside its button.
 */
export function ReportWork() {
  const { t } = useTranslation();
  const { lang, date, time, money } = useLanguage();
  const taxonomy = useTaxonomy();
  const { reference = '' } = useParams();
  const ids = { note: useId(), why: useId() };
  const { data: work, failure, reload } = useOfficer<Work>(`/reports/${encodeURIComponent(reference)}/work`);
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [target, setTarget] = useState<ReferralTarget>({ kind: 'unit', name: '' });
  const [outcome, setOutcome] = useState<Outcome>('action_taken');
  const [contact, setContact] = useState<Record<string, string> | null>(null);
  const [why, setWhy] = useState(''); // the reason for revealing the contact, asked beside it
  // Each action says how it went in its own section.
  const actions: Record<Acted, ReturnType<typeof useAction>> = { confirm: useAction(), triage: useAction(), label: useAction(), refer: useAction(), close: useAction(), reopen: useAction() };
  const notes = useAction();
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

  /** An action on the report, with its reason where it needs one; the page reloads after it. */
  async function act(what: Acted, path: string, body: object, done: string, reason?: string): Promise<boolean> {
    if (!(await actions[what].run(() => officer(path, body), done, reason))) return false;
    await reload();
    return true;
  }
  const resultOf = (what: Acted) => <ResultLine result={actions[what].result} />;
  const named = (labels: Record<string, Label> | undefined, code: string) => labels?.[code]?.[lang] ?? code;

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
      <h2>{t('console.reporterChose')}</h2>
      <dl className="summary choices">
        <div>
          <dt>{t('console.typeTitle')}</dt>
          <dd>{named(taxonomy?.scamTypes, work.scamType)}</dd>
        </div>
        <div>
          <dt>{t('console.channel')}</dt>
          <dd>{named(taxonomy?.channels, work.channel)}</dd>
        </div>
        <div>
          <dt>{t('console.occurredAt')}</dt>
          <dd>{work.occurredAt === null ? t('console.notGiven') : date(work.occurredAt)}</dd>
        </div>
        <div>
          <dt>{t('console.receivedAt')}</dt>
          <dd>{time(work.receivedAt)}</dd>
        </div>
        <div>
          <dt>{t('report.amount')}</dt>
          <dd>{work.loss === null ? t('console.notGiven') : money(work.loss)}</dd>
        </div>
      </dl>
      <h2>{t('console.narrative')}</h2>
      <p className="narrative" dir="auto">
        {work.narrative || '—'}
      </p>
      <h2>{t('console.typeTitle')}</h2>
      <TypeLabel
        labelled={work.labelledType}
        suggested={work.suggestedType}
        chosen={work.scamType}
        acting={acting}
        label={(scamType) => act('label', `/reports/${work.reference}/label`, { scamType }, t('console.labelled', { type: named(taxonomy?.scamTypes, scamType) }))}
      />
      {resultOf('label')}
      <h2>{t('console.indicators')}</h2>
      <ReportIndicators
        indicators={work.indicators}
        levels={levels}
        acting={acting}
        confirm={(i, reason) => act('confirm', '/indicators/decision', { value: i.canonical, kind: i.kind, level: 'high_risk', reason }, t('console.confirmed'), reason)}
      />
      {resultOf('confirm')}
      <div className="actions">
        {acting && work.status === 'new' && (
          <button type="button" className="primary" onClick={() => void act('triage', `/reports/${work.reference}/triage`, {}, t('console.triaged'))}>
            {t('console.triage')}
          </button>
        )}
        {open && (
          <button
            type="button"
            className="secondary"
            onClick={() => void act('triage', `/reports/${work.reference}/triage`, { vulnerable: !work.vulnerable }, work.status === 'new' ? t('console.triaged') : t('console.saved'))}
          >
            {work.vulnerable ? t('console.notVulnerable') : work.status === 'new' ? t('console.triageVulnerable') : t('console.markVulnerable')}
          </button>
        )}
      </div>
      {resultOf('triage')}

      {open && (
        <>
          <h2>{t('console.referTitle')}</h2>
          <ReasonedAction button={t('console.refer')} run={(reason) => act('refer', `/reports/${work.reference}/refer`, { target, reason }, t('console.referred'), reason)}>
            <ReferralFields value={target} onChange={setTarget} />
          </ReasonedAction>
        </>
      )}
      {resultOf('refer')}
      {open && (
        <>
          <h2>{t('console.closeTitle')}</h2>
          <ReasonedAction button={t('console.close')} run={(reason) => act('close', `/reports/${work.reference}/close`, { outcome, reason }, t('console.closed'), reason)}>
            <OutcomeSelect value={outcome} onChange={setOutcome} />
          </ReasonedAction>
        </>
      )}
      {resultOf('close')}
      {acting && work.status === 'closed' && (
        <>
          <h2>{t('console.reopenTitle')}</h2>
          <p>{t('console.reopenHint')}</p>
          <ReasonedAction button={t('console.reopen')} run={(reason) => act('reopen', `/reports/${work.reference}/reopen`, { reason }, t('console.reopened'), reason)} />
        </>
      )}
      {resultOf('reopen')}

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
                  if (await notes.run(() => officer(`/reports/${work.reference}/notes`, { body: note }), t('console.noteAdded'))) {
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
      <ResultLine result={notes.result} />

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
