import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ApiError, type CheckError, type CheckResult, type MessageReadingAnswer } from '../../api';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';
import { valueProblem } from '../../value-problem';
import { MessageSummary } from './MessageSummary';
import { VerdictCard } from './VerdictCard';

/** Up to this many values of a pasted message are checked. */
const MAX_FOUND = 20;

/** A single value has no spaces between words; anything longer is read as a message and searched. */
function isMessage(text: string): boolean {
  return /\s/.test(text.trim()) && !/^[+\d\s().-]+$/.test(text.trim());
}

type Outcome =
  | { kind: 'value'; result: CheckResult | CheckError }
  | { kind: 'message'; message: string; results: (CheckResult | CheckError)[]; reading: MessageReadingAnswer | null }
  | { kind: 'nothing' }
  | { kind: 'failed' };

/**
 * One search box that takes anything: a value is checked, a message is searched and what it holds checked.
 * A value checked is in the page's address (`/?value=…`), so an answer can be shared and opening the address
 * checks it again; a pasted message is not (it may hold the reader's own details, and addresses end up in
 * browser history and proxies' logs).
 */
export function CheckPage() {
  const { t } = useTranslation();
  const inputId = useId();
  const [params, setParams] = useSearchParams();
  const asked = params.get('value')?.trim() ?? '';
  const [text, setText] = useState(asked);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const taxonomy = useTaxonomy();
  const { lang } = useLanguage();
  const latest = useRef(0);

  /** Runs one check; an answer that arrives after a newer question was asked is dropped. */
  async function run(value: string): Promise<void> {
    const asking = ++latest.current;
    setBusy(true);
    let answer: Outcome;
    try {
      if (isMessage(value)) {
        // The wording is read beside the values; a reading that fails leaves the values' answer whole.
        const [{ indicators }, reading] = await Promise.all([api.extract(value), api.readMessage(value, lang).catch(() => null)]);
        const values = [...new Set(indicators.map((i) => i.canonical))].slice(0, MAX_FOUND);
        const results = values.length === 0 ? [] : (await api.checkMany(values)).results;
        answer = values.length === 0 && reading?.reading.label !== 'scam' ? { kind: 'nothing' } : { kind: 'message', message: value, results, reading };
      } else {
        answer = { kind: 'value', result: await api.check(value) };
      }
    } catch (error) {
      answer = error instanceof ApiError && error.code !== 'INTERNAL' ? { kind: 'value', result: { input: value, error: { code: error.code, message: error.message } } } : { kind: 'failed' };
    }
    if (asking !== latest.current) return;
    setOutcome(answer);
    setBusy(false);
  }

  // The address is the question: opening /?value=X (or going back to it) checks X.
  useEffect(() => {
    if (asked === '') {
      // Back at the bare address: the answer about a value goes (a message's answer was never in the address).
      setOutcome((shown) => (shown?.kind === 'value' ? null : shown));
      return;
    }
    setText(asked);
    void run(asked);
  }, [asked]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (value === '') return;
    if (isMessage(value)) {
      if (asked !== '') setParams({});
      void run(value);
    } else if (value === asked) {
      void run(value); // the same address: check again
    } else {
      setParams({ value });
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
        {outcome?.kind === 'value' && <Answer result={outcome.result} taxonomy={taxonomy} single />}
        {outcome?.kind === 'message' && (
          <>
            <MessageSummary message={outcome.message} results={outcome.results} reading={outcome.reading} />
            {outcome.results.length > 0 && <p>{t('check.found', { count: outcome.results.length })}</p>}
            {outcome.results.map((r) => (
              <Answer key={'error' in r ? r.input : r.key} result={r} taxonomy={taxonomy} single={false} />
            ))}
          </>
        )}
      </div>
    </section>
  );
}

function Answer({ result, taxonomy, single }: { result: CheckResult | CheckError; taxonomy: ReturnType<typeof useTaxonomy>; single: boolean }) {
  const { t } = useTranslation();
  if ('error' in result) {
    return (
      <p className="error" dir="auto">
        {valueProblem(result.error.code, result.input, t)}
      </p>
    );
  }
  return <VerdictCard result={result} taxonomy={taxonomy} share={!single} report={single} />;
}
