/** The typed client of the public API (the shapes documented at /api/docs). */

export type Level = 'high_risk' | 'suspicious' | 'no_record' | 'verified';
export interface Label {
  en: string;
  'zh-Hant': string;
}
export interface CheckResult {
  input: string;
  kind: string;
  canonical: string;
  key: string;
  display?: string;
  verdict: {
    level: Level;
    headline: Label;
    updated: string | null;
    reasons: { code: string; message: Label; count?: number }[];
    reportCount: number;
    firstSeen: string | null;
    lastSeen: string | null;
    scamTypes: string[];
    advice: { en: string[]; 'zh-Hant': string[] };
  };
  lookalikes: { protected: string; kind: string; score: number }[];
}
export interface CheckError {
  input: string;
  error: { code: string; message: string };
}
export interface Extracted {
  kind: string;
  raw: string;
  canonical: string;
  key: string;
}
export interface Taxonomy {
  scamTypes: Record<string, Label>;
  channels: Record<string, Label>;
  roles: string[];
}
export interface NewReport {
  scamType: string;
  channel: string;
  occurredAt?: string;
  narrative: string;
  loss?: { amount: number; currency: string };
  indicators: { value: string; kind?: string; role?: string }[];
  contact?: { name?: string; email?: string; phone?: string; consent: true };
}
export interface Receipt {
  reference: string;
  statusToken: string;
}
export interface ReportStatus {
  reference: string;
  status: string;
  statusText: Label;
  receivedAt: string;
  updatedAt: string;
}

export interface ScamTips {
  scamType: string;
  label: Label;
  signs: Label;
  tips: Label[];
}
export interface Trends {
  windowDays: number;
  smallestPublished: number;
  roundedTo: number;
  until: string;
  types: { scamType: string; label: Label; recent: number; previous: number | null }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One JSON call; a refusal becomes an ApiError with the API's stable code. */
export async function call<T>(path: string, init?: RequestInit & { extraHeaders?: Record<string, string> }): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}), ...init?.extraHeaders },
  });
  const body = (await response.json().catch(() => null)) as ({ error?: { code: string; message: string } } & T) | null;
  if (!response.ok) throw new ApiError(response.status, body?.error?.code ?? 'INTERNAL', body?.error?.message ?? response.statusText);
  return body as T;
}

export const api = {
  check: (value: string) => call<CheckResult>(`/api/v1/check?value=${encodeURIComponent(value)}`),
  checkMany: (values: string[]) => call<{ results: (CheckResult | CheckError)[] }>('/api/v1/check', { method: 'POST', body: JSON.stringify({ values }) }),
  extract: (text: string) => call<{ indicators: Extracted[] }>('/api/v1/extract', { method: 'POST', body: JSON.stringify({ text }) }),
  taxonomy: () => call<Taxonomy>('/api/v1/taxonomy'),
  tips: () => call<{ tips: ScamTips[] }>('/api/v1/tips'),
  trends: () => call<Trends>('/api/v1/trends'),
  report: (report: NewReport) => call<Receipt>('/api/v1/reports', { method: 'POST', body: JSON.stringify(report) }),
  // The token travels in a header, never in a URL the server would log.
  status: (reference: string, token: string) => call<ReportStatus>(`/api/v1/reports/status/${encodeURIComponent(reference)}`, { extraHeaders: { 'x-status-token': token } }),
};
