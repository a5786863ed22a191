import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { officer } from './session';

/** Loads a console API answer; `reload` fetches it again after an action. A null path loads nothing. */
export function useOfficer<T>(path: string | null): { data: T | null; failed: boolean; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
  const reload = useCallback(async () => {
    if (path === null) return;
    try {
      setData(await officer<T>(path));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [path]);
  useEffect(() => {
    setData(null);
    void reload();
  }, [reload]);
  return { data, failed, reload };
}

export interface Outcome {
  ok: boolean;
  text: string;
}

/**
 * Runs an officer action and says how it went: the API's own message when it refuses, else `done`. Actions
 * that change something need a stated reason first (it goes into the audit log).
 */
type Run = <R>(action: () => Promise<R>, done: string | ((result: R) => string), reason?: string) => Promise<boolean>;

export function useAction(): { outcome: Outcome | null; run: Run } {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run: Run = useCallback(
    async (action, done, reason) => {
      if (reason !== undefined && reason.trim().length < 3) {
        setOutcome({ ok: false, text: t('console.needReason') });
        return false;
      }
      try {
        const result = await action();
        setOutcome({ ok: true, text: typeof done === 'string' ? done : done(result) });
        return true;
      } catch (e) {
        setOutcome({ ok: false, text: e instanceof ApiError ? e.message : t('console.loadFailed') });
        return false;
      }
    },
    [t],
  );
  return { outcome, run };
}

/** Where an action's outcome is announced to screen readers. */
export function OutcomeLine({ outcome }: { outcome: Outcome | null }) {
  return <div aria-live="polite">{outcome !== null && <p className={outcome.ok ? 'done' : 'error'}>{outcome.text}</p>}</div>;
}
