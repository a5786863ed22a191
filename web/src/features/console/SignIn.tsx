import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { signIn, type Session } from './session';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { t } = useTranslation();
  const ids = { user: useId(), password: useId() };
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      onSignedIn(await signIn(username, password));
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'INVALID_CREDENTIALS' ? t('console.wrongCredentials') : t('console.signInFailed'));
    }
  }
  return (
    <section className="sign-in">
      <h1>{t('console.signInTitle')}</h1>
      <form onSubmit={submit}>
        <label htmlFor={ids.user}>{t('console.username')}</label>
        <input id={ids.user} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <label htmlFor={ids.password}>{t('console.password')}</label>
        <input id={ids.password} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit">{t('console.signIn')}</button>
        </div>
      </form>
    </section>
  );
}
