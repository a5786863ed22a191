import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { api, type ReportStatus } from '../../api';
import { useLanguage } from '../../i18n';
import { ReportRights } from './ReportRights';

/**
 * The reporter's status page: /status/REFERENCE#TOKEN. The token stays in the fragment, which browsers never
 * send to a server, and goes to the API in a header.
 */
export function StatusPage() {
  const { t } = useTranslation();
  const { lang, date } = useLanguage();
  const { reference = '' } = useParams();
  const token = useLocation().hash.replace(/^#/, '');
  const [status, setStatus] = useState<ReportStatus | 'missing' | 'withdrawn' | null>(null);

  useEffect(() => {
    if (token === '') setStatus('missing');
    else api.status(reference, token).then(setStatus, () => setStatus('missing'));
  }, [reference, token]);

  return (
    <section>
      <h1>{t('status.title')}</h1>
      <p>
        {t('status.reference')} <strong>{reference}</strong>
      </p>
      <div aria-live="polite">
        {status === 'missing' && <p className="error">{t('status.missing')}</p>}
        {status === 'withdrawn' && <p className="done">{t('rights.withdrawn')}</p>}
        {status !== null && status !== 'missing' && status !== 'withdrawn' && (
          <div className="status-card">
            <p className="status-text">{status.statusText[lang]}</p>
            <p className="facts">
              {t('status.received', { date: date(status.receivedAt) })} ·{' '}
              {t('status.updated', { date: date(status.updatedAt) })}
            </p>
          </div>
        )}
      </div>
      {status !== null && status !== 'missing' && status !== 'withdrawn' && <ReportRights reference={reference} token={token} onWithdrawn={() => setStatus('withdrawn')} />}
    </section>
  );
}
