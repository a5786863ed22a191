import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { NewPasswordFields } from './AccountPassword';
import { signIn, type Session } from './session';

/**
 * Sign-in. A password an administrator reset is good for one thing: the form then asks for a new password
 * and signs in with both.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { t } = useTranslation();
  const ids = { user: useId(), password: useId() };
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(false);
  const [fresh, setFresh] = useState({ password: '', again: '' });
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (mustChange && fresh.password !== fresh.again) {
      setError(t('account.mismatch'));
      return;
    }
    try {
      onSignedIn(await signIn(username, password, mustChange ? fresh.password : undefined));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'PASSWORD_CHANGE_REQUIRED') setMustChange(true);
      else setError(signInProblem(e, t));
    }
  }
  return (
    <section className="sign-in">
      <h1>{t('console.signInTitle')}</h1>
      <form onSubmit={submit}>
        <label htmlFor={ids.user}>{t('console.username')}</label>
        <input id={ids.user} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required readOnly={mustChange} />
        <label htmlFor={ids.password}>{mustChange ? t('account.oneTimePassword') : t('console.password')}</label>
        <input id={ids.password} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required readOnly={mustChange} />
        {mustChange && (
          <>
            <p className="hint" role="status">
              {t('account.chooseNew')}
            </p>
            <NewPasswordFields value={fresh} onChange={setFresh} />
          </>
        )}
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit">{mustChange ? t('account.setAndSignIn') : t('console.signIn')}</button>
        </div>
      </form>
    </section>
  );
}

function signInProblem(e: unknown, t: (key: string) => string): string {
  if (!(e instanceof ApiError)) return t('console.signInFailed');
  if (e.code === 'INVALID_CREDENTIALS') return t('console.wrongCredentials');
  if (e.code === 'LOGIN_THROTTLED') return t('account.throttled');
  if (e.code === 'VALIDATION_FAILED') return t('account.weakPassword');
  return t('console.signInFailed');
}
