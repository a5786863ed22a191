import { lazy, Suspense, useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Route, Routes, useParams, useSearchParams } from 'react-router';
import { Account } from './Account';
import { AuditLog } from './AuditLog';
import { CampaignList, CampaignView } from './Campaigns';
import { DisputeList, DisputeView } from './Disputes';
import { ClusterList } from './ClusterList';
import { ClusterView } from './ClusterView';
import { IndicatorPage } from './IndicatorPage';
import { Partners } from './Partners';
import { Senders } from './Senders';
import { Queue } from './Queue';
import { ReportWork } from './ReportWork';
import { currentSession, SESSION_ENDED, signOut, type Session } from './session';
import { SignIn } from './SignIn';
import { Users } from './Users';

// The charts library is loaded only when the dashboard is opened.
const Dashboard = lazy(() => import('./Dashboard'));

/** The officers' console at /console: sign-in, then the queue, dashboard, clusters, values, and for admins the audit log, users and partners. */
export default function ConsoleApp() {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session | null>(currentSession());
  // A session that ends anywhere (sign-out, or a 401 from an expired or revoked token) shows the sign-in again.
  useEffect(() => {
    const ended = () => setSession(null);
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, []);
  if (session === null) return <SignIn onSignedIn={setSession} />;
  const admin = session.role === 'admin';
  return (
    <div className="console">
      <div className="console-bar">
        <nav aria-label={t('console.nav.label')} className="console-nav">
          <NavLink to="/console" end>
            {t('console.nav.queue')}
          </NavLink>
          <NavLink to="/console/dashboard">{t('console.nav.dashboard')}</NavLink>
          <NavLink to="/console/clusters">{t('console.nav.clusters')}</NavLink>
          <NavLink to="/console/campaigns">{t('console.nav.campaigns')}</NavLink>
          <NavLink to="/console/indicators">{t('console.nav.indicators')}</NavLink>
          <NavLink to="/console/disputes">{t('dispute.console.nav')}</NavLink>
          {admin && <NavLink to="/console/audit">{t('console.nav.audit')}</NavLink>}
          {admin && <NavLink to="/console/users">{t('console.nav.users')}</NavLink>}
          {admin && <NavLink to="/console/partners">{t('console.nav.partners')}</NavLink>}
          {admin && <NavLink to="/console/senders">{t('console.nav.senders')}</NavLink>}
          <NavLink to="/console/account">{t('account.nav')}</NavLink>
        </nav>
        <p className="signed-in">
          {t('console.signedInAs', { user: session.username, role: t(`console.roles.${session.role}`, { defaultValue: session.role }) })}{' '}
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              void signOut();
            }}
          >
            {t('console.signOut')}
          </button>
        </p>
      </div>
      <Routes>
        <Route index element={<Queue />} />
        <Route
          path="dashboard"
          element={
            <Suspense fallback={<p>{t('console.loading')}</p>}>
              <Dashboard />
            </Suspense>
          }
        />
        <Route path="reports/:reference" element={<Keyed param="reference" page={ReportWork} />} />
        <Route path="clusters" element={<ClusterList />} />
        <Route path="clusters/:id" element={<Keyed param="id" page={ClusterView} />} />
        <Route path="campaigns" element={<CampaignList />} />
        <Route path="campaigns/:id" element={<Keyed param="id" page={CampaignView} />} />
        <Route path="indicators" element={<IndicatorOfSearch />} />
        <Route path="disputes" element={<DisputeList />} />
        <Route path="disputes/:reference" element={<Keyed param="reference" page={DisputeView} />} />
        {admin && <Route path="audit" element={<AuditLog />} />}
        {admin && <Route path="users" element={<Users />} />}
        {admin && <Route path="partners" element={<Partners />} />}
        {admin && <Route path="senders" element={<Senders />} />}
        <Route path="account" element={<Account />} />
        <Route path="*" element={<ConsoleNotFound />} />
      </Routes>
    </div>
  );
}

/**
 * A page for one report, cluster or value starts afresh when the link changes (a related cluster, a new
 * search): a reason typed for the previous one must not be used for the next, nor a revealed contact stay.
 */
function Keyed({ param, page: Page }: { param: string; page: () => ReactElement }) {
  const params = useParams();
  return <Page key={params[param]} />;
}

function IndicatorOfSearch() {
  const [search] = useSearchParams();
  return <IndicatorPage key={search.toString()} />;
}

function ConsoleNotFound() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/console">{t('console.backToQueue')}</Link>
      </p>
    </section>
  );
}
