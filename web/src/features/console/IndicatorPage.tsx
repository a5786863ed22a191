import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { CheckResult } from '../../api';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';
import { VerdictCard } from '../check/VerdictCard';
import { canAct, officer } from './session';
import { ReasonedAction } from './ReasonedAction';
import { ResultLine, useAction, useOfficer } from './useOfficer';

interface Profile {
  check: CheckResult;
  entries: {
    entry: string;
    label: string;
    reportCount: number;
    firstSeen: string | null;
    lastSeen: string | null;
    feed: string | null;
    decision: { level: string; reason: string; by: string; at: string } | null;
    protection: { name: string; by: string; at: string; compromisedAt: string | null } | null;
  }[];
  reports: { reference: string; receivedAt: string; scamType: string; status: string; cluster: number | null }[];
  reportTotal: number;
  correlation: { key: string; cluster: number | null; excluded: { reason: string; by: string; at: string } | null };
  history: { seq: number; at: string; actor: string; action: string; details: { reason?: string; level?: string; name?: string } }[];
  partnerOutcomes: { organisation: string; organisationType: string; entry: string; outcome: string; reference: string | null; at: string }[];
}

const LEVELS = ['high_risk', 'suspicious', 'cleared'] as const;

/**
 * A value's page: the verdict the public sees, the evidence behind it, the reports naming it, its cluster, the
 * history of decisions; and the officer's actions: set its level, stop it linking reports, protect it as verified.
 */
