import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransparencyReport } from '../../../../src/modules/transparency/transparency.types';
import { call } from '../../api';
import { formatDate, useLanguage } from '../../i18n';
import { InventoryTable } from './InventoryTable';
import { MonthlyFigure, type MonthlyLine } from './MonthlyFigure';
import './transparency.css';

const SECTIONS = ['checks', 'reports', 'flagged', 'unflagged', 'disputes', 'contacts', 'partners', 'deletions', 'holds', 'inventory'] as const;

/**
 * The public transparency report (issue 17): what the service was used for and what it did with people's data,
 * month by month, and the data inventory. The API publishes the counts already rounded; a count under the
 * smallest published never leaves the server, so the page only says how it was left out.
 */
export function TransparencyPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const [report, setReport] = useState<TransparencyReport | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    call<TransparencyReport>('/api/v1/transparency').then(setReport, () => setFailed(true));
  }, []);
  const lines = useMemo(() => (report === null ? null : linesOf(report, t)), [report, t]);
  const locale = lang === 'en' ? 'en-HK' : 'zh-HK';
  if (report === null || lines === null) {
    return (
      <section className="transparency">
        <h1>{t('transparency.title')}</h1>
        {failed ? <p className="error">{t('transparency.failed')}</p> : <p className="hint">{t('transparency.loading')}</p>}
      </section>
    );
  }
  const minimum = report.smallestPublished;
  const count = (n: number | null): string => (n === null ? t('transparency.under', { minimum }) : n.toLocaleString(locale));
  const figure = (title: string, of: MonthlyLine[]) => <MonthlyFigure title={title} months={report.months} lines={of} minimum={minimum} />;
  const lastDay = new Date(Date.parse(report.until) - 86_400_000).toISOString().slice(0, 10);
  return (
    <section className="transparency">
      <h1>{t('transparency.title')}</h1>
      <p>{t('transparency.intro')}</p>
      <p>{t('transparency.period', { from: formatDate(report.from, locale), to: formatDate(lastDay, locale) })}</p>
      <p className="rounding">{t('transparency.rounding', { minimum, rounded: report.roundedTo })}</p>
      <nav aria-labelledby="transparency-contents" className="contents">
        <h2 id="transparency-contents">{t('transparency.contents')}</h2>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <a href={`#${s}`}>{t(`transparency.${s}.title`)}</a>
            </li>
          ))}
        </ul>
      </nav>

      <Part id="checks" title={t('transparency.checks.title')} note={t('transparency.checks.note')}>
        {figure(t('transparency.checks.chart'), lines.checks)}
      </Part>
      <Part id="reports" title={t('transparency.reports.title')} note={t('transparency.reports.note')}>
        {figure(t('transparency.reports.chart'), lines.reports)}
      </Part>
      <Part id="flagged" title={t('transparency.flagged.title')}>
        <table className="grid counts">
          <caption>{t('transparency.flagged.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('transparency.flagged.kind')}</th>
              <th scope="col">{t('transparency.flagged.high_risk')}</th>
              <th scope="col">{t('transparency.flagged.suspicious')}</th>
            </tr>
          </thead>
          <tbody>
            {report.flagged.map((f) => (
              <tr key={f.kind}>
                <th scope="row">{t(`kind.${f.kind}`)}</th>
                <td>{count(f.high_risk)}</td>
                <td>{count(f.suspicious)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>
      <Part id="unflagged" title={t('transparency.unflagged.title')} note={t('transparency.unflagged.note')}>
        {figure(t('transparency.unflagged.chart'), lines.unflagged)}
      </Part>
      <Part id="disputes" title={t('transparency.disputes.title')} note={t('transparency.disputes.note')}>
        {figure(t('transparency.disputes.chart'), lines.disputes)}
        <table className="grid counts">
          <caption>{t('transparency.disputes.outcomes')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('transparency.disputes.request')}</th>
              <th scope="col">{t('transparency.disputes.status')}</th>
              <th scope="col">{t('transparency.disputes.count')}</th>
            </tr>
          </thead>
          <tbody>
            {report.disputes.outcomes.map((o) => (
              <tr key={`${o.request}-${o.status}`}>
                <th scope="row">{t(`transparency.disputes.requestNames.${o.request}`)}</th>
                <td>{t(`transparency.disputes.statuses.${o.status}`)}</td>
                <td>{count(o.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Part>
      <Part id="contacts" title={t('transparency.contacts.title')} note={t('transparency.contacts.note')}>
        {figure(t('transparency.contacts.chart'), lines.contacts)}
      </Part>
      <Part id="partners" title={t('transparency.partners.title')} note={t('transparency.partners.note')}>
        {figure(t('transparency.partners.chart'), lines.partners)}
      </Part>
      <Part id="deletions" title={t('transparency.deletions.title')} note={t('transparency.deletions.note')}>
        {figure(t('transparency.deletions.chart'), lines.deletions)}
      </Part>
      <Part id="holds" title={t('transparency.holds.title')} note={t('transparency.holds.note')}>
        <p className="figure-now">
          {t('transparency.holds.inForce')}: <strong>{count(report.legalHolds.inForce)}</strong>
        </p>
        {figure(t('transparency.holds.chart'), lines.holds)}
      </Part>
      <Part id="inventory" title={t('transparency.inventory.title')} note={t('transparency.inventory.intro')}>
        <InventoryTable items={report.inventory} />
      </Part>
    </section>
  );
}

function Part({ id, title, note, children }: { id: string; title: string; note?: string; children: ReactNode }) {
  return (
    <section className="part" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {note !== undefined && <p className="hint">{note}</p>}
      {children}
    </section>
  );
}

/** Each monthly figure's series with its label in the reader's language. */
function linesOf(r: TransparencyReport, t: (key: string) => string): Record<'checks' | 'reports' | 'unflagged' | 'disputes' | 'contacts' | 'partners' | 'deletions' | 'holds', MonthlyLine[]> {
  const named = (list: { name: string; counts: (number | null)[] }[], prefix: string): MonthlyLine[] => list.map((s) => ({ label: t(`${prefix}.${s.name}`), counts: s.counts }));
  return {
    checks: [{ label: t('transparency.checks.series'), counts: r.checks }],
    reports: named(r.reports, 'transparency.reports.sources'),
    unflagged: named(r.unflagged, 'transparency.unflagged.reasons'),
    disputes: named(r.disputes.received, 'transparency.disputes.requests'),
    contacts: named(r.contactReads, 'transparency.contacts.subjects'),
    partners: named(r.partnerCalls, 'transparency.partners.types'),
    deletions: named(r.deletions, 'transparency.deletions.kinds'),
    holds: [{ label: t('transparency.holds.series'), counts: r.legalHolds.placed }],
  };
}
