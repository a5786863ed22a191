import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { ReasonedAction } from './ReasonedAction';
import { officer } from './session';
import { ResultLine, useAction, useOfficer } from './useOfficer';

interface Entry {
  senderId: string;
  organisation: string;
  status: 'active' | 'suspended';
  registeredOn: string;
  expiresOn: string | null;
  inForce: boolean;
  updatedAt: string;
}

interface Imported {
  added: number;
  updated: number;
  unchanged: number;
  changed: boolean;
}

/** Where an entry stands today (Hong Kong days, as the registry's dates are). */
function stateOf(e: Entry): 'inForce' | 'suspended' | 'ended' | 'notYet' {
  if (e.inForce) return 'inForce';
  if (e.status === 'suspended') return 'suspended';
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return e.registeredOn > today ? 'notYet' : 'ended';
}

/**
 * Admins manage the SMS Sender Registry: import the scheme's CSV (all or nothing; a refused file lists its bad
 * rows), suspend and reinstate a sender. Registered senders in force are verified in every check; each change
 * states why and is audited.
 */
export function Senders() {
  const { t } = useTranslation();
  const { date } = useLanguage();
  const ids = { file: useId(), csv: useId(), reason: useId(), sender: useId() };
  const { data, failure, reload } = useOfficer<{ senders: Entry[] }>('/senders');
  const [csv, setCsv] = useState('');
  const [reason, setReason] = useState('');
  const [importLine, setImportLine] = useState<{ ok: boolean; text: string } | null>(null);
  const [chosen, setChosen] = useState('');
  const { result, run } = useAction();
  const entries = data?.senders ?? [];
  const selected = entries.find((e) => e.senderId === chosen) ?? entries[0];

  async function importFile(event: FormEvent) {
    event.preventDefault();
    if (reason.trim().length < 3) return setImportLine({ ok: false, text: t('console.needReason') });
    try {
      const done = await officer<Imported>('/senders/import', { csv, reason });
      setImportLine({ ok: true, text: done.changed ? t('senders.imported', { added: done.added, updated: done.updated, unchanged: done.unchanged }) : t('senders.importedNothing', { unchanged: done.unchanged }) });
      setCsv('');
      setReason('');
      await reload();
    } catch (e) {
      // A refused file says which rows are bad and why, in the server's words (line and code each).
      setImportLine({ ok: false, text: e instanceof ApiError ? e.message : t('console.loadFailed') });
    }
  }

  return (
    <section>
      <h1>{t('senders.title')}</h1>
      <p className="hint">{t('senders.intro')}</p>
      {failure !== null && <p className="error">{failure}</p>}

      <h2>{t('senders.importTitle')}</h2>
      <form onSubmit={(e) => void importFile(e)} className="filters">
        <div className="wide">
          <label htmlFor={ids.file}>{t('senders.file')}</label>
          <input id={ids.file} type="file" accept=".csv,text/csv" onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)} />
        </div>
        <div className="wide">
          <label htmlFor={ids.csv}>{t('senders.csv')}</label>
          <textarea id={ids.csv} rows={4} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder="sender_id,organisation,status,registered_on,expires_on" />
        </div>
        <div className="wide">
          <label htmlFor={ids.reason}>{t('console.reason')}</label>
          <input id={ids.reason} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </div>
        <div className="reasoned-button">
          <button type="submit" disabled={csv.trim() === ''}>
            {t('senders.import')}
          </button>
        </div>
      </form>
      {importLine !== null && <p className={importLine.ok ? 'done' : 'error'}>{importLine.text}</p>}

      <h2>{t('senders.listTitle', { count: entries.length })}</h2>
      {data !== null && entries.length === 0 && <p>{t('console.noData')}</p>}
      {entries.length > 0 && (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('senders.senderId')}</th>
                <th scope="col">{t('senders.organisation')}</th>
                <th scope="col">{t('senders.status')}</th>
                <th scope="col">{t('senders.registeredOn')}</th>
                <th scope="col">{t('senders.expiresOn')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.senderId}>
                  <td dir="auto">{e.senderId}</td>
                  <td dir="auto">{e.organisation}</td>
                  <td>{t(`senders.states.${stateOf(e)}`)}</td>
                  <td>{date(e.registeredOn)}</td>
                  <td>{e.expiresOn === null ? '—' : date(e.expiresOn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {selected !== undefined && (
            <ReasonedAction
              button={selected.status === 'active' ? t('senders.suspend', { id: selected.senderId }) : t('senders.reinstate', { id: selected.senderId })}
              run={(why) =>
                run(
                  async () => {
                    const answer = await officer<{ changed: boolean }>(`/senders/${selected.status === 'active' ? 'suspend' : 'reinstate'}`, { senderId: selected.senderId, reason: why });
                    await reload();
                    return answer;
                  },
                  selected.status === 'active' ? t('senders.suspended', { id: selected.senderId }) : t('senders.reinstated', { id: selected.senderId }),
                  why,
                )
              }
            >
              <div>
                <label htmlFor={ids.sender}>{t('senders.senderId')}</label>
                <select id={ids.sender} value={selected.senderId} onChange={(e) => setChosen(e.target.value)}>
                  {entries.map((e) => (
                    <option key={e.senderId} value={e.senderId}>
                      {e.senderId}
                    </option>
                  ))}
                </select>
              </div>
            </ReasonedAction>
          )}
          <ResultLine result={result} />
        </>
      )}
    </section>
  );
}
