import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, type Kind } from '../../api';
import { isKind } from '../report/IndicatorsStep';
import { disputeApi, disputeStatusPath, type DisputeReceipt, type DisputeRequest, type NewDispute } from './dispute-api';

const LINK = /^https?:\/\/\S{1,500}$/;
const EXPLAINED = ['NOT_DISPUTABLE', 'TOO_MANY_DISPUTES', 'RATE_LIMITED', 'INVALID_CONTACT'];

/**
 * The dispute form: /dispute?value=…&kind=…&request=dispute|verify, reached from a verdict card. Who is asking,
 * why, the evidence (text and links, no files) and where the answer goes; after sending, the reference and
 * the private status link, shown once.
 */
export function DisputePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const carriedKind = params.get('kind');
  const kind: Kind | undefined = isKind(carriedKind) ? carriedKind : undefined;
  const [request, setRequest] = useState<DisputeRequest>(params.get('request') === 'verify' ? 'verify' : 'dispute');
  const [value, setValue] = useState(params.get('value') ?? '');
  const [role, setRole] = useState<'owner' | 'representative'>('owner');
  const [organisation, setOrganisation] = useState('');
  const [explanation, setExplanation] = useState('');
  const [evidence, setEvidence] = useState('');
  const [links, setLinks] = useState('');
  const [contact, setContact] = useState({ name: '', email: '', phone: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<DisputeReceipt | null>(null);
  const done = useRef<HTMLHeadingElement>(null);
  const ids = { request: useId(), role: useId(), value: useId(), organisation: useId(), explanation: useId(), explanationHint: useId(), evidence: useId(), evidenceHint: useId(), links: useId(), name: useId(), email: useId(), phone: useId() };

  useEffect(() => {
    if (receipt !== null) done.current?.focus();
  }, [receipt]);

  function problem(): string | null {
    if (value.trim() === '') return t('dispute.needValue');
    if (request === 'verify' && organisation.trim() === '') return t('dispute.needOrganisation');
    if (explanation.trim().length < 10) return t('dispute.needExplanation');
    const given = links.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (given.length > 5 || given.some((l) => !LINK.test(l))) return t('dispute.tooManyLinks');
    if (contact.name.trim() === '') return t('dispute.needName');
    if (contact.email.trim() === '' && contact.phone.trim() === '') return t('dispute.needContact');
    return null;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = problem();
    setError(found);
    if (found !== null) return;
    const given = links.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const dispute: NewDispute = {
      request,
      value: value.trim(),
      // The kind the check recognised, while the value is still the one carried from it.
      ...(kind !== undefined && value === (params.get('value') ?? '') ? { kind } : {}),
      role,
      ...(organisation.trim() === '' ? {} : { organisation: organisation.trim() }),
      explanation: explanation.trim(),
      ...(evidence.trim() === '' ? {} : { evidence: evidence.trim() }),
      ...(given.length === 0 ? {} : { links: given }),
      contact: { name: contact.name.trim(), ...(contact.email.trim() === '' ? {} : { email: contact.email.trim() }), ...(contact.phone.trim() === '' ? {} : { phone: contact.phone.trim() }) },
    };
    setBusy(true);
    try {
      setReceipt(await disputeApi.submit(dispute));
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      setError(t(EXPLAINED.includes(code) ? `dispute.errors.${code}` : code.startsWith('INVALID_') || code === 'UNRECOGNIZED' ? 'dispute.errors.INVALID_VALUE' : 'dispute.errors.other'));
    } finally {
      setBusy(false);
    }
  }

  if (receipt !== null) {
    const path = disputeStatusPath(receipt);
    return (
      <section className="receipt">
        <h1 ref={done} tabIndex={-1}>
          {t('dispute.received')}
        </h1>
        <p>{t('dispute.reference')}</p>
        <p className="reference-row">
          <strong className="reference">{receipt.reference}</strong>
        </p>
        <p>{t('dispute.keepLink')}</p>
        <p className="private-link">
          <Link to={path}>{`${location.origin}${path}`}</Link>
        </p>
        <p className="hint">{t('dispute.linkPrivate')}</p>
      </section>
    );
  }

  return (
    <section className="report dispute">
      <h1>{t(`dispute.title.${request}`)}</h1>
      <p>{t(`dispute.intro.${request}`)}</p>
      <p className="hint">{t('dispute.privacy')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={ids.request}>{t('dispute.request')}</label>
        <select id={ids.request} value={request} onChange={(e) => setRequest(e.target.value === 'verify' ? 'verify' : 'dispute')}>
          {(['dispute', 'verify'] as const).map((r) => (
            <option key={r} value={r}>
              {t(`dispute.requests.${r}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.value}>{t('dispute.value')}</label>
        <input id={ids.value} value={value} maxLength={2048} dir="auto" onChange={(e) => setValue(e.target.value)} />
        <label htmlFor={ids.role}>{t('dispute.role')}</label>
        <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value === 'representative' ? 'representative' : 'owner')}>
          {(['owner', 'representative'] as const).map((r) => (
            <option key={r} value={r}>
              {t(`dispute.roles.${r}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.organisation}>{t(request === 'verify' ? 'dispute.organisationVerify' : 'dispute.organisation')}</label>
        <input id={ids.organisation} autoComplete="organization" value={organisation} maxLength={200} onChange={(e) => setOrganisation(e.target.value)} />
        <label htmlFor={ids.explanation}>{t('dispute.explanation')}</label>
        <p className="hint" id={ids.explanationHint}>
          {t('dispute.explanationHint')}
        </p>
        <textarea id={ids.explanation} aria-describedby={ids.explanationHint} rows={5} maxLength={5000} value={explanation} onChange={(e) => setExplanation(e.target.value)} />
        <label htmlFor={ids.evidence}>{t('dispute.evidence')}</label>
        <p className="hint" id={ids.evidenceHint}>
          {t('dispute.evidenceHint')}
        </p>
        <textarea id={ids.evidence} aria-describedby={ids.evidenceHint} rows={3} maxLength={5000} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
        <label htmlFor={ids.links}>{t('dispute.links')}</label>
        <textarea id={ids.links} rows={2} value={links} onChange={(e) => setLinks(e.target.value)} />
        <h2>{t('dispute.contactTitle')}</h2>
        <p className="hint">{t('dispute.contactWhy')}</p>
        <label htmlFor={ids.name}>{t('dispute.name')}</label>
        <input id={ids.name} autoComplete="name" value={contact.name} maxLength={200} onChange={(e) => setContact({ ...contact, name: e.target.value })} />
        <label htmlFor={ids.email}>{t('dispute.email')}</label>
        <input id={ids.email} type="email" autoComplete="email" value={contact.email} maxLength={320} onChange={(e) => setContact({ ...contact, email: e.target.value })} />
        <label htmlFor={ids.phone}>{t('dispute.phone')}</label>
        <input id={ids.phone} type="tel" autoComplete="tel" value={contact.phone} maxLength={40} onChange={(e) => setContact({ ...contact, phone: e.target.value })} />
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t(busy ? 'dispute.sending' : `dispute.submit.${request}`)}
          </button>
        </div>
      </form>
    </section>
  );
}