export function IndicatorPage() {
  const { t } = useTranslation();
  const { lang, date } = useLanguage();
  const [params, setParams] = useSearchParams();
  const value = params.get('value') ?? '';
  const kind = params.get('kind') ?? '';
  const ids = { search: useId(), level: useId(), scope: useId(), name: useId() };
  const [typed, setTyped] = useState(value);
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('high_risk');
  const [scope, setScope] = useState<'url' | 'host'>('url');
  const [name, setName] = useState('');
  const taxonomy = useTaxonomy();
  const { result, run } = useAction();
  const query = new URLSearchParams({ value });
  if (kind !== '') query.set('kind', kind);
  const { data: profile, failure, reload } = useOfficer<Profile>(value === '' ? null : `/indicators/profile?${query.toString()}`);

  function search(event: FormEvent) {
    event.preventDefault();
    if (typed.trim() !== '') setParams({ value: typed.trim() });
  }
  /** An action on the value, with its reason where it needs one (given beside its button). */
  async function act(path: string, body: object, done: string, reason?: string): Promise<boolean> {
    if (!(await run(() => officer(path, body), done, reason))) return false;
    await reload();
    return true;
  }

  const target = profile === null ? null : { value: profile.check.canonical, kind: profile.check.kind };
  return (
    <section className="indicator">
      <h1>{t('console.indicatorTitle')}</h1>
      <form onSubmit={search} className="search">
        <label htmlFor={ids.search} className="visually-hidden">
          {t('console.indicatorSearch')}
        </label>
        <input id={ids.search} value={typed} maxLength={4096} placeholder={t('console.indicatorSearch')} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit">{t('check.submit')}</button>
      </form>
      {failure !== null && <p className="error">{failure}</p>}
      {profile !== null && target !== null && (
        <>
          <VerdictCard result={profile.check} taxonomy={taxonomy} />

          <h2>{t('console.evidence')}</h2>
          {profile.entries.length === 0 ? (
            <p>{t('console.noEvidence')}</p>
          ) : (
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{t('console.entry')}</th>
                  <th scope="col">{t('console.reportsCol')}</th>
                  <th scope="col">{t('console.seen')}</th>
                  <th scope="col">{t('console.feed')}</th>
                  <th scope="col">{t('console.decision')}</th>
                  <th scope="col">{t('console.protection')}</th>
                </tr>
              </thead>
              <tbody>
                {profile.entries.map((e) => (
                  <tr key={e.entry}>
                    <td dir="auto">{e.label}</td>
                    <td>{e.reportCount}</td>
                    <td>
                      {date(e.firstSeen)} – {date(e.lastSeen)}
                    </td>
                    <td>{e.feed ?? '—'}</td>
                    <td>
                      {e.decision === null
                        ? '—'
                        : t('console.decisionLine', { level: t(`console.levels.${e.decision.level}`), by: e.decision.by, date: date(e.decision.at), reason: e.decision.reason })}
                    </td>
                    <td>{e.protection === null ? '—' : `${e.protection.name}${e.protection.compromisedAt === null ? '' : ` (${t('console.compromised')})`}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          {canAct() && (
            <>
              <h2>{t('console.actOnValue')}</h2>
              <ReasonedAction
                button={t('console.setLevelButton')}
                run={(reason) => act('/indicators/decision', { ...target, ...(target.kind === 'url' ? { scope } : {}), level, reason }, t('console.levelSet'), reason)}
              >
                <div>
                  <label htmlFor={ids.level}>{t('console.setLevel')}</label>
                  <select id={ids.level} value={level} onChange={(e) => setLevel(e.target.value as (typeof LEVELS)[number])}>
                    {LEVELS.map((l) => (
                      <option key={l} value={l}>
                        {t(`console.levels.${l}`)}
                      </option>
                    ))}
                  </select>
                </div>
                {target.kind === 'url' && (
                  <div>
                    <label htmlFor={ids.scope}>{t('console.scope')}</label>
                    <select id={ids.scope} value={scope} onChange={(e) => setScope(e.target.value as 'url' | 'host')}>
                      <option value="url">{t('console.scopeUrl')}</option>
                      <option value="host">{t('console.scopeHost')}</option>
                    </select>
                  </div>
                )}
              </ReasonedAction>
              <ReasonedAction
                button={profile.correlation.excluded === null ? t('console.doNotCorrelate') : t('console.correlateAgain')}
                run={(reason) =>
                  act('/indicators/correlation', { ...target, correlate: profile.correlation.excluded !== null, reason }, profile.correlation.excluded === null ? t('console.excluded') : t('console.included'), reason)
                }
              />
              <label htmlFor={ids.name}>{t('console.protectName')}</label>
              <input id={ids.name} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
              <div className="actions">
                <button type="button" className="secondary" onClick={() => void (name.trim() === '' ? undefined : act('/protected', { ...target, name: name.trim() }, t('console.protected')))}>
                  {t('console.protect')}
                </button>
              </div>
              <ResultLine result={result} />
            </>
          )}

          <h2>{t('console.correlation')}</h2>
          <p>
            {profile.correlation.excluded !== null ? (
              t('console.excludedLine', { by: profile.correlation.excluded.by, date: date(profile.correlation.excluded.at), reason: profile.correlation.excluded.reason })
            ) : profile.correlation.cluster !== null ? (
              <Link to={`/console/clusters/${profile.correlation.cluster}`}>{t('console.openCluster', { id: profile.correlation.cluster })}</Link>
            ) : (
              t('console.noCluster')
            )}
          </p>

          <h2>{t('console.namingReports', { count: profile.reportTotal })}</h2>
          <ul>
            {profile.reports.map((r) => (
              <li key={r.reference}>
                <Link to={`/console/reports/${r.reference}`}>{r.reference}</Link> · {date(r.receivedAt)} · {taxonomy?.scamTypes[r.scamType]?.[lang] ?? r.scamType} · {t(`console.status.${r.status}`)}
              </li>
            ))}
          </ul>

          <h2>{t('console.partnerOutcomes')}</h2>
          {profile.partnerOutcomes.length === 0 ? (
            <p>{t('console.noPartnerOutcomes')}</p>
          ) : (
            <ul className="partner-outcomes">
              {profile.partnerOutcomes.map((o) => (
                <li key={`${o.organisation} ${o.entry} ${o.outcome}`}>
                  {t('console.partnerOutcomeLine', { date: date(o.at), organisation: o.organisation, outcome: t(`console.telcoOutcomes.${o.outcome}`, { defaultValue: o.outcome }), entry: o.entry })}
                  {o.reference !== null && <> · <code>{o.reference}</code></>}
                </li>
              ))}
            </ul>
          )}

          <h2>{t('console.history')}</h2>
          {profile.history.length === 0 ? (
            <p>{t('console.noHistory')}</p>
          ) : (
            <ol className="history">
              {profile.history.map((h) => (
                <li key={h.seq}>
                  {date(h.at)} · {h.actor} · {t(`console.actions.${h.action.replace('.', '_')}`, { defaultValue: h.action })}
                  {h.details.level !== undefined && ` (${t(`console.levels.${h.details.level}`, { defaultValue: h.details.level })})`}
                  {h.details.reason !== undefined && `: ${h.details.reason}`}
                  {h.details.name !== undefined && `: ${h.details.name}`}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
