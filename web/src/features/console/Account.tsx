import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangePassword } from './AccountPassword';
import { AccountSessions } from './AccountSessions';
import { currentSession } from './session';

/** Every user's own account page: change one's password, see one's sessions and end any of them. */
export function Account() {
  const { t } = useTranslation();
  const [changes, setChanges] = useState(0);
  return (
    <section>
      <h1>{t('account.title', { user: currentSession()?.username ?? '' })}</h1>
      <ChangePassword onChanged={() => setChanges((n) => n + 1)} />
      {/* Mounted afresh after a password change, which ended the other sessions: the list loads again. */}
      <AccountSessions key={changes} />
    </section>
  );
}
