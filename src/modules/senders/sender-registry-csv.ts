import { parse, type CsvError } from 'csv-parse/sync';
import { AppError } from '../../errors.js';
import { IndicatorError } from '../indicators/index.js';
import { normalizeSmsSender } from '../indicators/sms-sender.js';
import { REGISTRY_STATUSES, type RegistryEntry, type RegistryStatus } from './sender-registry.types.js';

/** The columns of a registry file, in any order, each once. */
export const REGISTRY_COLUMNS = ['sender_id', 'organisation', 'status', 'registered_on', 'expires_on'] as const;

/** Why one line of a registry file was refused: stable codes that the console and the CLI key on. */
export type RegistryCsvErrorCode =
  | 'BAD_HEADER'
  | 'MALFORMED_CSV'
  | 'INVALID_SENDER_ID'
  | 'MISSING_ORGANISATION'
  | 'INVALID_ORGANISATION'
  | 'INVALID_STATUS'
  | 'INVALID_DATE'
  | 'DUPLICATE_SENDER_ID';

export interface RegistryCsvRowError {
  /** The file's line (1-based) the row starts on. */
  line: number;
  code: RegistryCsvErrorCode;
  message: string;
}

export interface ParsedRegistryRow extends RegistryEntry {
  line: number;
}

export interface ParsedRegistryCsv {
  rows: ParsedRegistryRow[];
  errors: RegistryCsvRowError[];
}

/** Organisation names longer than this are not names (OFCA's longest is under 100 characters). */
const MAX_ORGANISATION = 200;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A file with bad rows, refused whole: every bad row with its line and code rides along. */
export class SenderRegistryCsvError extends AppError {
  constructor(readonly rows: readonly RegistryCsvRowError[]) {
    const first = rows.slice(0, 3).map((r) => `line ${r.line}: ${r.message} [${r.code}]`);
    super('INVALID_SENDER_REGISTRY', `The registry file has ${rows.length} bad row${rows.length === 1 ? '' : 's'}, so nothing was stored: ${first.join('; ')}${rows.length > 3 ? '; …' : ''}`);
    this.name = 'SenderRegistryCsvError';
  }

  override toJSON(): { code: 'INVALID_SENDER_REGISTRY'; message: string; rows: RegistryCsvRowError[] } {
    return { code: 'INVALID_SENDER_REGISTRY', message: this.message, rows: [...this.rows] };
  }
}

function validDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Lines that start with `#` before the header are comments (a file's provenance: "sample data, not real
 * registrations"). csv-parse's own comment character cannot be `#`: every sender ID starts with one. They are
 * blanked rather than removed so that line numbers stay the file's. Line ends become LF.
 */
function blankLeadingComments(text: string): string {
  // One line end: csv-parse, left to detect CRLF itself, counts some lines twice.
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/^\uFEFF/, '').trim();
    if (line === '') continue;
    if (!line.startsWith('#')) break;
    lines[i] = '';
  }
  return lines.join('\n');
}

/** One row's entry, or what is wrong with it (the first problem: a person fixes a row one thing at a time). */
function rowEntry(cells: Record<string, string>, line: number): ParsedRegistryRow | RegistryCsvRowError {
  const error = (code: RegistryCsvErrorCode, message: string): RegistryCsvRowError => ({ line, code, message });
  const senderId = cells.sender_id ?? '';
  if (!senderId.startsWith('#')) return error('INVALID_SENDER_ID', `“${senderId.slice(0, 40)}” is not a registered sender ID: those start with #`);
  try {
    normalizeSmsSender(senderId);
  } catch (e) {
    if (!(e instanceof IndicatorError)) throw e;
    return error('INVALID_SENDER_ID', e.message);
  }
  const organisation = (cells.organisation ?? '').replace(/\s+/g, ' ');
  if (organisation === '') return error('MISSING_ORGANISATION', `${senderId} has no organisation`);
  if (organisation.length > MAX_ORGANISATION || /\p{Cc}/u.test(organisation)) return error('INVALID_ORGANISATION', `the organisation of ${senderId} is over ${MAX_ORGANISATION} characters or has control characters`);
  const status = (cells.status ?? '').toLowerCase();
  if (!(REGISTRY_STATUSES as readonly string[]).includes(status)) return error('INVALID_STATUS', `status “${(cells.status ?? '').slice(0, 20)}” is not one of ${REGISTRY_STATUSES.join(', ')}`);
  const registeredOn = cells.registered_on ?? '';
  if (!validDate(registeredOn)) return error('INVALID_DATE', `registered_on “${registeredOn.slice(0, 20)}” is not a date (YYYY-MM-DD)`);
  const expires = cells.expires_on ?? '';
  if (expires !== '' && !validDate(expires)) return error('INVALID_DATE', `expires_on “${expires.slice(0, 20)}” is not a date (YYYY-MM-DD) or empty`);
  if (expires !== '' && expires < registeredOn) return error('INVALID_DATE', `expires_on ${expires} is before registered_on ${registeredOn}`);
  return { line, senderId, organisation, status: status as RegistryStatus, registeredOn, expiresOn: expires === '' ? null : expires };
}

