import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** A reporter's contact details, given with consent. Stored only encrypted, in their own table. */
export interface Contact {
  name?: string;
  email?: string;
  phone?: string;
}

/** AES-256-GCM with a random 96-bit nonce; the report reference is authenticated too, so rows cannot be swapped. */
export function encryptContact(key: Buffer, reference: string, contact: Contact): { nonce: Buffer; ciphertext: Buffer } {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(reference));
  const body = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
  return { nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

export function decryptContact(key: Buffer, reference: string, nonce: Buffer, ciphertext: Buffer): Contact {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(reference));
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Contact;
}

/**
 * The reporter fingerprint: a keyed hash of what identifies the source (a contact, an app's client token, a
 * source's reporter id, or, failing all, the client address). The input is never stored; without the key the
 * fingerprint cannot be tied back to it, not even by trying every IPv4 address.
 */
export function fingerprint(key: Buffer, source: string): Buffer {
  return createHmac('sha256', key).update(source).digest().subarray(0, 16);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A reference people can read out: `SG-` and 12 Crockford base32 characters (60 bits) from the given bytes. */
export function referenceFrom(bytes: Buffer): string {
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(bytes[i] ?? 0);
  let out = '';
  for (let i = 0; i < 12; i++) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `SG-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}
