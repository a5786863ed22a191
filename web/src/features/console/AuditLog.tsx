import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n';
import { officer } from './session';
import { problemText, useOfficer } from './useOfficer';

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}
interface Verification {
  rows: number;
  broken: { seq: number; problem: string; detail: string } | null;
}

const PAGE = 100;

/** The audit log, oldest first a page at a time, under the result of verifying its whole hash chain. */
export function AuditLog() {
  const { t } = useTranslation();
  const { time } = useLanguage();
  const { data: verification, failure } = useOfficer<Verification>('/audit/verify');
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [more, setMore] = useState(true);
  const [busy, setBusy] = useState(false);
  const [pageError, setPageError] = useState<unknown>(null);
  /** The page after `after`; one request at a time, so a double click cannot add a page twice. */
  const load = useCallback(async (after: number) => {
    setBusy(true);
    try {
      const page = await officer<{ rows: AuditRow[] }>(`/audit?after=${after}&limit=${PAGE}`);
      setRows((shown) => (after === 0 ? page.rows : [...shown, ...page.rows]));
      setMore(page.rows.length === PAGE);
      setPageError(null);
    } catch (e) {
      setPageError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  useEffect(() => {
    void load(0);
  }, [load]);
  const next = rows.length === 0 ? 0 : rows[rows.length - 1]!.seq;
  return (
    <section>
      <h1>{t('console.nav.audit')}</h1>
      {failure !== null && <p className="error">{failure}</p>}
      {pageError !== null && (
        <p className="error">
          {problemText(pageError, t)}{' '}
          <button type="button" className="secondary small" disabled={busy} onClick={() => void load(next)}>
            {t('console.retry')}
          </button>
        </p>
      )}
      {verification !== null && (
        <p className={`chain ${verification.broken === null ? 'chain-ok' : 'chain-broken'}`} role="status">
          {verification.broken === null
            ? t('console.chainOk', { count: verification.rows })
            : t('console.chainBroken', { seq: verification.broken.seq, problem: t(`console.chainProblems.${verification.broken.problem}`), detail: verification.broken.detail })}
        </p>
      )}
      <table className="grid audit">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('console.when')}</th>
            <th scope="col">{t('console.who')}</th>
            <th scope="col">{t('console.what')}</th>
            <th scope="col">{t('console.about')}</th>
            <th scope="col">{t('console.details')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td>{time(r.at)}</td>
              <td>{r.actor}</td>
              <td>{r.action}</td>
              <td dir="auto">{r.subject}</td>
              <td dir="auto">
                {Object.entries(r.details)
                  .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && rows.length > 0 && pageError === null && (
        <div className="actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => void load(next)}>
            {t('console.more')}
          </button>
        </div>
      )}
    </section>
  );
}
