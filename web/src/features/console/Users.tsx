import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n';
import { currentSession, officer } from './session';
import { ResultLine, useAction, useOfficer } from './useOfficer';

interface UserRow {
  username: string;
  role: string;
  createdAt: string;
  disabledAt: string | null;
  activeSessions: number;
}
const ROLES = ['analyst', 'officer', 'admin'] as const;

/** Admins add console users, change their roles and disable them; every change states why and is audited. */
export function Users() {
  const { t } = useTranslation();
  const { date } = useLanguage();
  const ids = { name: useId(), password: useId(), role: useId(), reason: useId() };
  const { data, failure, reload } = useOfficer<{ users: UserRow[] }>('/users');
  const [fresh, setFresh] = useState({ username: '', password: '', role: 'analyst' as (typeof ROLES)[number] });
  const [reason, setReason] = useState('');
  const { result, run } = useAction();
  // A role chosen in a row's list takes effect only when its button is pressed.
  const [roles, setRoles] = useState<Record<string, string>>({});
  const me = currentSession()?.username;

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await run(() => officer('/users', fresh), t('console.userAdded', { user: fresh.username }))) {
      setFresh({ username: '', password: '', role: 'analyst' });
      await reload();
    }
  }
  async function change(username: string, body: { role?: string; disabled?: boolean }) {
    const done = body.disabled === false ? t('console.userEnabled', { user: username }) : t('console.userChanged', { user: username });
    if (!(await run(() => officer(`/users/${encodeURIComponent(username)}`, { ...body, reason }), done, reason))) return;
    setReason('');
    setRoles(({ [username]: _changed, ...others }) => others);
    await reload();
  }
  /** The one-time password is shown here once, to be handed over; the user chooses a new one at sign-in. */
  async function reset(username: string) {
    const done = (answer: { password: string }) => t('account.resetDone', { user: username, password: answer.password });
    if (!(await run(() => officer<{ password: string }>(`/users/${encodeURIComponent(username)}/password-reset`, { reason }), done, reason))) return;
    setReason('');
    await reload();
  }

  return (
    <section>
      <h1>{t('console.nav.users')}</h1>
      {failure !== null && <p className="error">{failure}</p>}
      <label htmlFor={ids.reason}>{t('console.reason')}</label>
      <input id={ids.reason} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      <ResultLine result={result} />
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('console.username')}</th>
            <th scope="col">{t('console.role')}</th>
            <th scope="col">{t('console.since')}</th>
            <th scope="col">{t('console.sessions')}</th>
            <th scope="col">{t('console.statusCol')}</th>
            <th scope="col">{t('console.change')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.users.map((u) => (
            <tr key={u.username}>
              <td>{u.username}</td>
              <td>{t(`console.roles.${u.role}`, { defaultValue: u.role })}</td>
              <td>{date(u.createdAt)}</td>
              <td>{u.activeSessions}</td>
              <td>{u.disabledAt === null ? t('console.active') : t('console.disabledSince', { date: date(u.disabledAt) })}</td>
              <td>
                {u.username !== me && (
                  <span className="row-actions">
                    <select aria-label={t('console.roleOf', { user: u.username })} value={roles[u.username] ?? u.role} onChange={(e) => setRoles({ ...roles, [u.username]: e.target.value })}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`console.roles.${r}`)}
                        </option>
                      ))}
                    </select>
                    <button type="button" className="secondary small" disabled={(roles[u.username] ?? u.role) === u.role} onClick={() => void change(u.username, { role: roles[u.username] })}>
                      {t('console.changeRole', { user: u.username })}
                    </button>
                    <button type="button" className="secondary small" onClick={() => void change(u.username, { disabled: u.disabledAt === null })}>
                      {u.disabledAt === null ? t('console.disable', { user: u.username }) : t('console.enable', { user: u.username })}
                    </button>
                    <button type="button" className="secondary small" onClick={() => void reset(u.username)}>
                      {t('account.reset', { user: u.username })}
                    </button>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('console.addUser')}</h2>
      <form onSubmit={add}>
        <div className="filters">
          <div>
            <label htmlFor={ids.name}>{t('console.username')}</label>
            <input id={ids.name} value={fresh.username} autoComplete="off" pattern="[a-z0-9][a-z0-9._\-]{1,62}" onChange={(e) => setFresh({ ...fresh, username: e.target.value })} required />
          </div>
          <div>
            <label htmlFor={ids.password}>{t('console.initialPassword')}</label>
            <input id={ids.password} type="password" autoComplete="new-password" minLength={12} value={fresh.password} onChange={(e) => setFresh({ ...fresh, password: e.target.value })} required />
          </div>
          <div>
            <label htmlFor={ids.role}>{t('console.role')}</label>
            <select id={ids.role} value={fresh.role} onChange={(e) => setFresh({ ...fresh, role: e.target.value as (typeof ROLES)[number] })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`console.roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="actions">
          <button type="submit">{t('console.addUserButton')}</button>
        </div>
      </form>
    </section>
  );
}
