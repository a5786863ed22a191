import { lazy, Suspense, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssuedKey, OrganisationListing, PartnerUsageRow } from '../../../../src/http/api-types';
import { useLanguage } from '../../i18n';
import { daysBetween } from './chart-days';
import { officer } from './session';
import { ResultLine, useAction, useOfficer } from './useOfficer';

const Chart = lazy(() => import('./Chart'));

const TYPES = ['bank', 'wallet', 'telco', 'platform', 'app', 'peer_centre'] as const;
const SCOPES = ['payee:check', 'outcomes:write', 'accounts:share', 'feeds:read', 'lists:read', 'webhooks:manage', 'calls:screen', 'messages:forward'] as const;

/**
 * Admins manage partner organisations: their keys (made, rotated, revoked; a new key is shown here once) and
 * their calls per day. Every change states why and is audited.
 */
export function Partners() {
  const { t } = useTranslation();
  const { date } = useLanguage();
  const ids = { reason: useId(), name: useId(), type: useId() };
  const { data, failure, reload } = useOfficer<{ organisations: OrganisationListing[] }>('/partners');
  const [reason, setReason] = useState('');
  const [fresh, setFresh] = useState({ name: '', type: 'bank' as (typeof TYPES)[number], scopes: ['payee:check'] as string[] });
  const [shown, setShown] = useState<{ organisation: string; key: IssuedKey } | null>(null);
  const [usageOf, setUsageOf] = useState<number | null>(null);
  const { result, run } = useAction();

  async function add(event: FormEvent) {
    event.preventDefault();
    let issued: IssuedKey | null = null;
    const made = await run(
      async () => {
        issued = (await officer<{ key: IssuedKey }>('/partners', { ...fresh, reason })).key;
        return issued;
      },
      t('partners.added', { name: fresh.name }),
      reason,
    );
    if (!made || issued === null) return;
    setShown({ organisation: fresh.name, key: issued });
    setReason('');
    setFresh({ name: '', type: 'bank', scopes: ['payee:check'] });
    await reload();
  }
  async function newKey(o: OrganisationListing, replaces?: number) {
    const scopes = replaces === undefined ? (o.keys.find((k) => k.status === 'active')?.scopes ?? ['payee:check']) : (o.keys.find((k) => k.id === replaces)?.scopes ?? []);
    let issued: IssuedKey | null = null;
    const ok = await run(
      async () => {
        issued = (await officer<{ key: IssuedKey }>(`/partners/${o.id}/keys`, { scopes, reason, ...(replaces === undefined ? {} : { replaces }) })).key;
        return issued;
      },
      replaces === undefined ? t('partners.keyMade', { name: o.name }) : t('partners.rotated', { name: o.name, id: replaces }),
      reason,
    );
    if (!ok || issued === null) return;
    setShown({ organisation: o.name, key: issued });
    setReason('');
    await reload();
  }
  async function revoke(o: OrganisationListing, keyId: number) {
    if (!(await run(() => officer(`/partners/${o.id}/keys/${keyId}/revoke`, { reason }), t('partners.revoked', { id: keyId, name: o.name }), reason))) return;
    setReason('');
    await reload();
  }

  return (
    <section>
      <h1>{t('partners.title')}</h1>
      <p>{t('partners.intro')}</p>
      {failure !== null && <p className="error">{failure}</p>}
      <label htmlFor={ids.reason}>{t('console.reason')}</label>
      <input id={ids.reason} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      <ResultLine result={result} />
      {shown !== null && (
        <div className="notice" role="status">
          <p>{t('partners.showOnce', { name: shown.organisation, id: shown.key.id })}</p>
          <p>
            <code className="secret">{shown.key.token}</code>{' '}
            <button type="button" className="secondary small" onClick={() => void navigator.clipboard?.writeText(shown.key.token)}>
              {t('partners.copy')}
            </button>{' '}
            <button type="button" className="secondary small" onClick={() => setShown(null)}>
              {t('partners.hide')}
            </button>
          </p>
        </div>
      )}
      {data?.organisations.length === 0 && <p>{t('partners.none')}</p>}
      {data?.organisations.map((o) => (
        <article key={o.id} className="partner">
          <h2>
            {o.name} <small>({t(`partners.types.${o.type}`)})</small>
          </h2>
          <p>{t('partners.limits', { perMinute: o.requestsPerMinute === 0 ? t('partners.unlimited') : o.requestsPerMinute.toLocaleString(), perDay: o.dailyQuota === 0 ? t('partners.unlimited') : o.dailyQuota.toLocaleString() })}</p>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('partners.key')}</th>
                <th scope="col">{t('partners.scopes')}</th>
                <th scope="col">{t('partners.expires')}</th>
                <th scope="col">{t('console.statusCol')}</th>
                <th scope="col">{t('console.change')}</th>
              </tr>
            </thead>
            <tbody>
              {o.keys.map((k) => (
                <tr key={k.id}>
                  <td>
                    <code>{k.prefix}…</code> ({k.id})
                  </td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{date(k.expiresAt)}</td>
                  <td>{t(`partners.status.${k.status}`)}</td>
                  <td>
                    {k.status === 'active' && (
                      <span className="row-actions">
                        <button type="button" className="secondary small" onClick={() => void newKey(o, k.id)}>
                          {t('partners.rotate', { id: k.id })}
                        </button>
                        <button type="button" className="secondary small" onClick={() => void revoke(o, k.id)}>
                          {t('partners.revoke', { id: k.id })}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" className="secondary small" onClick={() => void newKey(o)}>
              {t('partners.newKey', { name: o.name })}
            </button>
            <button type="button" className="secondary small" aria-expanded={usageOf === o.id} onClick={() => setUsageOf(usageOf === o.id ? null : o.id)}>
              {t('partners.usage', { name: o.name })}
            </button>
          </div>
          {usageOf === o.id && <Usage organisation={o} />}
        </article>
      ))}
      <h2>{t('partners.add')}</h2>
      <form onSubmit={add}>
        <div className="filters">
          <div>
            <label htmlFor={ids.name}>{t('partners.name')}</label>
            <input id={ids.name} value={fresh.name} minLength={2} maxLength={80} onChange={(e) => setFresh({ ...fresh, name: e.target.value })} required />
          </div>
          <div>
            <label htmlFor={ids.type}>{t('partners.type')}</label>
            <select id={ids.type} value={fresh.type} onChange={(e) => setFresh({ ...fresh, type: e.target.value as (typeof TYPES)[number] })}>
              {TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`partners.types.${type}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset>
          <legend>{t('partners.scopes')}</legend>
          {SCOPES.map((scope) => (
            <label key={scope} className="inline">
              <input
                type="checkbox"
                checked={fresh.scopes.includes(scope)}
                onChange={(e) => setFresh({ ...fresh, scopes: e.target.checked ? [...fresh.scopes, scope] : fresh.scopes.filter((s) => s !== scope) })}
              />{' '}
              <code>{scope}</code>&nbsp;{t(`partners.scopeText.${scope.replace(':', '_')}`)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit">{t('partners.addButton')}</button>
        </div>
      </form>
    </section>
  );
}

/** An organisation's calls per day over 30 days (all routes together, and refused), as a chart with its table. */
function Usage({ organisation }: { organisation: OrganisationListing }) {
  const { t } = useTranslation();
  const { data, failure } = useOfficer<{ usage: PartnerUsageRow[] }>(`/partners/${organisation.id}/usage?days=30`);
  const chart = useMemo(() => {
    if (data === null) return null;
    const today = new Date().toISOString().slice(0, 10);
    const days = daysBetween(new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10), today);
    const calls = new Map<string, number>();
    const refused = new Map<string, number>();
    for (const row of data.usage) {
      calls.set(row.day, (calls.get(row.day) ?? 0) + row.calls);
      refused.set(row.day, (refused.get(row.day) ?? 0) + row.refused);
    }
    return { days, series: [{ label: t('partners.calls'), values: days.map((d) => calls.get(d) ?? 0) }, { label: t('partners.refused'), values: days.map((d) => refused.get(d) ?? 0) }] };
  }, [data, t]);
  if (failure !== null) return <p className="error">{failure}</p>;
  if (chart === null) return <p>{t('console.loading')}</p>;
  return (
    <Suspense fallback={<p>{t('console.loading')}</p>}>
      <Chart title={t('partners.usageTitle', { name: organisation.name })} days={chart.days} series={chart.series} />
      {data !== null && data.usage.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('console.day')}</th>
              <th scope="col">{t('partners.route')}</th>
              <th scope="col">{t('partners.calls')}</th>
              <th scope="col">{t('partners.refused')}</th>
            </tr>
          </thead>
          <tbody>
            {data.usage.map((row) => (
              <tr key={`${row.day} ${row.route}`}>
                <td>{row.day}</td>
                <td>
                  <code>{row.route}</code>
                </td>
                <td>{row.calls}</td>
                <td>{row.refused}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Suspense>
  );
}
