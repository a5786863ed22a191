import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { officer } from './session';
import { ResultLine, problemText, type ActionResult } from './useOfficer';

/** The server's rule (passwords.ts): 12 characters or more. */
export const MIN_PASSWORD = 12;

export interface NewPassword {
  password: string;
  again: string;
}

/** A new password typed twice (the browser may offer to generate one: autocomplete="new-password"). */
export function NewPasswordFields({ value, onChange }: { value: NewPassword; onChange: (value: NewPassword) => void }) {
  const { t } = useTranslation();
  const ids = { password: useId(), again: useId() };
  return (
    <>
      <label htmlFor={ids.password}>{t('account.newPassword')}</label>
      <input id={ids.password} type="password" autoComplete="new-password" minLength={MIN_PASSWORD} maxLength={1024} value={value.password} onChange={(e) => onChange({ ...value, password: e.target.value })} required />
      <label htmlFor={ids.again}>{t('account.newPasswordAgain')}</label>
      <input id={ids.again} type="password" autoComplete="new-password" minLength={MIN_PASSWORD} maxLength={1024} value={value.again} onChange={(e) => onChange({ ...value, again: e.target.value })} required />
    </>
  );
}

/** Explains the refusals of an account change in the chosen language. */
export function accountProblem(e: unknown, t: (key: string, options?: Record<string, string>) => string): string {
  if (e instanceof ApiError && e.code === 'WRONG_PASSWORD') return t('account.wrongPassword');
  if (e instanceof ApiError && e.code === 'LOGIN_THROTTLED') return t('account.throttled');
  if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') return t('account.weakPassword');
  return problemText(e, t);
}

/** Changes the signed-in user's password, giving the current one; their other sessions end. */
export function ChangePassword({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const currentId = useId();
  const [current, setCurrent] = useState('');
  const [fresh, setFresh] = useState<NewPassword>({ password: '', again: '' });
  const [result, setResult] = useState<ActionResult | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (fresh.password !== fresh.again) {
      setResult({ ok: false, text: t('account.mismatch') });
      return;
    }
    try {
      const done = await officer<{ endedSessions: number }>('/account/password', { currentPassword: current, newPassword: fresh.password });
      setResult({ ok: true, text: t('account.changed', { count: done.endedSessions }) });
      setCurrent('');
      setFresh({ password: '', again: '' });
      onChanged();
    } catch (e) {
      setResult({ ok: false, text: accountProblem(e, t) });
    }
  }
  return (
    <form onSubmit={submit}>
      <h2>{t('account.changeTitle')}</h2>
      <label htmlFor={currentId}>{t('account.currentPassword')}</label>
      <input id={currentId} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      <NewPasswordFields value={fresh} onChange={setFresh} />
      <ResultLine result={result} />
      <div className="actions">
        <button type="submit">{t('account.changeButton')}</button>
      </div>
    </form>
  );
}
