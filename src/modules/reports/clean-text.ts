import { AppError } from '../../errors.js';

/** Text PostgreSQL cannot store or that is not really text: NUL, and lone surrogates from `\ud800` escapes. */
const BAD_TEXT_RE = /[\0\p{Cs}]/u; // with the u flag only unpaired surrogates are matched as \p{Cs}

function badString(value: string): boolean {
  return BAD_TEXT_RE.test(value);
}

/** Deeper than any request or import record needs; deeper input is refused before anything recurses into it. */
export const MAX_DEPTH = 32;

/**
 * Throws INVALID_ENCODING if any string (or key) anywhere in a parsed value is not storable text, and
 * VALIDATION_FAILED if it nests deeper than MAX_DEPTH. Iterative, so hostile nesting cannot overflow the stack.
 */
export function assertCleanText(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === 'string') {
      if (badString(item)) throw new AppError('INVALID_ENCODING', 'The input contains a NUL character or an unpaired surrogate.');
    } else if (item !== null && typeof item === 'object') {
      if (depth >= MAX_DEPTH) throw new AppError('VALIDATION_FAILED', `The input nests deeper than ${MAX_DEPTH} levels.`);
      if (Array.isArray(item)) for (const child of item) stack.push([child, depth + 1]);
      else
        for (const [key, child] of Object.entries(item)) {
          stack.push([key, depth + 1], [child, depth + 1]);
        }
    }
  }
}

const EARLIEST = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/**
 * A date-time the schema accepted as a string, as a Date. A leap second or the like is refused, not stored as
 * NaN; so is a time before 2000 or more than a day ahead (a typo such as 2205 would keep a report fresh forever).
 */
export function timestamp(value: string, field: string, now = Date.now()): Date {
  const date = new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time)) throw new AppError('VALIDATION_FAILED', `${field} is not a date and time that exists.`);
  if (time < EARLIEST || time > now + DAY_MS) throw new AppError('VALIDATION_FAILED', `${field} must lie between 2000 and tomorrow.`);
  return date;
}
