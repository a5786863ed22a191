/** The typed client of the public API (the shapes documented at /api/docs). */

// The answers the server's schemas define (src/http/api-types.ts): one definition, so drift is a type error.
import type { CheckError, CheckResult, Kind, Label, MessageReadingAnswer, NewReport, Trends } from '../../src/http/api-types';
export type { CheckError, CheckResult, Kind, Label, Level, MessageReadingAnswer, NewReport, Trends } from '../../src/http/api-types';

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
  check: (value: string, kind?: Kind) => call<CheckResult>(`/api/v1/check?${new URLSearchParams(kind === undefined ? { value } : { value, kind }).toString()}`),
  checkMany: (values: string[]) => call<{ results: (CheckResult | CheckError)[] }>('/api/v1/check', { method: 'POST', body: JSON.stringify({ values }) }),
  readMessage: (text: string, lang: 'en' | 'zh-Hant') => call<MessageReadingAnswer>('/api/v1/messages/read', { method: 'POST', body: JSON.stringify({ text, lang }) }),
  extract: (text: string) => call<{ indicators: Extracted[] }>('/api/v1/extract', { method: 'POST', body: JSON.stringify({ text }) }),
  taxonomy: () => call<Taxonomy>('/api/v1/taxonomy'),
  tips: () => call<{ tips: ScamTips[] }>('/api/v1/tips'),
  trends: () => call<Trends>('/api/v1/trends'),
  report: (report: NewReport) => call<Receipt>('/api/v1/reports', { method: 'POST', body: JSON.stringify(report) }),
  // The token travels in a header, never in a URL the server would log.
  status: (reference: string, token: string) => call<ReportStatus>(`/api/v1/reports/status/${encodeURIComponent(reference)}`, { extraHeaders: { 'x-status-token': token } }),
};
