import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { officer } from './session';

/**
 * Loads a console API answer; `reload` fetches it again after an action. A null path loads nothing. An answer
 * that arrives after the path changed (a slower request for the previous filter) is dropped.
 */
export function useOfficer<T>(path: string | null): { data: T | null; failure: string | null; reload: () => Promise<void> } {
  const { t } = useTranslation();
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const current = useRef(path);
  current.current = path;
  const reload = useCallback(async () => {
    if (path === null) return;
    try {
      const answer = await officer<T>(path);
      if (current.current !== path) return;
      setData(answer);
      setFailure(null);
    } catch (e) {
      if (current.current === path) setFailure(problemText(e, t));
    }
  }, [path, t]);
  useEffect(() => {
    setData(null);
    setFailure(null);
    void reload();
  }, [reload]);
  return { data, failure, reload };
}

/** Error codes the console explains in the chosen language; any other shows the API's own (English) message. */
const EXPLAINED = ['NOT_FOUND', 'FORBIDDEN', 'INVALID_TRANSITION', 'UNKNOWN_USER', 'USER_EXISTS', 'SELF_CHANGE', 'LAST_ADMIN', 'SHARED_HOST', 'VALIDATION_FAILED', 'RATE_LIMITED', 'UNRECOGNIZED'];

export function problemText(e: unknown, t: (key: string) => string): string {
  if (!(e instanceof ApiError)) return t('console.loadFailed');
  return EXPLAINED.includes(e.code) ? t(`console.errors.${e.code}`) : e.message;
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
 * Where an action's result is announced. Focus moves to it: the button that was pressed often goes away with the
 * state it acted on (a triaged report has no "triage" button), and focus must not fall back to the page's top.
 */
export function ResultLine({ result }: { result: ActionResult | null }) {
  const line = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (result !== null) line.current?.focus();
  }, [result]);
  return (
    <div aria-live="polite">
      {result !== null && (
        <p ref={line} tabIndex={-1} className={result.ok ? 'done' : 'error'}>
          {result.text}
        </p>
      )}
    </div>
  );
}
