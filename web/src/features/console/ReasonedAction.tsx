import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * An action that needs a reason for the audit log: its reason box beside its button (not one box for the
 * whole page, which left officers guessing which action it went with). `run` gets the reason and says
 * whether the action was done; the box is cleared then, so a reason is never given again for the next one.
 * `children` are the action's own fields (whom to refer to, the outcome), placed before the reason; `focus`
 * puts the cursor in the reason box (when it opens on request).
 */
export function ReasonedAction({
  button,
  reasonLabel,
  run,
  focus = false,
  children,
}: {
  button: string;
  reasonLabel?: string;
  run: (reason: string) => Promise<boolean>;
  focus?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  return (
    <div className="filters reasoned">
      {children}
      <div className="wide">
        <label htmlFor={id}>{reasonLabel ?? t('console.reason')}</label>
        <input id={id} value={reason} maxLength={2000} autoFocus={focus} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="reasoned-button">
        <button type="button" className="secondary" onClick={() => void run(reason).then((done) => done && setReason(''))}>
          {button}
        </button>
      </div>
    </div>
  );
}
