import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, type Label } from '../../api';
import { useLanguage } from '../../i18n';
import { PriorityReasons, type PriorityReason } from './PriorityReasons';
import { officer } from './session';

interface Work {
  reference: string;
  status: string;
  receivedAt: string;
  channel: string;
  scamType: string;
  narrative: string;
  loss: { amount: string; currency: string } | null;
  indicators: { key: string; kind: string; canonical: string; role: string | null; extracted: boolean }[];
  cluster: number | null;
  priority: number;
  reasons: PriorityReason[];
  suggestedType: { scamType: string; label: Label; signals: { source: string; cue: string }[] };
  notes: { author: string; body: string; createdAt: string }[];
}

/**
 * A report as an officer works on it: the story, its priority and why, the suggested type and its signals, the
 * indicators with their current verdicts to confirm, and the triage actions. Every action states a reason.
 */
export function ReportWork() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const { reference = '' } = useParams();
  const reasonId = useId();
  const [work, setWork] = useState<Work | null>(null);
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async () => {
    const w = await officer<Work>(`/reports/${encodeURIComponent(reference)}/work`);
    setWork(w);
    const checked = await Promise.all(w.indicators.map((i) => officer<{ verdict: { level: string } }>(`/indicators?value=${encodeURIComponent(i.canonical)}&kind=${i.kind}`)));
    setLevels(Object.fromEntries(w.indicators.map((i, n) => [i.key, checked[n]?.verdict.level ?? 'no_record'])));
  }, [reference]);

  useEffect(() => {
    load().catch(() => setMessage({ ok: false, text: t('console.loadFailed') }));
  }, [load, t]);

  async function act(path: string, body: object, done: string) {
    if (reason.trim().length < 3) return setMessage({ ok: false, text: t('console.needReason') });
    try {
      await officer(path, body);
      setMessage({ ok: true, text: done });
      await load();
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? e.message : t('console.loadFailed') });
    }
  }

  if (work === null) return <p aria-live="polite">{message?.text ?? t('console.loading')}</p>;
  return (
    <section className="work">
      <p>
        <Link to="/console">{t('console.backToQueue')}</Link>
      </p>
      <h1>{work.reference}</h1>
      <p className="facts">
        {t(`console.status.${work.status}`)} · {t('console.priority', { points: work.priority })}
        {work.cluster !== null && ` · ${t('console.clusterOnly', { id: work.cluster })}`}
      </p>
      <PriorityReasons reasons={work.reasons} />
      <h2>{t('console.narrative')}</h2>
      <p className="narrative" dir="auto">
        {work.narrative || '—'}
      </p>
      <p>
        {t('console.suggested', { type: work.suggestedType.label[lang] })}
        {work.suggestedType.signals.length > 0 && ` (${work.suggestedType.signals.map((s) => s.cue).join(', ')})`}
      </p>
      <label htmlFor={reasonId}>{t('console.reason')}</label>
      <input id={reasonId} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      <h2>{t('console.indicators')}</h2>
      <ul className="indicators">
        {work.indicators.map((i) => (
          <li key={i.key}>
            <span dir="auto">{i.canonical}</span> <span className="kind">({t(`kind.${i.kind}`, { defaultValue: i.kind })}{i.extracted ? `, ${t('console.extracted')}` : ''})</span>
            <span className={`badge level-${levels[i.key] ?? 'no_record'}`}>{levels[i.key] === undefined ? '…' : t(`level.${levels[i.key]}`)}</span>
            {levels[i.key] !== 'high_risk' && (
              <button type="button" className="secondary small" onClick={() => void act('/indicators/decision', { value: i.canonical, kind: i.kind, level: 'high_risk', reason }, t('console.confirmed'))}>
                {t('console.confirmHighRisk')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="actions">
        {work.status === 'new' && (
          <button type="button" className="primary" onClick={() => void act(`/reports/${work.reference}/triage`, {}, t('console.triaged'))}>
            {t('console.triage')}
          </button>
        )}
        {work.status !== 'closed' && (
          <button type="button" className="secondary" onClick={() => void act(`/reports/${work.reference}/close`, { outcome: 'action_taken', reason }, t('console.closed'))}>
            {t('console.closeActionTaken')}
          </button>
        )}
      </div>
      <div aria-live="polite">{message !== null && <p className={message.ok ? 'done' : 'error'}>{message.text}</p>}</div>
    </section>
  );
}
