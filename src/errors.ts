/**
 * The one catalog of application errors. Every error that crosses a module boundary has a stable `code`
 * (clients and tests key on it) and an HTTP status for the error handler. docs/errors.md documents each
 * code; test/errors.test.ts keeps the two in sync.
 */
export const ERROR_CATALOG = {
  EMPTY_INPUT: { status: 400, summary: 'The value is empty or only whitespace.' },
  INPUT_TOO_LONG: { status: 400, summary: 'The value is longer than any indicator can be.' },
  UNRECOGNIZED: { status: 400, summary: 'The value is not any kind of indicator Scamgraph knows.' },
  UNKNOWN_KIND: { status: 400, summary: 'The kind named is not one of the indicator kinds.' },
  INVALID_PHONE: { status: 400, summary: 'Not a possible phone number (too short, too long, unknown country or unassigned range).' },
  INVALID_URL: { status: 400, summary: 'Not a URL that can be canonicalized (no host, bad scheme, bad port).' },
  INVALID_DOMAIN: { status: 400, summary: 'Not a valid domain name (IDNA, label or length rules).' },
  INVALID_EMAIL: { status: 400, summary: 'Not a valid e-mail address.' },
  INVALID_BANK_ACCOUNT: { status: 400, summary: 'Not a Hong Kong bank account number or a valid IBAN.' },
  INVALID_PAYMENT_PROXY: { status: 400, summary: 'Not an FPS ID, FPS phone or e-mail proxy, UPI VPA or PayNow UEN.' },
  INVALID_CRYPTO_WALLET: { status: 400, summary: 'Not a BTC, ETH or TRON address, or its checksum is wrong.' },
  INVALID_SOCIAL_ACCOUNT: { status: 400, summary: 'Not a handle or profile link of a supported platform.' },
  INVALID_IP: { status: 400, summary: 'Not an IPv4 or IPv6 address.' },
  INVALID_SMS_SENDER: { status: 400, summary: 'Not an SMS sender ID.' },
  INVALID_REGION: { status: 400, summary: 'Not a supported ISO 3166-1 region code.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** Base class of every error with a stable code; anything else reaching a boundary is a bug (generic 500). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
