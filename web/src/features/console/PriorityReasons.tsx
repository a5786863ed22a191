import type { Label } from '../../api';
import { useLanguage } from '../../i18n';

export interface PriorityReason {
  code: string;
  points: number;
  text: Label;
}

/** Why a report ranks where it does: each reason with its points. */
export function PriorityReasons({ reasons }: { reasons: readonly PriorityReason[] }) {
  const { lang } = useLanguage();
  return (
    <ul className="reasons">
      {reasons.map((r) => (
        <li key={r.code}>
          {r.text[lang]} <span className="points">+{r.points}</span>
        </li>
      ))}
    </ul>
  );
}
