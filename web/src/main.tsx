import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './Layout';
import { CheckPage } from './features/check/CheckPage';
import { NotFound } from './NotFound';
import { ReportPage } from './features/report/ReportPage';
import { StatusPage } from './features/status/StatusPage';
import { TipsPage } from './features/tips/TipsPage';
import { TransparencyPage } from './features/transparency/TransparencyPage';
import { DisputePage } from './features/dispute/DisputePage';
import { DisputeStatusPage } from './features/dispute/DisputeStatusPage';
import './i18n';

// The console is loaded only when an officer opens it: the public pages stay small.
const ConsoleApp = lazy(() => import('./features/console/ConsoleApp'));
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<CheckPage />} />
          <Route path="report" element={<ReportPage />} />
          <Route path="tips" element={<TipsPage />} />
          <Route path="transparency" element={<TransparencyPage />} />
          <Route path="status/:reference" element={<StatusPage />} />
          <Route path="dispute" element={<DisputePage />} />
          <Route path="dispute/:reference" element={<DisputeStatusPage />} />
          <Route
            path="console/*"
            element={
              <Suspense fallback={null}>
                <ConsoleApp />
              </Suspense>
            }
          />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </BrowserRouter>
  </StrictMode>,
);
