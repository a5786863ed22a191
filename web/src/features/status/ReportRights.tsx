import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api';
import type { ReportHeldAnswer } from '../../../../src/http/api-types';
import { useLanguage } from '../../i18n';

const base = (reference: string) => `/api/v1/reports/status/${encodeURIComponent(reference)}`;

/**
 * The reporter's rights on their status page: everything held about the report, a JSON download of it,
 * correcting the contact details, and withdrawing the report (erased, its evidence removed).
 */
export function ReportRights({ reference, token, onWithdrawn }: { reference: string; token: string; onWithdrawn: () => void }) {
  const { t } = useTranslation();
  const { date } = useLanguage();
  const ids = { name: useId(), email: useId(), phone: useId(), confirm: useId() };
  const [held, setHeld] = useState<ReportHeldAnswer | null>(null);
  const [contact, setContact] = useState({ name: '', email: '', phone: '' });
  const [line, setLine] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirm, setConfirm] = useState(false);
  const headers = { 'x-status-token': token };

  useEffect(() => {
    call<ReportHeldAnswer>(`${base(reference)}/data`, { extraHeaders: headers }).then((h) => {
      setHeld(h);
      setContact({ name: h.contact?.name ?? '', email: h.contact?.email ?? '', phone: h.contact?.phone ?? '' });
    }, () => setHeld(null));
  }, [reference, token]);
  if (held === null) return null;

  function download() {
    const blob = new Blob([JSON.stringify(held, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `scamgraph-${reference}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  }
  async function correct(event: FormEvent) {
    event.preventDefault();
    try {
      const done = await call<{ contact: ReportHeldAnswer['contact'] }>(`${base(reference)}/contact`, { method: 'POST', body: JSON.stringify({ contact }), extraHeaders: headers });
      setHeld({ ...held!, contact: done.contact });
      setLine({ ok: true, text: t(done.contact === null ? 'rights.contactRemoved' : 'rights.contactSaved') });
    } catch {
      setLine({ ok: false, text: t('rights.failed') });
    }
  }
  async function withdraw() {
    try {
      await call(`${base(reference)}/withdraw`, { method: 'POST', body: JSON.stringify({ confirm: true }), extraHeaders: headers });
      onWithdrawn();
    } catch (e) {
      setLine({ ok: false, text: (e as { code?: string }).code === 'REPORT_HELD' ? t('rights.held') : t('rights.failed') });
    }
  }

  return (
    <div className="rights">
      <h2>{t('rights.title')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('rights.narrative')}</dt>
          <dd dir="auto">{held.narrative === '' ? t('rights.none') : held.narrative}</dd>
        </div>
        <div>
          <dt>{t('rights.values')}</dt>
          <dd>{held.indicators.map((i) => i.canonical).join(', ') || t('rights.none')}</dd>
        </div>
        {held.message !== null && (
          <div>
            <dt>{t('rights.message')}</dt>
            <dd dir="auto">{held.message.text}</dd>
          </div>
        )}
        <div>
          <dt>{t('rights.contact')}</dt>
          <dd dir="auto">{held.contact === null ? t('rights.none') : [held.contact.name, held.contact.email, held.contact.phone].filter(Boolean).join(' · ')}</dd>
        </div>
        <div>
          <dt>{t('rights.accesses')}</dt>
          <dd>{t('rights.accessCounts', { reads: held.accesses.reads, contactReads: held.accesses.contactReads })}</dd>
        </div>
        <div>
          <dt>{t('rights.kept')}</dt>
          <dd>
            {held.legalHold ? t('rights.legalHold') : ''}
            {t('rights.keptUntil', { narrative: date(held.retention.narrativeUntil), fingerprint: date(held.retention.fingerprintUntil) })}
            {held.retention.contactUntil !== null && ` ${t('rights.contactUntil', { date: date(held.retention.contactUntil) })}`}
          </dd>
        </div>
      </dl>
      <p>
        <button type="button" className="secondary" onClick={download}>
          {t('rights.download')}
        </button>
      </p>

      <h3>{t('rights.correctTitle')}</h3>
      <form onSubmit={(e) => void correct(e)} className="filters">
        <div>
          <label htmlFor={ids.name}>{t('rights.name')}</label>
          <input id={ids.name} value={contact.name} maxLength={200} onChange={(e) => setContact({ ...contact, name: e.target.value })} />
        </div>
        <div>
          <label htmlFor={ids.email}>{t('rights.email')}</label>
          <input id={ids.email} type="email" value={contact.email} maxLength={320} onChange={(e) => setContact({ ...contact, email: e.target.value })} />
        </div>
        <div>
          <label htmlFor={ids.phone}>{t('rights.phone')}</label>
          <input id={ids.phone} type="tel" value={contact.phone} maxLength={40} onChange={(e) => setContact({ ...contact, phone: e.target.value })} />
        </div>
        <div className="reasoned-button">
          <button type="submit">{t('rights.save')}</button>
        </div>
      </form>

      <h3>{t('rights.withdrawTitle')}</h3>
      <p>{t('rights.withdrawExplain')}</p>
      <p>
        <input id={ids.confirm} type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} /> <label htmlFor={ids.confirm}>{t('rights.confirm')}</label>
      </p>
      <p>
        <button type="button" className="danger" disabled={!confirm} onClick={() => void withdraw()}>
          {t('rights.withdraw')}
        </button>
      </p>
      {line !== null && <p className={line.ok ? 'done' : 'error'}>{line.text}</p>}
    </div>
  );
}
