import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError, type Label, type NewReport, type Receipt } from '../../api';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';

interface Found {
  value: string;
  kind: string;
  raw: string;
  role: string;
  keep: boolean;
}

/** The role a value most likely played, from its kind; the reporter can change it. */
const ROLE_OF: Record<string, string> = {
  phone: 'caller', url: 'link', domain: 'website', email: 'email', bank_account: 'payee_account', payment_proxy: 'payment_proxy',
  crypto_wallet: 'wallet', social_account: 'social_account', sms_sender: 'sender', ip: 'other',
};
const STEPS = ['what', 'indicators', 'loss', 'contact', 'review'] as const;
type Step = (typeof STEPS)[number];

/**
 * The report wizard: what happened, the numbers and links involved (found in the pasted message, for the
 * reporter to confirm), the loss, optional contact details with why and for how long, review, submit.
 */
export function ReportPage() {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const taxonomy = useTaxonomy();
  const [step, setStep] = useState<Step>('what');
  const [scamType, setScamType] = useState('');
  const [channel, setChannel] = useState('');
  const [date, setDate] = useState('');
  const [narrative, setNarrative] = useState('');
  const [found, setFound] = useState<Found[]>([]);
  const [extra, setExtra] = useState('');
  const [lost, setLost] = useState(false);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('HKD');
  const [contact, setContact] = useState({ name: '', email: '', phone: '' });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = { type: useId(), channel: useId(), date: useId(), narrative: useId(), extra: useId(), amount: useId(), currency: useId(), name: useId(), email: useId(), phone: useId() };

  // Each new step (and the receipt) is announced by moving focus to its heading; not on arrival.
  const arrived = useRef(false);
  useEffect(() => {
    if (arrived.current) heading.current?.focus();
    arrived.current = true;
  }, [step, receipt]);

  const hasContact = contact.name !== '' || contact.email !== '' || contact.phone !== '';

  async function next(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (step === 'what') {
      if (scamType === '' || channel === '') return setError(t('report.needTypeAndChannel'));
      if (narrative.trim() !== '') {
        try {
          const { indicators } = await api.extract(narrative.trim());
          const known = new Set(found.map((f) => f.value));
          const fresh = indicators.filter((i) => !known.has(i.canonical)).map((i) => ({ value: i.canonical, kind: i.kind, raw: i.raw, role: ROLE_OF[i.kind] ?? 'other', keep: true }));
          setFound([...found, ...fresh]);
        } catch {
          // Extraction only helps; the reporter can still type the values in.
        }
      }
      return setStep('indicators');
    }
    if (step === 'indicators') {
      if (narrative.trim() === '' && !found.some((f) => f.keep)) return setError(t('report.needSomething'));
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

  function addExtra() {
    const value = extra.trim();
    if (value === '') return;
    setFound([...found, { value, kind: '', raw: value, role: 'other', keep: true }]);
    setExtra('');
  }

  function report(): NewReport {
    return {
      scamType,
      channel,
      ...(date === '' ? {} : { occurredAt: new Date(`${date}T12:00:00`).toISOString() }),
      narrative: narrative.trim(),
      ...(lost && Number(amount) > 0 ? { loss: { amount: Number(amount), currency } } : {}),
      indicators: found.filter((f) => f.keep).map((f) => ({ value: f.value, ...(f.kind === '' ? {} : { kind: f.kind }), role: f.role })),
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

  if (receipt !== null) {
    const link = `${location.origin}/status/${receipt.reference}#${receipt.statusToken}`;
    return (
      <section className="receipt">
        <h1 ref={heading} tabIndex={-1}>
          {t('report.thanks')}
        </h1>
        <p>
          {t('report.reference')} <strong className="reference">{receipt.reference}</strong>
        </p>
        <p>{t('report.keepLink')}</p>
        <p className="private-link">
          <Link to={`/status/${receipt.reference}#${receipt.statusToken}`}>{link}</Link>
        </p>
        <p className="hint">{t('report.linkPrivate')}</p>
      </section>
    );
  }

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
    body = (
      <>
        <p>{found.length === 0 ? t('report.noneFound') : t('report.confirmFound')}</p>
        <ul className="found">
          {found.map((f, i) => (
            <li key={f.value}>
              <label className="inline">
                <input type="checkbox" checked={f.keep} onChange={(e) => setFound(found.map((x, j) => (j === i ? { ...x, keep: e.target.checked } : x)))} />
                <span dir="auto">{f.raw}</span>
              </label>
              <label className="inline role">
                {t('report.role')}{' '}
                <select value={f.role} onChange={(e) => setFound(found.map((x, j) => (j === i ? { ...x, role: e.target.value } : x)))}>
                  {(taxonomy?.roles ?? [f.role]).map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`, { defaultValue: r })}
                    </option>
                  ))}
                </select>
              </label>
            </li>
          ))}
        </ul>
        <label htmlFor={ids.extra}>{t('report.addAnother')}</label>
        <div className="search">
          <input id={ids.extra} value={extra} onChange={(e) => setExtra(e.target.value)} maxLength={2048} />
          <button type="button" className="secondary" onClick={addExtra}>
            {t('report.add')}
          </button>
        </div>
      </>
    );
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
        <dd>{r.indicators.length === 0 ? '—' : r.indicators.map((i) => i.value).join(', ')}</dd>
        <dt>{t('report.amount')}</dt>
        <dd>{r.loss === undefined ? '—' : `${r.loss.currency} ${r.loss.amount.toLocaleString()}`}</dd>
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
