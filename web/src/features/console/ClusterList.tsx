import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLanguage } from '../../i18n';
import { useOfficer } from './useOfficer';

interface ClusterRow {
  id: number;
  reportCount: number;
  reporterCount: number;
  loss: { currency: string; amount: string }[];
  lastSeen: string | null;
  status: string;
}

/** Clusters of correlated reports, largest first. */
export function ClusterList() {
  const { t } = useTranslation();
  const { date, money } = useLanguage();
  const { data, failure } = useOfficer<{ clusters: ClusterRow[] }>('/clusters?limit=50');
  return (
    <section>
      <h1>{t('console.nav.clusters')}</h1>
      {failure !== null && <p className="error">{failure}</p>}
      {data !== null && data.clusters.length === 0 && <p>{t('console.noData')}</p>}
      {data !== null && data.clusters.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('console.clusterCol')}</th>
              <th scope="col">{t('console.reportsCol')}</th>
              <th scope="col">{t('console.reportersCol')}</th>
              <th scope="col">{t('console.lossCol')}</th>
              <th scope="col">{t('console.lastSeenCol')}</th>
              <th scope="col">{t('console.statusCol')}</th>
            </tr>
          </thead>
          <tbody>
            {data.clusters.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/console/clusters/${c.id}`}>{c.id}</Link>
                </td>
                <td>{c.reportCount}</td>
                <td>{c.reporterCount}</td>
                <td>{c.loss.map(money).join(', ') || '—'}</td>
                <td>{date(c.lastSeen)}</td>
                <td>{t(`console.status.${c.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
