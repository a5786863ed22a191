import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n';
import { endSession, officer } from './session';
import { ResultLine, problemText, useOfficer, type ActionResult } from './useOfficer';

interface SessionRow {
  id: number;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

/** The signed-in user's live sessions (this one marked), each of which they can end. */
export function AccountSessions() {
  const { t } = useTranslation();
  const { time } = useLanguage();
  const { data, failure, reload } = useOfficer<{ sessions: SessionRow[] }>('/account/sessions');
  const [result, setResult] = useState<ActionResult | null>(null);

  async function revoke(session: SessionRow) {
    try {
      await officer(`/account/sessions/${session.id}/revoke`, {});
    } catch (e) {
      setResult({ ok: false, text: problemText(e, t) });
      return;
    }
    // Ending this very session is signing out here.
    if (session.current) endSession();
    else {
      setResult({ ok: true, text: t('account.sessionEnded') });
      await reload();
    }
  }

  return (
    <>
      <h2>{t('account.sessionsTitle')}</h2>
      {failure !== null && <p className="error">{failure}</p>}
      <ResultLine result={result} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('account.browser')}</th>
            <th scope="col">{t('account.signedIn')}</th>
            <th scope="col">{t('account.lastUsed')}</th>
            <th scope="col">{t('account.expires')}</th>
            <th scope="col">{t('console.change')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.sessions.map((s) => (
            <tr key={s.id} aria-current={s.current ? 'true' : undefined}>
              <td>
                {s.userAgent ?? t('account.unknownBrowser')}
                {s.current && <strong className="this-session"> ({t('account.thisSession')})</strong>}
              </td>
              <td>{time(s.createdAt)}</td>
              <td>{time(s.lastUsedAt)}</td>
              <td>{time(s.expiresAt)}</td>
              <td>
                <button type="button" className="secondary small" onClick={() => void revoke(s)}>
                  {s.current ? t('account.endThis') : t('account.endOther', { id: String(s.id) })}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
