import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CheckError, type CheckResult } from '../../api';
import { VerdictCard } from './VerdictCard';
import { useTaxonomy } from '../../taxonomy';

/** Up to this many values of a pasted message are checked. */
const MAX_FOUND = 20;

/** A single value has no spaces between words; anything longer is read as a message and searched. */
function isMessage(text: string): boolean {
  return /\s/.test(text.trim()) && !/^[+\d\s().-]+$/.test(text.trim());
}

type Outcome = { kind: 'results'; results: (CheckResult | CheckError)[]; fromMessage: boolean } | { kind: 'nothing' } | { kind: 'failed' };

/** One search box that takes anything: a value is checked, a message is searched and what it holds checked. */
export function CheckPage() {
  const { t } = useTranslation();
  const inputId = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const taxonomy = useTaxonomy();


  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (value === '') return;
    setBusy(true);
    try {
      if (isMessage(value)) {
        const { indicators } = await api.extract(value);
        const values = [...new Set(indicators.map((i) => i.canonical))].slice(0, MAX_FOUND);
        setOutcome(values.length === 0 ? { kind: 'nothing' } : { kind: 'results', results: (await api.checkMany(values)).results, fromMessage: true });
      } else {
        setOutcome({ kind: 'results', results: [await api.check(value)], fromMessage: false });
      }
    } catch (error) {
      const known = error instanceof Error && 'code' in error ? (error as { code: string; message: string }) : null;
      setOutcome(known !== null && known.code !== 'INTERNAL' ? { kind: 'results', results: [{ input: value, error: { code: known.code, message: known.message } }], fromMessage: false } : { kind: 'failed' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="check">
      <h1>{t('check.title')}</h1>
      <form onSubmit={submit} role="search">
        <label htmlFor={inputId}>{t('check.label')}</label>
        <p className="hint">{t('check.intro')}</p>
        <div className="search">
          <textarea id={inputId} value={text} rows={2} maxLength={10000} placeholder={t('check.placeholder')} onChange={(e) => setText(e.target.value)} />
          <button type="submit" disabled={busy || text.trim() === ''}>
            {busy ? t('check.checking') : t('check.submit')}
          </button>
        </div>
      </form>
      <div aria-live="polite" className="outcome">
        {outcome?.kind === 'failed' && <p className="error">{t('check.failed')}</p>}
        {outcome?.kind === 'nothing' && <p>{t('check.nothingFound')}</p>}
        {outcome?.kind === 'results' && (
          <>
            {outcome.fromMessage && <p>{t('check.found', { count: outcome.results.length })}</p>}
            {outcome.results.map((r) =>
              'error' in r ? (
                <p key={r.input} className="error">
                  {r.input}: {r.error.message}
                </p>
              ) : (
                <VerdictCard key={r.key} result={r} taxonomy={taxonomy} />
              ),
            )}
          </>
        )}
      </div>
    </section>
  );
}
