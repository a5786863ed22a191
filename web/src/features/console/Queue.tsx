import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLanguage } from '../../i18n';
import { PriorityReasons, type PriorityReason } from './PriorityReasons';
import { officer } from './session';

interface QueueItem {
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

/** The triage queue: open reports, highest priority first, each with why it ranks there. */
export function Queue() {
  const { t } = useTranslation();
  const { lang, date } = useLanguage();
  const [queue, setQueue] = useState<{ total: number; items: QueueItem[] } | null>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    officer<{ total: number; items: QueueItem[] }>('/queue?limit=50').then(setQueue, () => setError(true));
  }, []);
  return (
    <section>
      <h1>{t('console.queueTitle')}</h1>
      {error && <p className="error">{t('console.loadFailed')}</p>}
      {queue !== null && <p>{t('console.openReports', { count: queue.total })}</p>}
      <ol className="queue">
        {queue?.items.map((item) => (
          <li key={item.reference}>
            <p className="queue-head">
              <Link to={`/console/reports/${item.reference}`}>{item.reference}</Link>
              <span className="priority">{t('console.priority', { points: item.priority })}</span>
            </p>
            <p className="facts">
              {t(`console.status.${item.status}`)} · {date(item.receivedAt)}
              {item.loss !== null && ` · ${item.loss.currency} ${Number(item.loss.amount).toLocaleString()}`} · {t('console.cluster', { id: item.cluster, count: item.clusterReports })}
            </p>
            <PriorityReasons reasons={item.reasons} />
          </li>
        ))}
      </ol>
    </section>
  );
}
