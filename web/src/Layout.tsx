import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';
import { LANGUAGES } from './i18n';

/** The public pages' frame: a skip link, the name, the language switch, the page. */
export function Layout() {
  const { t, i18n } = useTranslation();
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.label')} className="pages">
          <NavLink to="/" end>
            {t('nav.check')}
          </NavLink>
          <NavLink to="/report">{t('nav.report')}</NavLink>
          <NavLink to="/tips">{t('nav.tips')}</NavLink>
        </nav>
        <nav aria-label={t('app.language')} className="languages">
          {LANGUAGES.map((l) => (
            <button key={l.code} type="button" lang={l.code} aria-pressed={i18n.language === l.code} onClick={() => void i18n.changeLanguage(l.code)}>
              {l.name}
            </button>
          ))}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <Link to="/transparency">{t('transparency.link')}</Link>
      </footer>
    </>
  );
}
