import { AppError } from '../../errors.js';

/**
 * Backoff for failed sign-ins of one account name. A few failures are free (typos); after that every
 * further failure makes the next attempt wait twice as long, up to a cap, so that guessing is slow from any
 * number of addresses while the real user is never locked out for more than the cap: after the wait, the
 * right password gets in and clears the count. Pure: the state lives in the database (login_throttle), so
 * every server node applies the same backoff.
 */
export interface ThrottlePolicy {
  /** Failures allowed before the first wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** Failures older than this are forgotten (the count starts again). */
  forgetAfterMs: number;
}

export const LOGIN_THROTTLE: ThrottlePolicy = { freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 };

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/** Milliseconds until the account name may be tried again, or 0 when it may be tried now. */
export function waitLeft(state: ThrottleState | null, now: Date): number {
  if (state?.lockedUntil == null) return 0;
  return Math.max(0, state.lockedUntil.getTime() - now.getTime());
}

/**
 * The state after one more failure at `now`. The attempt is counted before its password is checked (a right
 * password then clears it), so that parallel guesses cannot all slip in before the first failure is written.
 */
export function afterFailure(state: ThrottleState | null, now: Date, policy: ThrottlePolicy = LOGIN_THROTTLE): ThrottleState {
  const forgotten = state === null || now.getTime() - state.lastFailureAt.getTime() > policy.forgetAfterMs;
  const failures = (forgotten ? 0 : state.failures) + 1;
  const over = failures - policy.freeFailures;
  if (over < 0) return { failures, lastFailureAt: now, lockedUntil: null };
  // 2 ** over overflows to Infinity long after the cap is reached; min() keeps it finite.
  const delay = Math.min(policy.baseDelayMs * 2 ** over, policy.maxDelayMs);
  return { failures, lastFailureAt: now, lockedUntil: new Date(now.getTime() + delay) };
}

/** Whether this failure is the one that starts the backoff: the audit log gets an alert then. */
export function startsBackoff(state: ThrottleState, policy: ThrottlePolicy = LOGIN_THROTTLE): boolean {
  return state.failures === policy.freeFailures;
}

/** LOGIN_THROTTLED, with the seconds to wait (the route sends them as Retry-After). Says nothing of whether the user exists. */
export class LoginThrottledError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super('LOGIN_THROTTLED', `Too many failed sign-ins for this account; retry in ${seconds} s.`);
    this.retryAfterSeconds = seconds;
  }
}
