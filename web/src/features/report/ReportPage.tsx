import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearchParams } from 'react-router';
import { api, ApiError, type Label, type NewReport, type Receipt as Answer } from '../../api';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';
import { IndicatorsStep, isKind, ROLE_OF, useValueAdder, type Found } from './IndicatorsStep';
import { Receipt } from './Receipt';

const STEPS = ['what', 'indicators', 'loss', 'contact', 'review'] as const;
type Step = (typeof STEPS)[number];

/**
 * The report wizard: what happened, the numbers and links involved (found in the pasted message, for the
 * reporter to confirm), the loss, optional contact details with why and for how long, review, submit.
 * From the check page it starts with the value checked (`/report?value=…&kind=…`) or the pasted message
 * (in the history state, never in an address).
 */
export function ReportPage() {
  const { t } = useTranslation();
  const { lang, money } = useLanguage();
  const taxonomy = useTaxonomy();
  const [params] = useSearchParams();
  const carried = useLocation().state as { message?: unknown } | null;
  const [step, setStep] = useState<Step>('what');
  const [scamType, setScamType] = useState('');
  const [channel, setChannel] = useState('');
  const [date, setDate] = useState('');
  const [narrative, setNarrative] = useState(typeof carried?.message === 'string' ? carried.message : '');
  const [found, setFound] = useState<Found[]>([]);
  const adder = useValueAdder(setFound);
  const [lost, setLost] = useState(false);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('HKD');
  const [contact, setContact] = useState({ name: '', email: '', phone: '' });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Answer | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = { type: useId(), channel: useId(), date: useId(), narrative: useId(), amount: useId(), currency: useId(), name: useId(), email: useId(), phone: useId() };

  // Each new step (and the receipt) is announced by moving focus to its heading; not on arrival.
  const arrived = useRef(false);
  useEffect(() => {
    if (arrived.current) heading.current?.focus();
    arrived.current = true;
  }, [step, receipt]);

  // A value carried from the check is recognised as any added value is (an address can be typed by anyone).
  const carriedValue = params.get('value')?.trim() ?? '';
  const carriedKind = params.get('kind');
  useEffect(() => {
    if (carriedValue !== '') void adder.add(carriedValue, isKind(carriedKind) ? carriedKind : '');
    // On arrival only (and if the address changes), not whenever the adder is remade.
  }, [carriedValue, carriedKind]);

  const hasContact = contact.name !== '' || contact.email !== '' || contact.phone !== '';

  async function next(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (step === 'what') {
      if (scamType === '' || channel === '') return setError(t('report.needTypeAndChannel'));
      if (narrative.trim() !== '') {
        try {
          const { indicators } = await api.extract(narrative.trim());
          setFound((found) => {
            const known = new Set(found.map((f) => f.value));
            return [...found, ...indicators.flatMap((i) => (isKind(i.kind) && !known.has(i.canonical) ? [{ value: i.canonical, kind: i.kind, raw: i.raw, role: ROLE_OF[i.kind], keep: true, fromStory: true }] : []))];
          });
        } catch {
          // Extraction only helps; the reporter can still type the values in.
        }
      }
      return setStep('indicators');
    }
    if (step === 'indicators') {
      // A value still in the "add" box is added first (or its problem shown), not silently left out.
      const pending = adder.text.trim();
      if (pending !== '' && !(await adder.add(pending, adder.kind))) return;
      if (narrative.trim() === '' && pending === '' && !found.some((f) => f.keep)) return setError(t('report.needSomething'));
      return setStep('loss');
    }
    if (step === 'loss') {
      if (lost && !(Number(amount) > 0)) return setError(t('report.needAmount'));
      return setStep('contact');
    }
    if (step === 'contact') {
      if (hasContact && !consent) return setError(t('report.needConsent'));
      return setStep('review');
    }
    await submit();
  }

  function report(): NewReport {
    return {
      // The selects offer only the taxonomy's codes.
      scamType: scamType as NewReport['scamType'],
      channel: channel as NewReport['channel'],
      ...(date === '' ? {} : { occurredAt: new Date(`${date}T12:00:00`).toISOString() }),
      narrative: narrative.trim(),
      ...(lost && Number(amount) > 0 ? { loss: { amount: Number(amount), currency } } : {}),
      indicators: found.filter((f) => f.keep).map((f) => ({ value: f.value, kind: f.kind, role: f.role as NonNullable<NewReport['indicators'][number]['role']> })),
      ...(hasContact && consent
        ? { contact: { ...(contact.name === '' ? {} : { name: contact.name }), ...(contact.email === '' ? {} : { email: contact.email }), ...(contact.phone === '' ? {} : { phone: contact.phone }), consent: true as const } }
        : {}),
    };
  }

  async function submit() {
    setBusy(true);
    try {
      setReceipt(await api.report(report()));
    } catch (e) {
      setError(e instanceof ApiError && e.code !== 'INTERNAL' ? e.message : t('report.failed'));
    } finally {
      setBusy(false);
    }
  }

  if (receipt !== null) return <Receipt receipt={receipt} lostMoney={lost && Number(amount) > 0} heading={heading} />;

  const label = (l: Label | undefined, fallback: string) => l?.[lang] ?? fallback;
  const stepIndex = STEPS.indexOf(step);
  let body: ReactNode;
  if (step === 'what') {
    body = (
      <>
        <label htmlFor={ids.type}>{t('report.scamType')}</label>
        <select id={ids.type} value={scamType} onChange={(e) => setScamType(e.target.value)} required>
          <option value="">{t('report.choose')}</option>
          {Object.entries(taxonomy?.scamTypes ?? {}).map(([code, l]) => (
            <option key={code} value={code}>
              {label(l, code)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.channel}>{t('report.channel')}</label>
        <select id={ids.channel} value={channel} onChange={(e) => setChannel(e.target.value)} required>
          <option value="">{t('report.choose')}</option>
          {Object.entries(taxonomy?.channels ?? {}).map(([code, l]) => (
            <option key={code} value={code}>
              {label(l, code)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.date}>{t('report.when')}</label>
        <input id={ids.date} type="date" value={date} max={new Date().toISOString().slice(0, 10)} onChange={(e) => setDate(e.target.value)} />
        <label htmlFor={ids.narrative}>{t('report.narrative')}</label>
        <p className="hint">{t('report.narrativeHint')}</p>
        <textarea id={ids.narrative} rows={6} maxLength={20000} value={narrative} onChange={(e) => setNarrative(e.target.value)} />
      </>
    );
  } else if (step === 'indicators') {
    body = <IndicatorsStep found={found} setFound={setFound} adder={adder} taxonomy={taxonomy} />;
  } else if (step === 'loss') {
    body = (
      <>
        <label className="inline">
          <input type="checkbox" checked={lost} onChange={(e) => setLost(e.target.checked)} /> {t('report.lostMoney')}
        </label>
        {lost && (
          <div className="row">
            <div>
              <label htmlFor={ids.amount}>{t('report.amount')}</label>
              <input id={ids.amount} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value.replace(/[^\d.]/g, ''))} />
            </div>
            <div>
              <label htmlFor={ids.currency}>{t('report.currency')}</label>
              <select id={ids.currency} value={currency} onChange={(e) => setCurrency(e.target.value)}>
                {['HKD', 'CNY', 'USD', 'SGD', 'GBP', 'EUR', 'INR'].map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </div>
          </div>
        )}
      </>
    );
  } else if (step === 'contact') {
    body = (
      <>
        <p>{t('report.contactWhy')}</p>
        <label htmlFor={ids.name}>{t('report.name')}</label>
        <input id={ids.name} autoComplete="name" value={contact.name} maxLength={200} onChange={(e) => setContact({ ...contact, name: e.target.value })} />
        <label htmlFor={ids.email}>{t('report.email')}</label>
        <input id={ids.email} type="email" autoComplete="email" value={contact.email} maxLength={320} onChange={(e) => setContact({ ...contact, email: e.target.value })} />
        <label htmlFor={ids.phone}>{t('report.phone')}</label>
        <input id={ids.phone} type="tel" autoComplete="tel" value={contact.phone} maxLength={40} onChange={(e) => setContact({ ...contact, phone: e.target.value })} />
        <label className="inline">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t('report.consent')}
        </label>
      </>
    );
  } else {
    const r = report();
    body = (
      <dl className="review">
        <dt>{t('report.scamType')}</dt>
        <dd>{label(taxonomy?.scamTypes[r.scamType], r.scamType)}</dd>
        <dt>{t('report.channel')}</dt>
        <dd>{label(taxonomy?.channels[r.channel], r.channel)}</dd>
        <dt>{t('report.indicatorsTitle')}</dt>
        <dd>
          {r.indicators.length === 0 ? (
            '—'
          ) : (
            <ul className="review-values">
              {found
                .filter((f) => f.keep)
                .map((f) => (
                  <li key={f.value} dir="auto">
                    {t('report.reviewValue', { value: f.raw, kind: t(`kind.${f.kind}`), role: t(`role.${f.role}`, { defaultValue: f.role }) })}
                  </li>
                ))}
            </ul>
          )}
        </dd>
        <dt>{t('report.amount')}</dt>
        <dd>{r.loss === undefined ? '—' : money(r.loss)}</dd>
        <dt>{t('report.contactTitle')}</dt>
        <dd>{r.contact === undefined ? t('report.noContact') : [r.contact.name, r.contact.email, r.contact.phone].filter(Boolean).join(', ')}</dd>
      </dl>
    );
  }

  return (
    <section className="report">
      <p className="steps">{t('report.stepOf', { step: stepIndex + 1, total: STEPS.length })}</p>
      <h1 ref={heading} tabIndex={-1}>
        {t(`report.title.${step}`)}
      </h1>
      <form onSubmit={next} noValidate>
        {body}
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          {stepIndex > 0 && (
            <button type="button" className="secondary" onClick={() => setStep(STEPS[stepIndex - 1] as Step)}>
              {t('report.back')}
            </button>
          )}
          <button type="submit" disabled={busy}>
            {step === 'review' ? t('report.submit') : t('report.next')}
          </button>
        </div>
      </form>
    </section>
  );
}
