import { AppError } from '../../errors.js';

/** Text PostgreSQL cannot store or that is not really text: NUL, and lone surrogates from `\ud800` escapes. */
const BAD_TEXT_RE = /[\0\p{Cs}]/u; // with the u flag only unpaired surrogates are matched as \p{Cs}

function badString(value: string): boolean {
  return BAD_TEXT_RE.test(value);
}

/** Throws INVALID_ENCODING if any string (or key) anywhere in a parsed value is not storable text. */
export function assertCleanText(value: unknown): void {
  if (typeof value === 'string') {
    if (badString(value)) throw new AppError('INVALID_ENCODING', 'The input contains a NUL character or an unpaired surrogate.');
  } else if (Array.isArray(value)) {
    for (const item of value) assertCleanText(item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      assertCleanText(key);
      assertCleanText(item);
    }
  }
}

/** A date-time the schema accepted as a string, as a Date; a leap second or the like is refused, not stored as NaN. */
export function timestamp(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError('VALIDATION_FAILED', `${field} is not a date and time that exists.`);
  return date;
}
