import { call, type Kind, type Label } from '../../api';

/** The public dispute API (POST /api/v1/disputes, GET /api/v1/disputes/status/:reference), typed. */

export type DisputeRequest = 'dispute' | 'verify';
export type DisputeStatus = 'open' | 'upheld' | 'cleared' | 'verified' | 'rejected';

export interface NewDispute {
  request: DisputeRequest;
  value: string;
  kind?: Kind;
  role: 'owner' | 'representative';
  organisation?: string;
  explanation: string;
  evidence?: string;
  links?: string[];
  contact: { name: string; email?: string; phone?: string };
}

export interface DisputeReceipt {
  reference: string;
  statusToken: string;
  request: DisputeRequest;
  kind: Kind;
  canonical: string;
}

export interface DisputeStatusAnswer {
  reference: string;
  request: DisputeRequest;
  kind: Kind;
  canonical: string;
  status: DisputeStatus;
  statusText: Label;
  reason: string | null;
  receivedAt: string;
  decidedAt: string | null;
}

/** The private status page's address: the token in the fragment, which the browser never sends. */
export const disputeStatusPath = (receipt: Pick<DisputeReceipt, 'reference' | 'statusToken'>): string => `/dispute/${receipt.reference}#${receipt.statusToken}`;

export const disputeApi = {
  submit: (dispute: NewDispute) => call<DisputeReceipt>('/api/v1/disputes', { method: 'POST', body: JSON.stringify(dispute) }),
  // The token travels in a header, never in a URL the server would log.
  status: (reference: string, token: string) => call<DisputeStatusAnswer>(`/api/v1/disputes/status/${encodeURIComponent(reference)}`, { extraHeaders: { 'x-status-token': token } }),
};
