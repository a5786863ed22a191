/**
 * HTTP for the client: JSON in and out, the API's `{error: {code, message}}` as a ScamgraphError, and retries
 * with exponential backoff and full jitter on what may pass (network failures, 408, 429, 5xx), waiting at
 * least what a Retry-After header asks. Other refusals are final and are thrown at once.
 */
export interface RetryOptions {
  /** Retries after the first try (default 3). */
  retries: number;
  /** The first wait's ceiling; each retry doubles it (default 500 ms). */
  baseDelayMs: number;
  /** No wait is longer (default 30 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface TransportOptions {
  /** The Scamgraph server, e.g. `https://scamgraph.example` (no trailing path). */
  baseUrl: string;
  /** A partner key (`lists:read` for the lists); sent as `Authorization: Bearer`. */
  apiKey?: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryOptions>;
  /** How to wait (tests pass one that records); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class ScamgraphError extends Error {
  constructor(
    /** The HTTP status, or 0 when no answer came. */
    readonly status: number,
    /** The API's stable code (UNAUTHORIZED, VALIDATION_FAILED, …), or NETWORK_ERROR. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScamgraphError';
  }
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

export interface BytesAnswer {
  status: number;
  body: Uint8Array;
  headers: Headers;
}

export class Transport {
  readonly baseUrl: string;
  private readonly retry: RetryOptions;
  private readonly fetcher: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** The wait before retry number `attempt` (0-based): full jitter under a doubling ceiling, or Retry-After. */
  delayFor(attempt: number, retryAfter: string | null): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    const jittered = Math.floor(this.random() * ceiling);
    const asked = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    return Math.min(this.retry.maxDelayMs, Math.max(jittered, asked));
  }

  /** One request, retried as the class comment says; answers any status that is not retried. */
  async send(path: string, init: RequestInit = {}, auth = false): Promise<Response> {
    const headers = new Headers(init.headers);
    if (auth) {
      if (this.options.apiKey === undefined) throw new ScamgraphError(401, 'UNAUTHORIZED', 'This call needs a partner key (apiKey in the client options).');
      headers.set('authorization', `Bearer ${this.options.apiKey}`);
    }
    for (let attempt = 0; ; attempt++) {
      let response: Response | null = null;
      let failure: unknown = null;
      try {
        response = await this.fetcher(this.baseUrl + path, { ...init, headers });
      } catch (error) {
        failure = error;
      }
      const retryable = response === null || RETRYABLE.has(response.status);
      if (!retryable || attempt >= this.retry.retries) {
        if (response !== null) return response;
        throw new ScamgraphError(0, 'NETWORK_ERROR', `No answer from ${this.baseUrl}: ${failure instanceof Error ? failure.message : String(failure)}`);
      }
      await response?.body?.cancel();
      await this.sleep(this.delayFor(attempt, response?.headers.get('retry-after') ?? null));
    }
  }

  async json<T>(path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<T> {
    const response = await this.send(
      path,
      { method: init.method ?? 'GET', headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) }, body: init.body === undefined ? undefined : JSON.stringify(init.body) },
      init.auth === true,
    );
    const body = (await response.json().catch(() => null)) as ({ error?: { code?: string; message?: string } } & T) | null;
    if (!response.ok) throw new ScamgraphError(response.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `HTTP ${response.status}`);
    return body as T;
  }

  /** Bytes, with the conditional request a cached copy allows (304 gives an empty body). */
  async bytes(path: string, etag: string | null, auth = false): Promise<BytesAnswer> {
    const response = await this.send(path, { headers: etag === null ? {} : { 'if-none-match': etag } }, auth);
    if (response.status === 304) return { status: 304, body: new Uint8Array(0), headers: response.headers };
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new ScamgraphError(response.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `HTTP ${response.status}`);
    }
    return { status: response.status, body: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
  }
}
