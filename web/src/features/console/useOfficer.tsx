import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { officer } from './session';

/**
 * Loads a console API answer; `reload` fetches it again after an action. A null path loads nothing. An answer
 * that arrives after the path changed (a slower request for the previous filter) is dropped. A failure is kept
 * as it came and explained when shown, so that switching language re-explains it without loading again.
 */
export function useOfficer<T>(path: string | null): { data: T | null; failure: string | null; reload: () => Promise<void> } {
  const { t } = useTranslation();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef<string | null>(null);
  const reload = useCallback(async () => {
    if (path === null) return;
    latest.current = path;
    try {
      const answer = await officer<T>(path);
      if (latest.current !== path) return;
      setData(answer);
      setError(null);
    } catch (e) {
      if (latest.current === path) setError(e);
    }
  }, [path]);
  useEffect(() => {
    setData(null);
    setError(null);
    void reload();
  }, [reload]);
  return { data, failure: error === null ? null : problemText(error, t), reload };
}

/** Error codes the console explains in the chosen language; the rest get one general explanation with their code. */
const EXPLAINED = ['NOT_FOUND', 'FORBIDDEN', 'INVALID_TRANSITION', 'UNKNOWN_USER', 'USER_EXISTS', 'SELF_CHANGE', 'SHARED_HOST', 'VALIDATION_FAILED', 'RATE_LIMITED', 'UNRECOGNIZED'];

export function problemText(e: unknown, t: (key: string, options?: Record<string, string>) => string): string {
  if (!(e instanceof ApiError)) return t('console.loadFailed');
  if (EXPLAINED.includes(e.code)) return t(`console.errors.${e.code}`);
  // A value that is not valid as the kind asked for (INVALID_PHONE, INVALID_URL, ...).
  if (e.code.startsWith('INVALID_')) return t('console.errors.INVALID_VALUE');
  return t('console.errors.other', { code: e.code });
}

/** How an officer action went. */
export interface ActionResult {
  ok: boolean;
  text: string;
}

type Run = <R>(action: () => Promise<R>, done: string | ((result: R) => string), reason?: string) => Promise<boolean>;

/**
 * Runs an officer action and says how it went: the refusal explained, else `done`. Actions that change
 * something need a stated reason first (it goes into the audit log).
 */
export function useAction(): { result: ActionResult | null; run: Run } {
  const { t } = useTranslation();
  const [result, setResult] = useState<ActionResult | null>(null);
  const run: Run = useCallback(
    async (action, done, reason) => {
      if (reason !== undefined && reason.trim().length < 3) {
        setResult({ ok: false, text: t('console.needReason') });
        return false;
      }
      try {
        const answer = await action();
        setResult({ ok: true, text: typeof done === 'string' ? done : done(answer) });
        return true;
      } catch (e) {
        setResult({ ok: false, text: problemText(e, t) });
        return false;
      }
    },
    [t],
  );
  return { result, run };
}

/**
 * Where an action's result is shown. Focus moves to it when a new result comes (it is read out then): the
 * button that was pressed often goes away with the state it acted on (a triaged report has no "triage" button),
 * and focus must not fall back to the top of the page. Not a live region too, which would read it twice.
 */
export function ResultLine({ result }: { result: ActionResult | null }) {
  const line = useRef<HTMLParagraphElement>(null);
  const shown = useRef(result);
  useEffect(() => {
    if (result === shown.current) return; // the result the page (re)mounted with is not news
    shown.current = result;
    if (result !== null) line.current?.focus();
  }, [result]);
  return result === null ? null : (
    <p ref={line} tabIndex={-1} className={result.ok ? 'done' : 'error'}>
      {result.text}
    </p>
  );
}
