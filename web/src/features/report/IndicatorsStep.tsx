import { useCallback, useId, useState, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Kind, type Taxonomy } from '../../api';
import { valueProblem } from '../../value-problem';

/** A value of the report: found in the story or added, recognised as `kind`, with the role the reporter gives it. */
export interface Found {
  value: string;
  kind: Kind;
  /** As it is shown to the reporter: as written in the story, or the recognised value's display form. */
  raw: string;
  role: string;
  keep: boolean;
  /** Found in the reporter's story (else added by them, or carried from the check). */
  fromStory: boolean;
}

/** The kinds a reporter can name for a value the wizard does not recognise by itself (the API's kinds). */
export const KINDS: readonly Kind[] = ['phone', 'url', 'domain', 'email', 'bank_account', 'payment_proxy', 'crypto_wallet', 'social_account', 'ip', 'sms_sender'];

/** The role a value most likely played, from its kind; the reporter can change it. */
export const ROLE_OF: Record<Kind, string> = {
  phone: 'caller', url: 'link', domain: 'website', email: 'email', bank_account: 'payee_account', payment_proxy: 'payment_proxy',
  crypto_wallet: 'wallet', social_account: 'social_account', sms_sender: 'sender', ip: 'other',
};

export function isKind(value: string | null): value is Kind {
  return (KINDS as readonly string[]).includes(value ?? '');
}

/**
 * The "add" box's logic: a value is added only once the API recognises it (as the kind the reporter named,
 * or a kind it detects), in its normal form; anything else gets a clear message and stays in the box to be
 * corrected. Recognising asks the public check, which stores nothing about the value.
 */
export function useValueAdder(setFound: Dispatch<SetStateAction<Found[]>>) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [kind, setKind] = useState<Kind | ''>('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Adds the value once recognised; false (and the reason shown) when it is not. */
  const add = useCallback(
    async (value: string, stated: Kind | ''): Promise<boolean> => {
      if (value === '') return true;
      setBusy(true);
      setProblem(null);
      try {
        const recognised = await api.check(value, stated === '' ? undefined : stated);
        const added: Found = { value: recognised.canonical, kind: recognised.kind, raw: recognised.display, role: ROLE_OF[recognised.kind], keep: true, fromStory: false };
        setFound((found) => (found.some((f) => f.value === added.value) ? found : [...found, added]));
        setText('');
        setKind('');
        return true;
      } catch (e) {
        setText(value);
        setKind(stated);
        if (!(e instanceof ApiError) || e.code === 'INTERNAL') setProblem(t('report.addFailed'));
        // Not recognised by itself: the reporter may know what it is (a sender ID in lower case, say).
        else setProblem(e.code === 'UNRECOGNIZED' && stated === '' ? `${valueProblem(e.code, value, t)} ${t('report.chooseKind')}` : valueProblem(e.code, value, t));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [setFound, t],
  );
  return { text, setText, kind, setKind, problem, busy, add };
}

type Adder = ReturnType<typeof useValueAdder>;

/** The values found in the story, to confirm with a role each, and the box to add more. */
export function IndicatorsStep({ found, setFound, adder, taxonomy }: { found: Found[]; setFound: Dispatch<SetStateAction<Found[]>>; adder: Adder; taxonomy: Taxonomy | null }) {
  const { t } = useTranslation();
  const ids = { value: useId(), kind: useId(), problem: useId() };
  const change = (i: number, part: Partial<Found>) => setFound((all) => all.map((x, j) => (j === i ? { ...x, ...part } : x)));
  return (
    <>
      <p>{found.length === 0 ? t('report.noneFound') : found.some((f) => f.fromStory) ? t('report.confirmFound') : t('report.confirmAdded')}</p>
      <ul className="found">
        {found.map((f, i) => (
          <li key={f.value}>
            <label className="inline">
              <input type="checkbox" checked={f.keep} onChange={(e) => change(i, { keep: e.target.checked })} />
              <span dir="auto">{f.raw}</span>
            </label>
            <span className="kind">{t(`kind.${f.kind}`)}</span>
            <label className="inline role">
              {t('report.role')}{' '}
              <select value={f.role} onChange={(e) => change(i, { role: e.target.value })}>
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
      <label htmlFor={ids.value}>{t('report.addAnother')}</label>
      <div className="add-value">
        <input
          id={ids.value}
          value={adder.text}
          maxLength={2048}
          aria-invalid={adder.problem !== null}
          aria-describedby={adder.problem === null ? undefined : ids.problem}
          onChange={(e) => adder.setText(e.target.value)}
          onKeyDown={(e) => {
            // Enter adds the value rather than going to the next step with it still in the box.
            if (e.key === 'Enter') {
              e.preventDefault();
              void adder.add(adder.text.trim(), adder.kind);
            }
          }}
        />
        <div>
          <label htmlFor={ids.kind}>{t('report.kindLabel')}</label>
          <select id={ids.kind} value={adder.kind} onChange={(e) => adder.setKind(isKind(e.target.value) ? e.target.value : '')}>
            <option value="">{t('report.kindAuto')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" disabled={adder.busy} onClick={() => void adder.add(adder.text.trim(), adder.kind)}>
          {t('report.add')}
        </button>
      </div>
      {adder.problem !== null && (
        <p id={ids.problem} className="error" role="alert">
          {adder.problem}
        </p>
      )}
    </>
  );
}
