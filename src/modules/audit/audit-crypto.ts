import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The details fields that may hold personal data, encrypted under the row's subject key: free text an
 * officer typed (a reason or a note can name a reporter, a victim or a colleague), names, message bodies,
 * and the client address of a sign-in (an IP address is personal data). Everything else in details is a
 * level, a count, an id or a flag, and stays readable without any key. Top-level fields only: no caller
 * nests free text.
 */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set(['reason', 'note', 'name', 'body', 'text', 'comment', 'address']);

/** What a reader sees in place of a personal field whose subject key was shredded. */
export const ERASED = '[erased]';

/** What a reader sees in place of a personal field that does not decrypt under its live key (altered in the database). */
export const UNREADABLE = '[unreadable]';

/** A personal field as stored: AES-256-GCM of its JSON (nonce, ciphertext, tag; base64) and the id of the subject key. */
export interface SealedValue {
  enc: string;
  key: number;
}

const NONCE = 12;
const TAG = 16;

/**
 * The key that wraps subject keys, derived from the audit key (so from the master secret) rather than kept
 * apart: every caller of appendAudit already holds the audit key, and the audit key is stable across master
 * rotations (docs/keys.md), so wrapped subject keys never need re-wrapping.
 */
export function subjectWrapKey(auditKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', auditKey, Buffer.alloc(0), 'scamgraph audit subject key wrap v1', 32));
}

function seal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]);
}

// The subject is in every associated data: a wrapped key or a sealed value copied to another subject's row
// does not decrypt there.
const keyAad = (subject: string): string => `scamgraph audit subject key v1\0${subject}`;
const valueAad = (subject: string, field: string): string => `scamgraph audit value v1\0${subject}\0${field}`;

/** A new random subject key and its wrapped form. */
export function newSubjectKey(wrapKey: Buffer, subject: string): { key: Buffer; wrapped: Buffer } {
  const key = randomBytes(32);
  return { key, wrapped: seal(wrapKey, key, keyAad(subject)) };
}

/** The subject key inside `wrapped` (throws when it was not wrapped under this key for this subject). */
export function unwrapSubjectKey(wrapKey: Buffer, subject: string, wrapped: Buffer): Buffer {
  return open(wrapKey, wrapped, keyAad(subject));
}

/** Whether a stored details field is a sealed value. */
export function isSealed(value: unknown): value is SealedValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Object.keys(v).length === 2 && typeof v.enc === 'string' && typeof v.key === 'number';
}

/** The personal fields of `details` that need sealing (present and not null). */
export function personalFields(details: Record<string, unknown>): string[] {
  return Object.keys(details).filter((field) => PERSONAL_FIELDS.has(field) && details[field] !== null && details[field] !== undefined);
}

/** `details` with each personal field sealed under the subject key `key` (id `keyId`). */
export function sealDetails(details: Record<string, unknown>, subject: string, key: Buffer, keyId: number): Record<string, unknown> {
  const out = { ...details };
  for (const field of personalFields(details)) {
    const sealed: SealedValue = { enc: seal(key, Buffer.from(JSON.stringify(details[field]), 'utf8'), valueAad(subject, field)).toString('base64'), key: keyId };
    out[field] = sealed;
  }
  return out;
}

/** The subject key ids stored `details` refers to. */
export function sealedKeyIds(details: unknown): number[] {
  if (details === null || typeof details !== 'object') return [];
  return Object.values(details as Record<string, unknown>).flatMap((v) => (isSealed(v) ? [v.key] : []));
}

/**
 * Stored `details` as a reader sees them: each sealed field decrypted with its key from `keys`, or ERASED
 * when the key was shredded (absent from `keys`, or null there). A value that does not decrypt under a live
 * key was altered in the database and reads UNREADABLE: `audit verify` is what names the row.
 */
export function openDetails(details: unknown, subject: string, keys: ReadonlyMap<number, Buffer | null>): unknown {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return details;
  const out: Record<string, unknown> = { ...(details as Record<string, unknown>) };
  for (const [field, value] of Object.entries(out)) {
    if (!isSealed(value)) continue;
    const key = keys.get(value.key) ?? null;
    try {
      out[field] = key === null ? ERASED : (JSON.parse(open(key, Buffer.from(value.enc, 'base64'), valueAad(subject, field)).toString('utf8')) as unknown);
    } catch {
      out[field] = UNREADABLE;
    }
  }
  return out;
}
