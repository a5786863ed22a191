import { useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Receipt as Answer } from '../../api';

/** The Hong Kong Police e-Report Centre, where a victim makes a police report online. */
export const E_REPORT_CENTRE = 'https://www.erc.police.gov.hk/';

/**
 * The receipt: the reference (with a copy button), the private status link, and what to do next, with the
 * bank first when money left (a transfer can sometimes be stopped only in the first hours).
 */
export function Receipt({ receipt, lostMoney, heading }: { receipt: Answer; lostMoney: boolean; heading: RefObject<HTMLHeadingElement | null> }) {
  const { t } = useTranslation();
  const path = `/status/${receipt.reference}#${receipt.statusToken}`;
  const bank = (
    <li key="bank" className={lostMoney ? 'urgent' : undefined}>
      <strong>{t(lostMoney ? 'nextSteps.bankNow' : 'nextSteps.bankIf')}</strong> {t('nextSteps.bankWhy')}
    </li>
  );
  return (
    <section className="receipt">
      <h1 ref={heading} tabIndex={-1}>
        {t('report.thanks')}
      </h1>
      <p>{t('report.reference')}</p>
      <CopyReference reference={receipt.reference} />
      <p>{t('report.keepLink')}</p>
      <p className="private-link">
        <Link to={path}>{`${location.origin}${path}`}</Link>
      </p>
      <p className="hint">{t('report.linkPrivate')}</p>

      <h2>{t('nextSteps.title')}</h2>
      <ol className="next-steps">
        {lostMoney && bank}
        <li>
          <strong>
            {t('nextSteps.helpline')} <a href="tel:18222">18222</a>
          </strong>{' '}
          {t('nextSteps.helplineWhy')}
        </li>
        <li>
          <strong>{t('nextSteps.police')}</strong> {t('nextSteps.policeHow')}{' '}
          <a href={E_REPORT_CENTRE} rel="noopener noreferrer">
            {t('nextSteps.eReport')}
          </a>{' '}
          {t('nextSteps.policeStation')}
        </li>
        <li>
          <strong>{t('nextSteps.evidence')}</strong> {t('nextSteps.evidenceWhat')}
        </li>
        {!lostMoney && bank}
        <li>
          <strong>{t('nextSteps.recovery')}</strong> {t('nextSteps.recoveryWhy')}
        </li>
      </ol>
    </section>
  );
}

/**
 * The reference, large, and a button that copies it. Where the browser gives no clipboard (a page served over
 * plain http), the reference is selected for the reader to copy, and they are told so.
 */
function CopyReference({ reference }: { reference: string }) {
  const { t } = useTranslation();
  const text = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(reference);
      setCopied('copied');
    } catch {
      const node = text.current;
      if (node !== null) getSelection()?.selectAllChildren(node);
      setCopied('select');
    }
  }
  return (
    <div className="reference-row">
      <strong ref={text} className="reference">
        {reference}
      </strong>
      <button type="button" className="secondary small" onClick={() => void copy()}>
        {t('report.copy')}
      </button>
      <span role="status" className="copied">
        {copied === null ? '' : t(copied === 'copied' ? 'report.copied' : 'report.copySelect')}
      </span>
    </div>
  );
}
