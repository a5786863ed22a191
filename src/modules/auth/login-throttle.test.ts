import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LOGIN_THROTTLE, LoginThrottledError, afterFailure, startsBackoff, waitLeft, type ThrottleState } from './login-throttle.js';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);

/** The state after `n` failures, each as soon as it was allowed, starting at second 0. */
function failures(n: number): { state: ThrottleState; waits: number[] } {
  let state: ThrottleState | null = null;
  let now = 0;
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const wait = waitLeft(state, at(now));
    waits.push(wait / 1000);
    now += wait / 1000;
    state = afterFailure(state, at(now));
  }
  return { state: state as ThrottleState, waits };
}

it('five failures are free; then each wait doubles from 30 s and stops growing at 15 minutes', () => {
  const { state, waits } = failures(13);
  assert.deepEqual(waits, [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
  assert.equal(state.failures, 13);
  assert.equal(waitLeft(state, state.lastFailureAt), LOGIN_THROTTLE.maxDelayMs);
});

it('the wait stays finite however many failures there were', () => {
  const state = afterFailure({ failures: 5000, lastFailureAt: at(0), lockedUntil: at(900) }, at(900));
  assert.equal(waitLeft(state, at(900)), LOGIN_THROTTLE.maxDelayMs);
});

it('only the fifth failure starts the backoff (one alert, not one per failure)', () => {
  const starts = [1, 2, 3, 4, 5, 6, 7].map((n) => startsBackoff(failures(n).state));
  assert.deepEqual(starts, [false, false, false, false, true, false, false]);
});

it('failures a day old are forgotten: the count starts again', () => {
  const { state } = failures(8);
  const later = new Date(state.lastFailureAt.getTime() + LOGIN_THROTTLE.forgetAfterMs + 1);
  assert.deepEqual(afterFailure(state, later), { failures: 1, lastFailureAt: later, lockedUntil: null });
});

it('no wait is left once the lock has passed', () => {
  const { state } = failures(6);
  assert.equal(waitLeft(state, state.lockedUntil as Date), 0);
  assert.equal(waitLeft(null, at(0)), 0);
});

it('a throttled attempt is LOGIN_THROTTLED with whole seconds to wait, never 0', () => {
  assert.equal(new LoginThrottledError(29_001).retryAfterSeconds, 30);
  assert.equal(new LoginThrottledError(1).retryAfterSeconds, 1);
  const error = new LoginThrottledError(60_000);
  assert.deepEqual([error.code, error.status], ['LOGIN_THROTTLED', 429]);
  assert.match(error.message, /retry in 60 s/);
});
