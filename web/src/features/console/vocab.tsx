import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** How a report is closed, and whom it is referred to: the API's vocabularies. */
export const OUTCOMES = ['action_taken', 'no_further_action', 'duplicate', 'not_a_scam'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const REFERRAL_KINDS = ['unit', 'partner'] as const;
export interface ReferralTarget {
  kind: (typeof REFERRAL_KINDS)[number];
  name: string;
}

export function OutcomeSelect({ value, onChange }: { value: Outcome; onChange: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>{t('console.outcome')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Outcome)}>
        {OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {t(`console.outcomes.${o}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Whom to refer to: a police unit or a partner organisation, by name. */
export function ReferralFields({ value, onChange }: { value: ReferralTarget; onChange: (target: ReferralTarget) => void }) {
  const { t } = useTranslation();
  const ids = { kind: useId(), name: useId() };
  return (
    <>
      <div>
        <label htmlFor={ids.kind}>{t('console.referKind')}</label>
        <select id={ids.kind} value={value.kind} onChange={(e) => onChange({ ...value, kind: e.target.value as ReferralTarget['kind'] })}>
          {REFERRAL_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`console.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="wide">
        <label htmlFor={ids.name}>{t('console.referTo')}</label>
        <input id={ids.name} value={value.name} maxLength={120} onChange={(e) => onChange({ ...value, name: e.target.value })} />
      </div>
    </>
  );
}
