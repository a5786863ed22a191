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
  INVALID_INDICATOR: { status: 400, summary: 'One of the indicators given in a report is not valid; the message names which and why.' },
  EMPTY_REPORT: { status: 400, summary: 'A report with neither a description nor any indicator.' },
  REPORT_HELD: { status: 409, summary: 'The report is under a legal hold for an open case: it cannot be withdrawn until the hold is lifted.' },
  EMPTY_MESSAGE: { status: 400, summary: 'A forwarded message with no text (an e-mail with neither a subject nor a text or HTML part).' },
  INVALID_SENDER: { status: 400, summary: "A forwarded message's sender is not a phone number, SMS sender ID or e-mail address as its channel expects; the reason says why." },
  MALFORMED_EMAIL: { status: 400, summary: 'The body is not a raw e-mail message (RFC 5322): no header block, or no From address to report.' },
  UNKNOWN_CHECK: { status: 400, summary: "An outcome names a checkId this organisation was not given (altered, made up, another organisation's, or older than 400 days)." },
  OUTCOME_DOES_NOT_FIT: { status: 400, summary: 'A telco outcome names a value of a kind it cannot be about (a number suspended for a link); the message says which kinds fit.' },
  CURSOR_AHEAD: { status: 400, summary: "A feed's `since` is past the end of this deployment's verdict log (a cursor from another deployment): start again from a snapshot." },
  SHARED_HOST: { status: 400, summary: 'A whole shared host (link shortener, platform, shared hosting) cannot be judged or protected; use the exact link.' },
  VALIDATION_FAILED: { status: 400, summary: 'The request does not match its schema: a missing, unknown or wrongly typed field.' },
  MALFORMED_JSON: { status: 400, summary: 'The request body (or an import line) is not valid JSON.' },
  MALFORMED_CSV: { status: 400, summary: 'An import row is not valid CSV (wrong number of columns, bad quoting).' },
  INVALID_SENDER_REGISTRY: { status: 400, summary: 'An SMS sender registry file has bad rows, so nothing of it was stored; `rows` lists each one with its line and code.' },
  INVALID_ENCODING: { status: 400, summary: 'The request is not valid UTF-8.' },
  FORBIDDEN_KEY: { status: 400, summary: 'The JSON body has a `__proto__` key, or a `constructor` key holding `prototype`; refused, never dropped.' },
  MALFORMED_REQUEST: { status: 400, summary: 'The HTTP request itself is malformed (request line, header syntax, framing); answered before any route.' },
  REQUEST_TIMEOUT: { status: 408, summary: 'The request (its headers, or its whole body) did not arrive within the time allowed.' },
  HEADERS_TOO_LARGE: { status: 431, summary: 'The request headers are larger than the server accepts.' },
  UNAUTHENTICATED: { status: 401, summary: 'The route needs a signed-in user or a partner API key: no valid bearer token was given (unknown, expired or revoked).' },
  INVALID_CREDENTIALS: { status: 401, summary: 'Wrong user name or password.' },
  FORBIDDEN: { status: 403, summary: 'The signed-in user does not have a role that allows this, or the partner key lacks the scope.' },
  WRONG_PASSWORD: { status: 403, summary: 'The current password given with a password change is wrong.' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, summary: 'The password was reset by an administrator for one use: sign in again with a new password (newPassword) beside it.' },
  FEED_FETCH_FAILED: { status: 502, summary: 'A feed being imported could not be read: its server refused or failed, or a file of it is missing or too large.' },
  UNKNOWN_LIST: { status: 400, summary: 'A Safe Browsing request names a list (threat type, platform, entry type) Scamgraph does not serve; the message lists those it does.' },
  FEED_NOT_FOUND: { status: 404, summary: 'No feed by that name; the message lists the feeds there are (GET /api/v1/partner/feeds).' },
  NOT_FOUND: { status: 404, summary: 'No such route, report or record.' },
  NOT_ACCEPTABLE: { status: 406, summary: 'The Accept header names no media type this endpoint answers in (TAXII: application/taxii+json;version=2.1).' },
  ORGANISATION_EXISTS: { status: 409, summary: 'A partner organisation with this name exists already.' },
  USER_EXISTS: { status: 409, summary: 'A user with this name exists already.' },
  SELF_CHANGE: { status: 409, summary: 'An administrator cannot change their own role or disable themself; another administrator must.' },
  INVALID_TRANSITION: { status: 409, summary: "The report's status does not allow this action (a closed report cannot be referred or closed again)." },
  UNKNOWN_USER: { status: 400, summary: 'No active officer with this user name to assign the report to.' },
  DATA_DIR_LOCKED: { status: 409, summary: 'Another Scamgraph process is using the embedded database directory.' },
  INVALID_CHECKPOINT: { status: 400, summary: 'The file given is not a signed audit checkpoint (JSON with tree_size, timestamp, sha256_root_hash, key_id, tree_head_signature).' },
  INVALID_SIGNING_KEY: { status: 400, summary: 'The checkpoint key file is missing or not an Ed25519 key in PEM.' },
  AUDIT_LOG_BROKEN: { status: 409, summary: 'The audit log does not verify, so no checkpoint is signed; scamgraph audit verify names the problem.' },
  BODY_TOO_LARGE: { status: 413, summary: 'The request body is over the size limit (1 MiB).' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, summary: 'The request body is not application/json.' },
  RATE_LIMITED: { status: 429, summary: 'Too many requests from this client; retry after the time given.' },
  DATA_INTEGRITY: { status: 500, summary: 'Stored data failed its integrity check (a contact ciphertext that does not belong to its report); nothing is shown and the attempt is audited.' },
  QUOTA_EXCEEDED: { status: 429, summary: "The partner organisation used its calls for this UTC day; retry after the time given (Retry-After)." },
  LOGIN_THROTTLED: { status: 429, summary: 'Too many failed sign-ins for this account name, from any address; retry after the time given (Retry-After).' },
  INVALID_CONTACT: { status: 400, summary: 'A dispute gives no way to send its answer: no valid e-mail address or phone number in its contact.' },
  NOT_DISPUTABLE: { status: 409, summary: 'A dispute of a value that is not flagged (nothing to dispute), or a verification request for a value already verified.' },
  TOO_MANY_DISPUTES: { status: 429, summary: 'This value has as many open disputes as it may have; the officers answer them first.' },
  DISPUTE_DECIDED: { status: 409, summary: 'The dispute was decided already; a decision is not made twice.' },
  DECISION_DOES_NOT_FIT: { status: 400, summary: 'A decision that does not fit the request: a dispute is upheld or cleared, a verification request verified or rejected.' },
  INTERNAL: { status: 500, summary: 'An unexpected error; the response carries a request id to trace it. Never caused by input.' },
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
