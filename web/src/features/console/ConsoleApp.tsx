import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { currentSession, endSession, type Session } from './session';
import { Queue } from './Queue';
import { ReportWork } from './ReportWork';
import { SignIn } from './SignIn';

/** The officers' console at /console: sign-in, then the triage queue and each report's working view. */
export default function ConsoleApp() {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session | null>(currentSession());
  if (session === null) return <SignIn onSignedIn={setSession} />;
  return (
    <div className="console">
      <p className="signed-in">
        {t('console.signedInAs', { user: session.username, role: t(`console.roles.${session.role}`, { defaultValue: session.role }) })}{' '}
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            endSession();
            setSession(null);
          }}
        >
          {t('console.signOut')}
        </button>
      </p>
      <Routes>
        <Route index element={<Queue />} />
        <Route path="reports/:reference" element={<ReportWork />} />
      </Routes>
    </div>
  );
}
