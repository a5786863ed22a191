import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Label } from '../../api';
import { useLanguage } from '../../i18n';
import { useTaxonomy } from '../../taxonomy';

/**
 * The scam type as officers label it, beside the suggestion and the reporter's choice: the labels are what
 * the dashboard measures the suggestions against. Labelling needs no reason (the API takes none); it is
 * audited with the type and the suggestion.
 */
export function TypeLabel({
  labelled,
  suggested,
  chosen,
  acting,
  label,
}: {
  labelled: string | null;
  suggested: { scamType: string; label: Label; signals: { cue: string }[] };
  chosen: string;
  acting: boolean;
  label: (scamType: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const taxonomy = useTaxonomy();
  const id = useId();
  const [type, setType] = useState(labelled ?? suggested.scamType);
  const name = (code: string) => taxonomy?.scamTypes[code]?.[lang] ?? code;
  return (
    <>
      <p>
        {t('console.suggested', { type: suggested.label[lang] })}
        {suggested.signals.length > 0 && ` (${suggested.signals.map((s) => s.cue).join(', ')})`}
      </p>
      <p>{labelled === null ? t('console.notLabelled') : t('console.labelledAs', { type: name(labelled) })}</p>
      {acting && (
        <div className="filters reasoned">
          <div className="wide">
            <label htmlFor={id}>{t('console.labelType')}</label>
            <select id={id} value={type} onChange={(e) => setType(e.target.value)}>
              {Object.entries(taxonomy?.scamTypes ?? { [type]: null }).map(([code, l]) => (
                <option key={code} value={code}>
                  {l?.[lang] ?? code}
                  {code === chosen ? ` (${t('console.reporterChoice')})` : ''}
                  {code === suggested.scamType ? ` (${t('console.suggestion')})` : ''}
                </option>
              ))}
            </select>
          </div>
          <div className="reasoned-button">
            <button type="button" className="secondary" onClick={() => void label(type)}>
              {t('console.labelButton')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