/**
 * Parses a registry file (`sender_id,organisation,status,registered_on,expires_on`; status `active` or
 * `suspended`; dates `YYYY-MM-DD`, `expires_on` empty when open-ended). Every bad row is an error with its
 * line and a stable code, and the caller stores nothing when there is any. Sender IDs that differ only in
 * case are one ID (the second is a `DUPLICATE_SENDER_ID`). Pure; never throws on bad input.
 */
export function parseSenderRegistryCsv(text: string): ParsedRegistryCsv {
  const errors: RegistryCsvRowError[] = [];
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(blankLeadingComments(text), {
      bom: true,
      info: true,
      raw: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined, raw: string | undefined) => {
        errors.push({ line: startLine((err as { lines?: number } | undefined)?.lines ?? 0, raw ?? ''), code: 'MALFORMED_CSV', message: err?.message ?? 'not valid CSV' });
        return undefined;
      },
    }) as unknown as typeof records;
  } catch (e) {
    const lines = (e as { lines?: number }).lines ?? 1;
    return { rows: [], errors: [...errors, { line: lines, code: 'MALFORMED_CSV', message: (e as Error).message }] };
  }
  const [header, ...body] = records;
  if (header === undefined) return { rows: [], errors: [{ line: 1, code: 'BAD_HEADER', message: `the file is empty: its first line must be ${REGISTRY_COLUMNS.join(',')}` }] };
  const names = header.record.map((c) => c.toLowerCase());
  const headerLine = startLine(header.info.lines, header.raw);
  if (names.length !== REGISTRY_COLUMNS.length || !REGISTRY_COLUMNS.every((c) => names.filter((n) => n === c).length === 1)) {
    return { rows: [], errors: [{ line: headerLine, code: 'BAD_HEADER', message: `the header is “${header.record.join(',').slice(0, 100)}”, not ${REGISTRY_COLUMNS.join(',')} (in any order)` }] };
  }
  const rows: ParsedRegistryRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info, raw } of body) {
    const line = startLine(info.lines, raw);
    if (record.length !== names.length) {
      errors.push({ line, code: 'MALFORMED_CSV', message: `${record.length} columns, not ${names.length}` });
      continue;
    }
    const result = rowEntry(Object.fromEntries(names.map((n, i) => [n, record[i] as string])), line);
    if ('code' in result) {
      errors.push(result);
      continue;
    }
    // Folded as the stored key folds (case and inner spacing), or two rows would meet in one upsert.
    const folded = normalizeSmsSender(result.senderId).key;
    const first = seen.get(folded);
    if (first !== undefined) {
      errors.push({ line, code: 'DUPLICATE_SENDER_ID', message: `${result.senderId} is on line ${first} already (case and spacing are not part of a sender ID)` });
      continue;
    }
    seen.set(folded, line);
    rows.push(result);
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

/** The line a record starts on: csv-parse counts the line it ends on, and its raw text tells how many it spans. */
function startLine(end: number, raw: string): number {
  return end - (raw.replace(/\r?\n$/, '').replace(/^(\r?\n)+/, '').match(/\n/g)?.length ?? 0);
}
