import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CheckResult } from '../../api';

/** Where a value's owner disputes it (a flagged value) or a business asks for it to be verified (one with no record). */
export function disputePath(result: Pick<CheckResult, 'canonical' | 'kind'>, request: 'dispute' | 'verify'): string {
  return `/dispute?${new URLSearchParams({ value: result.canonical, kind: result.kind, request }).toString()}`;
}

/** The verdict card's link for the value's owner; none for a verified value (there is nothing to ask). */
export function DisputeLink({ result }: { result: CheckResult }) {
  const { t } = useTranslation();
  const level = result.verdict.level;
  if (level === 'verified') return null;
  const request = level === 'high_risk' || level === 'suspicious' ? 'dispute' : 'verify';
  return (
    <p className="card-links">
      <Link to={disputePath(result, request)}>{t(`dispute.link.${request}`)}</Link>
    </p>
  );
}
