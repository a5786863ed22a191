import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { useLanguage } from '../../i18n';
import { disputeApi, type DisputeStatusAnswer } from './dispute-api';

/**
 * The disputer's private status page: /dispute/REFERENCE#TOKEN. The token stays in the fragment (never sent
 * to a server) and goes to the API in a header. It shows the dispute's own outcome and the officer's reason.
 */
export function DisputeStatusPage() {
  const { t } = useTranslation();
  const { lang, date } = useLanguage();
  const { reference = '' } = useParams();
  const token = useLocation().hash.replace(/^#/, '');
  const [status, setStatus] = useState<DisputeStatusAnswer | 'missing' | null>(null);

  useEffect(() => {
    if (token === '') setStatus('missing');
    else disputeApi.status(reference, token).then(setStatus, () => setStatus('missing'));
  }, [reference, token]);

  return (
    <section>
      <h1>{t('dispute.status.title')}</h1>
      <p>
        {t('dispute.status.reference')} <strong>{reference}</strong>
      </p>
      <div aria-live="polite">
        {status === 'missing' && <p className="error">{t('dispute.status.missing')}</p>}
        {status !== null && status !== 'missing' && (
          <div className={`status-card dispute-${status.status}`}>
            <p>
              <bdi>{t('dispute.status.value', { value: status.canonical })}</bdi>
            </p>
            <p className="status-text">{status.statusText[lang]}</p>
            {status.reason !== null && (
              <p>
                {t('dispute.status.reason')} <q dir="auto">{status.reason}</q>
              </p>
            )}
            <p className="facts">
              {t('dispute.status.receivedOn', { date: date(status.receivedAt) })}
              {status.decidedAt !== null && <> · {t('dispute.status.decidedOn', { date: date(status.decidedAt) })}</>}
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
