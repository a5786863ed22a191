import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { ErrorCode } from '../../src/errors.js';
import { BODY_LIMIT, buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, countRows, freshAddress, login, refusalProblem, registeredRoutes } from '../helpers/http.js';
import { openApiDocument, recordAnswers, undocumentedAnswers } from '../helpers/openapi.js';

// Hostile input at every route of the API, anonymously and with an admin token (so that requests get past
// the sign-in check). Every attempt must be refused with a 4xx and exactly `{"error": {"code", "message"}}`
// (a code of the catalog, never a 500), and must leave every table as it was.

const REF = 'SG-AAAA-AAAA-AAAA'; // well-formed; no such report
const PHONE = '+852 9123 4567';
const JUNK = 'not a number at all !!';
const REPORT = { scamType: 'investment', channel: 'call', narrative: 'Hostile input test.', indicators: [{ value: PHONE, role: 'caller' }] };
const LOGOUT = '/api/v1/auth/logout';

interface Route {
  method: 'GET' | 'POST';
  /** As printRoutes() shows it. */
  path: string;
  signedIn: boolean;
  /** Called with a partner organisation's API key (every scope) rather than the admin's session. */
  partner?: true;
  /** The status of the valid request below, sent by an admin (404: the route works, there is no such report). */
  ok: number;
  /** A valid query string, for routes that declare one. */
  query?: Record<string, string>;
  /** A valid body, for routes that declare one. */
  body?: Record<string, unknown>;
  /** Bodies with a field of the wrong type (or an object where an array belongs, and so on). */
  wrongTypes?: unknown[];
  /** Query strings with a parameter of the wrong type. */
  wrongQueries?: string[];
  /** Bodies with an unknown field nested inside. */
  nestedUnknown?: unknown[];
  /** Media types the route takes besides JSON (a raw e-mail, an SMS gateway's form post). */
  accepts?: string[];
}

const DECISION = { value: PHONE, level: 'cleared', reason: 'hostile input test' };
const PROTECTION = { value: 'hostile-test.com.hk', name: 'Hostile test' };
const WITHDRAWAL = { value: 'hostile-test.com.hk', how: 'removed', reason: 'hostile input test' };
const ORGANISATION = { name: 'Hostile Bank', type: 'bank', scopes: ['payee:check'], reason: 'hostile input test' };
const PAYEE = { type: 'fps_id', value: '1234567' };
const DISPUTE = { request: 'verify', value: '+852 2100 9999', role: 'representative', organisation: 'Hostile Test Ltd', explanation: 'Hostile input test: our shop number.', contact: { name: 'Hostile Tester', email: 'hostile@example.com' } };

/** Every route under /api/v1; the first test checks the app has exactly these. */
const ROUTES: Route[] = [
  { method: 'GET', path: '/api/v1/check', signedIn: false, ok: 200, query: { value: PHONE }, wrongQueries: ['value=91234567&value=98765432'] },
  {
    method: 'POST', path: '/api/v1/check', signedIn: false, ok: 200, body: { values: [PHONE] },
    wrongTypes: [{ values: PHONE }, { values: {} }, { values: [91234567] }, { values: [{ value: 91234567 }] }, { values: [true] }],
    nestedUnknown: [{ values: [{ value: PHONE, unexpected: 1 }] }],
  },
  {
    method: 'POST', path: '/api/v1/reports', signedIn: false, ok: 201, body: REPORT,
    wrongTypes: [
      { ...REPORT, narrative: 5 }, { ...REPORT, narrative: null }, { ...REPORT, narrative: true }, { ...REPORT, scamType: 1 },
      { ...REPORT, indicators: {} }, { ...REPORT, indicators: PHONE }, { ...REPORT, indicators: [{ value: 91234567 }] },
      { ...REPORT, loss: { amount: '5', currency: 'HKD' } }, { ...REPORT, contact: { email: 'a@example.com', consent: 'true' } }, [REPORT],
    ],
    nestedUnknown: [
      { ...REPORT, indicators: [{ value: PHONE, unexpected: 1 }] },
      { ...REPORT, loss: { amount: 5, currency: 'HKD', unexpected: 1 } },
      { ...REPORT, contact: { email: 'a@example.com', consent: true, unexpected: 1 } },
    ],
  },
  { method: 'POST', path: '/api/v1/extract', signedIn: false, ok: 200, body: { text: `call ${PHONE} now` }, wrongTypes: [{ text: 1 }, { text: [PHONE] }, { text: '' }] },
  { method: 'GET', path: '/api/v1/reports/status/:reference', signedIn: false, ok: 404, query: { token: 'not-the-token' }, wrongQueries: ['token=a&token=b'] },
  { method: 'GET', path: '/api/v1/taxonomy', signedIn: false, ok: 200 },
  {
    method: 'POST', path: '/api/v1/auth/login', signedIn: false, ok: 200, body: { username: 'hostile-admin', password: PASSWORD },
    wrongTypes: [{ username: 5, password: PASSWORD }, { username: ['hostile-admin'], password: PASSWORD }, { username: 'hostile-admin', password: {} }, { username: 'hostile-admin', password: PASSWORD, newPassword: 12 }],
  },
  { method: 'POST', path: LOGOUT, signedIn: true, ok: 204 },
  { method: 'GET', path: '/api/v1/officer/indicators', signedIn: true, ok: 200, query: { value: PHONE }, wrongQueries: ['value=91234567&value=98765432'] },
  {
    method: 'POST', path: '/api/v1/officer/indicators/decision', signedIn: true, ok: 200, body: DECISION,
    wrongTypes: [{ ...DECISION, value: 91234567 }, { ...DECISION, level: 0 }, { ...DECISION, reason: 12345 }, { ...DECISION, reason: ['hostile input test'] }],
  },
  { method: 'GET', path: '/api/v1/officer/protected', signedIn: true, ok: 200 },
  {
    method: 'POST', path: '/api/v1/officer/protected', signedIn: true, ok: 200, body: PROTECTION,
    wrongTypes: [{ ...PROTECTION, name: 12345 }, { ...PROTECTION, value: { host: 'hostile-test.com.hk' } }],
  },
  {
    method: 'POST', path: '/api/v1/officer/protected/withdraw', signedIn: true, ok: 200, body: WITHDRAWAL,
    wrongTypes: [{ ...WITHDRAWAL, how: 1 }, { ...WITHDRAWAL, reason: true }],
  },
  { method: 'GET', path: '/api/v1/officer/reports/:reference', signedIn: true, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/contact', signedIn: true, ok: 404, body: { reason: 'hostile input test' }, wrongTypes: [{ reason: 1234 }, { reason: null }] },
  { method: 'GET', path: '/api/v1/officer/audit', signedIn: true, ok: 200, query: { after: '0', limit: '10' }, wrongQueries: ['after=abc', 'after=1&after=2', 'limit=true'] },
  { method: 'GET', path: '/api/v1/officer/audit/verify', signedIn: true, ok: 200 },
  {
    method: 'GET', path: '/api/v1/officer/queue', signedIn: true, ok: 200, query: { status: 'new,triaged', sort: 'priority', limit: '10' },
    wrongQueries: ['limit=abc', 'status=open', 'sort=a&sort=b', 'scamType=nonsense'],
  },
  { method: 'GET', path: '/api/v1/officer/reports/:reference/work', signedIn: true, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/triage', signedIn: true, ok: 404, body: { vulnerable: true }, wrongTypes: [{ vulnerable: 'yes' }, { assignee: 5 }] },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/notes', signedIn: true, ok: 404, body: { body: 'hostile input test' }, wrongTypes: [{ body: 1 }, { body: '' }] },
  {
    method: 'POST', path: '/api/v1/officer/reports/:reference/refer', signedIn: true, ok: 404, body: { target: { kind: 'unit', name: 'Cyber unit' }, reason: 'hostile input test' },
    wrongTypes: [{ target: 'unit', reason: 'hostile input test' }, { target: { kind: 'police', name: 'x y' }, reason: 'hostile input test' }],
    nestedUnknown: [{ target: { kind: 'unit', name: 'Cyber unit', extra: 1 }, reason: 'hostile input test' }],
  },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/close', signedIn: true, ok: 404, body: { outcome: 'duplicate', reason: 'hostile input test' }, wrongTypes: [{ outcome: 'won', reason: 'hostile input test' }] },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/reopen', signedIn: true, ok: 404, body: { reason: 'hostile input test' }, wrongTypes: [{ reason: 42 }] },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/label', signedIn: true, ok: 404, body: { scamType: 'investment' }, wrongTypes: [{ scamType: 7 }, { scamType: 'pyramid' }] },
  { method: 'GET', path: '/api/v1/officer/clusters', signedIn: true, ok: 200, query: { minReports: '2', limit: '5' }, wrongQueries: ['limit=-1', 'minReports=x'] },
  { method: 'GET', path: '/api/v1/officer/clusters/:id', signedIn: true, ok: 404 },
  { method: 'GET', path: '/api/v1/officer/clusters/:id/reports', signedIn: true, ok: 404, query: { limit: '5' }, wrongQueries: ['limit=x', 'offset=-3'] },
  { method: 'GET', path: '/api/v1/officer/clusters/:id/graph', signedIn: true, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/clusters/:id/triage', signedIn: true, ok: 404, body: {} },
  {
    method: 'POST', path: '/api/v1/officer/clusters/:id/refer', signedIn: true, ok: 404, body: { target: { kind: 'partner', name: 'A bank' }, reason: 'hostile input test' },
    wrongTypes: [{ target: { kind: 'partner' }, reason: 'hostile input test' }],
  },
  { method: 'POST', path: '/api/v1/officer/clusters/:id/close', signedIn: true, ok: 404, body: { outcome: 'duplicate', reason: 'hostile input test' }, wrongTypes: [{ outcome: 1, reason: 'hostile input test' }] },
  {
    method: 'POST', path: '/api/v1/officer/indicators/correlation', signedIn: true, ok: 200, body: { value: PHONE, correlate: false, reason: 'hostile input test' },
    wrongTypes: [{ value: PHONE, correlate: 'no', reason: 'hostile input test' }, { value: [PHONE], correlate: true, reason: 'hostile input test' }],
  },
  {
    method: 'POST', path: '/api/v1/officer/reports/bulk/triage', signedIn: true, ok: 404, body: { references: [REF] },
    wrongTypes: [{ references: REF }, { references: [] }, { references: [1] }, { references: ['SG-nope'] }],
  },
  {
    method: 'POST', path: '/api/v1/officer/reports/bulk/refer', signedIn: true, ok: 404, body: { references: [REF], target: { kind: 'unit', name: 'Cyber unit' }, reason: 'hostile input test' },
    wrongTypes: [{ references: [REF], target: 'unit', reason: 'hostile input test' }],
    nestedUnknown: [{ references: [REF], target: { kind: 'unit', name: 'Cyber unit', extra: 1 }, reason: 'hostile input test' }],
  },
  { method: 'POST', path: '/api/v1/officer/reports/bulk/close', signedIn: true, ok: 404, body: { references: [REF], outcome: 'duplicate', reason: 'hostile input test' }, wrongTypes: [{ references: [REF], outcome: 'won', reason: 'hostile input test' }] },
  { method: 'GET', path: '/api/v1/officer/indicators/profile', signedIn: true, ok: 200, query: { value: PHONE }, wrongQueries: ['value=91234567&value=98765432', 'kind=planet&value=1'] },
  { method: 'GET', path: '/api/v1/officer/users', signedIn: true, ok: 200 },
  {
    method: 'POST', path: '/api/v1/officer/users', signedIn: true, ok: 409, body: { username: 'hostile-admin', password: PASSWORD, role: 'analyst' },
    wrongTypes: [{ username: 'hostile-admin', password: PASSWORD, role: 'king' }, { username: 'Hostile Admin', password: PASSWORD, role: 'analyst' }, { username: 'x-y', password: 'short', role: 'analyst' }],
  },
  {
    method: 'POST', path: '/api/v1/officer/users/:username', signedIn: true, ok: 404, body: { role: 'analyst', reason: 'hostile input test' },
    wrongTypes: [{ role: 'king', reason: 'hostile input test' }, { disabled: 'yes', reason: 'hostile input test' }, { reason: 'hostile input test' }],
  },
  { method: 'GET', path: '/api/v1/officer/account/sessions', signedIn: true, ok: 200 },
  { method: 'POST', path: '/api/v1/officer/account/sessions/:id/revoke', signedIn: true, ok: 404 },
  {
    // The valid request's current password is wrong (403 WRONG_PASSWORD): the test's admin keeps theirs.
    method: 'POST', path: '/api/v1/officer/account/password', signedIn: true, ok: 403, body: { currentPassword: 'not-the-password', newPassword: 'hostile input password' },
    wrongTypes: [{ currentPassword: 1, newPassword: 'hostile input password' }, { currentPassword: PASSWORD, newPassword: ['hostile input password'] }, { currentPassword: PASSWORD, newPassword: 'short' }],
  },
  {
    method: 'POST', path: '/api/v1/officer/users/:username/password-reset', signedIn: true, ok: 404, body: { reason: 'hostile input test' },
    wrongTypes: [{ reason: 5 }, { reason: '' }, { reason: ['hostile input test'] }],
  },
  { method: 'GET', path: '/api/v1/tips', signedIn: false, ok: 200 },
  { method: 'GET', path: '/api/v1/trends', signedIn: false, ok: 200 },
  { method: 'GET', path: '/api/v1/transparency', signedIn: false, ok: 200 },
  { method: 'GET', path: '/api/v1/officer/stats', signedIn: true, ok: 200, query: { days: '30' }, wrongQueries: ['days=0', 'days=abc', 'days=366'] },
  { method: 'GET', path: '/api/v1/audit/checkpoint', signedIn: false, ok: 200 }, // signed by the audit/verify request above
  { method: 'GET', path: '/api/v1/officer/partners', signedIn: true, ok: 200 },
  {
    // The organisation exists (made in before()): 409, and nothing is written.
    method: 'POST', path: '/api/v1/officer/partners', signedIn: true, ok: 409, body: ORGANISATION,
    wrongTypes: [{ ...ORGANISATION, type: 'casino' }, { ...ORGANISATION, scopes: 'payee:check' }, { ...ORGANISATION, scopes: ['everything'] }, { ...ORGANISATION, scopes: [] }, { ...ORGANISATION, expiresDays: '30' }, { ...ORGANISATION, dailyQuota: -1 }],
  },
  {
    method: 'POST', path: '/api/v1/officer/partners/:id/keys', signedIn: true, ok: 404, body: { scopes: ['payee:check'], reason: 'hostile input test' },
    wrongTypes: [{ scopes: [], reason: 'hostile input test' }, { scopes: ['payee:check'], replaces: '1', reason: 'hostile input test' }, { scopes: ['payee:check'], overlapHours: 10_000, reason: 'hostile input test' }],
  },
  { method: 'POST', path: '/api/v1/officer/partners/:id/keys/:keyId/revoke', signedIn: true, ok: 404, body: { reason: 'hostile input test' }, wrongTypes: [{ reason: 5 }, { reason: '' }] },
  { method: 'GET', path: '/api/v1/officer/partners/:id/usage', signedIn: true, ok: 404, query: { days: '7' }, wrongQueries: ['days=abc', 'days=1&days=2', 'days=1000'] },
  { method: 'GET', path: '/api/v1/partner/me', signedIn: true, partner: true, ok: 200 },
  {
    method: 'POST', path: '/api/v1/partner/payee-check', signedIn: true, partner: true, ok: 200, body: { payees: [PAYEE] },
    wrongTypes: [{ payees: PAYEE }, { payees: [{ ...PAYEE, type: 'cheque' }] }, { payees: [{ ...PAYEE, value: 1234567 }] }, { payees: [{ ...PAYEE, amount: '5', currency: 'HKD' }] }, { payees: [{ ...PAYEE, currency: 'hkd', amount: 5 }] }, { payees: [{ ...PAYEE, newPayee: 'yes' }] }],
    nestedUnknown: [{ payees: [{ ...PAYEE, extra: 1 }] }],
  },
  {
    method: 'POST', path: '/api/v1/partner/accounts', signedIn: true, partner: true, ok: 200, body: { withdraw: [PAYEE] },
    wrongTypes: [{ share: PAYEE }, { withdraw: [{ type: 'fps_id' }] }, { share: [{ ...PAYEE, reason: 'because', confidence: 'high' }] }, { share: [{ ...PAYEE, reason: 'mule_account', confidence: 0.9 }] }, {}],
    nestedUnknown: [{ withdraw: [{ ...PAYEE, extra: 1 }] }],
  },
  { method: 'GET', path: '/api/v1/partner/accounts', signedIn: true, partner: true, ok: 200 },
  {
    // A well-formed request naming no check of this organisation: refused whole, nothing written.
    method: 'POST', path: '/api/v1/partner/outcomes', signedIn: true, partner: true, ok: 400, body: { outcomes: [{ checkId: 'pc_AAAA', outcome: 'false_alarm' }] },
    wrongTypes: [{ outcomes: { checkId: 'pc_AAAA', outcome: 'false_alarm' } }, { outcomes: [{ checkId: 'pc_AAAA', outcome: 'lost' }] }, { outcomes: [] }, { outcomes: [{ checkId: 5, outcome: 'false_alarm' }] }],
    nestedUnknown: [{ outcomes: [{ checkId: 'pc_AAAA', outcome: 'false_alarm', extra: 1 }] }],
  },
  {
    method: 'POST', path: '/api/v1/partner/call-screen', signedIn: true, partner: true, ok: 200, body: { caller: '+85291234567', ingress: 'international' },
    wrongTypes: [{ caller: 85291234567, ingress: 'domestic' }, { caller: 'anonymous', ingress: 'domestic' }, { caller: '+85291234567', ingress: 'roaming' }, { caller: '+85291234567' }, { caller: '+85291234567', callee: '', ingress: 'domestic' }],
  },
  {
    method: 'POST', path: '/api/v1/partner/sms-screen', signedIn: true, partner: true, ok: 200, body: { senderId: '#HSBC', text: 'Pay at https://example.com/pay' },
    wrongTypes: [{ senderId: 5 }, { senderId: '' }, { senderId: '#HSBC', text: 5 }, { text: 'hello' }],
  },
  {
    // A kind the outcome cannot be about: refused whole, nothing written.
    method: 'POST', path: '/api/v1/partner/telco-outcomes', signedIn: true, partner: true, ok: 400, body: { outcomes: [{ value: '+85291234567', kind: 'phone', outcome: 'link_blocked' }] },
    wrongTypes: [{ outcomes: { value: '+85291234567', outcome: 'number_suspended' } }, { outcomes: [{ value: '+85291234567', outcome: 'disconnected' }] }, { outcomes: [] }, { outcomes: [{ value: 5, outcome: 'number_suspended' }] }],
    nestedUnknown: [{ outcomes: [{ value: '+85291234567', outcome: 'number_suspended', extra: 1 }] }],
  },
  {
    // https only (this suite does not allow plain http): refused, nothing written.
    method: 'POST', path: '/api/v1/partner/webhooks', signedIn: true, partner: true, ok: 400, body: { url: 'http://bank.example/hooks' },
    wrongTypes: [{ url: 5 }, { url: 'https://bank.example/hooks', kinds: 'phone' }, { url: 'https://bank.example/hooks', kinds: ['planet'] }, { url: 'https://bank.example/hooks', levels: ['dangerous'] }, { url: 'https://bank.example/hooks', levels: [] }],
  },
  { method: 'GET', path: '/api/v1/partner/webhooks', signedIn: true, partner: true, ok: 200 },
  { method: 'POST', path: '/api/v1/partner/webhooks/:id/replay', signedIn: true, partner: true, ok: 404, body: { fromSeq: 0 }, wrongTypes: [{ fromSeq: '0' }, { fromSeq: -1 }, { fromSeq: 1.5 }] },
  { method: 'POST', path: '/api/v1/partner/webhooks/:id/disable', signedIn: true, partner: true, ok: 404 },
  { method: 'GET', path: '/api/v1/partner/webhooks/:id/deliveries', signedIn: true, partner: true, ok: 404 },
  { method: 'GET', path: '/api/v1/partner/feeds', signedIn: true, partner: true, ok: 200 },
  {
    method: 'GET', path: '/api/v1/partner/feeds/:feed', signedIn: true, partner: true, ok: 200, query: { since: '0', limit: '10', format: 'csv' },
    wrongQueries: ['since=abc', 'since=1&since=2', 'limit=0x10', 'limit=1000000', 'format=xml', 'since=-1'],
  },
  { method: 'GET', path: '/api/v1/partner/lists/:kind', signedIn: true, partner: true, ok: 200 },
  { method: 'GET', path: '/api/v1/partner/lists/:kind/filter', signedIn: true, partner: true, ok: 200 },
  { method: 'GET', path: '/api/v1/partner/lists/:kind/buckets/:bucket', signedIn: true, partner: true, ok: 200, query: { bits: '0' }, wrongQueries: ['bits=abc', 'bits=1&bits=2', 'bits=100', 'bits=-1'] },
  // Forwarded messages, campaigns and the SMS sender registry (issue 16).
  {
    method: 'POST', path: '/api/v1/messages', signedIn: false, ok: 201, body: { channel: 'sms', text: 'Hostile input test: pay at https://hostile-test.example/p', sender: '+852 6123 4567' },
    wrongTypes: [{ channel: 'sms', text: 5 }, { channel: 'fax', text: 'x' }, { channel: 'sms' }, { channel: 'sms', text: 'x', sender: 5 }, { channel: 'sms', text: 'x', lang: 'fr' }],
  },
  { method: 'POST', path: '/api/v1/messages/read', signedIn: false, ok: 200, body: { text: 'Hostile input test' }, wrongTypes: [{ text: 5 }, { text: '' }, { text: 'x', lang: 'fr' }] },
  // Sent with no body at all: refused as no e-mail (nothing written). A raw message/rfc822 body is what it takes.
  { method: 'POST', path: '/api/v1/messages/email', signedIn: false, ok: 400, accepts: ['message/rfc822'], query: { lang: 'en' }, wrongQueries: ['lang=fr', 'clientToken=short'] },
  {
    method: 'POST', path: '/api/v1/partner/messages/sms', signedIn: true, partner: true, ok: 200, accepts: ['application/x-www-form-urlencoded'],
    body: { from: '+85291234567', text: 'Hostile input test: pay at https://hostile-test.example/s', sender: 'HSBC-Alert' },
    wrongTypes: [{ from: 5, text: 'x' }, { from: '+85291234567' }, { from: '+85291234567', text: 5 }, { From: '+85291234567' }],
  },
  { method: 'GET', path: '/api/v1/partner/feeds/sms-templates', signedIn: true, partner: true, ok: 200, query: { since: '0' }, wrongQueries: ['since=abc', 'since=-1', 'since=1&since=2'] },
  { method: 'GET', path: '/api/v1/partner/feeds/sms-senders', signedIn: true, partner: true, ok: 200, query: { since: '0' }, wrongQueries: ['since=abc', 'since=-1', 'since=1&since=2'] },
  { method: 'GET', path: '/api/v1/officer/campaigns', signedIn: true, ok: 200, query: { limit: '5' }, wrongQueries: ['limit=x', 'minForwards=-1'] },
  { method: 'GET', path: '/api/v1/officer/campaigns/:id', signedIn: true, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/campaigns/:id/share', signedIn: true, ok: 404, body: { reason: 'hostile input test' }, wrongTypes: [{ reason: 5 }, { reason: 'x' }] },
  { method: 'POST', path: '/api/v1/officer/campaigns/:id/withdraw', signedIn: true, ok: 404, body: { reason: 'hostile input test' }, wrongTypes: [{ reason: 5 }] },
  { method: 'GET', path: '/api/v1/officer/senders', signedIn: true, ok: 200 },
  {
    method: 'POST', path: '/api/v1/officer/senders/import', signedIn: true, ok: 200, body: { csv: 'sender_id,organisation,status,registered_on,expires_on\n#Hostile,Hostile Test Ltd,active,2024-01-01,\n', reason: 'hostile input test' },
    wrongTypes: [{ csv: 5, reason: 'hostile input test' }, { csv: '', reason: 'hostile input test' }, { csv: 'x' }],
  },
  { method: 'POST', path: '/api/v1/officer/senders/suspend', signedIn: true, ok: 404, body: { senderId: '#Nobody', reason: 'hostile input test' }, wrongTypes: [{ senderId: 5, reason: 'hostile input test' }, { senderId: '#Nobody' }] },
  { method: 'POST', path: '/api/v1/officer/senders/reinstate', signedIn: true, ok: 404, body: { senderId: '#Nobody', reason: 'hostile input test' }, wrongTypes: [{ senderId: '#Nobody', reason: [] }] },
  // The reporter's rights with the status link (issue 17): no token here, so NOT_FOUND.
  { method: 'GET', path: '/api/v1/reports/status/:reference/data', signedIn: false, ok: 404 },
  { method: 'POST', path: '/api/v1/reports/status/:reference/contact', signedIn: false, ok: 404, body: { contact: { name: 'Hostile' } }, wrongTypes: [{ contact: 5 }, { contact: { name: 5 } }, { contact: { email: 'x'.repeat(400) } }] },
  { method: 'POST', path: '/api/v1/reports/status/:reference/withdraw', signedIn: false, ok: 404, body: { confirm: true }, wrongTypes: [{ confirm: false }, { confirm: 'yes' }] },
  // Legal holds (issue 17).
  { method: 'GET', path: '/api/v1/officer/holds', signedIn: true, ok: 200 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/hold', signedIn: true, ok: 404, body: { until: '2099-01-01', reason: 'hostile input test' }, wrongTypes: [{ until: 'tomorrow', reason: 'hostile input test' }, { until: 20990101, reason: 'hostile input test' }, { until: '2099-01-01' }] },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/hold/lift', signedIn: true, ok: 200, body: { reason: 'hostile input test' }, wrongTypes: [{ reason: 5 }] },
  { method: 'GET', path: '/api/v1/officer/payee-outcomes', signedIn: true, ok: 200, query: { days: '30' }, wrongQueries: ['days=abc', 'days=1&days=2'] },
  { method: 'GET', path: '/api/v1/officer/telco-outcomes', signedIn: true, ok: 200, query: { days: '30' }, wrongQueries: ['days=abc', 'days=1&days=2'] },
  // Disputes (issue 17). A verification request fits any value not verified (PHONE is cleared by the decision above).
  {
    method: 'POST', path: '/api/v1/disputes', signedIn: false, ok: 201, body: DISPUTE,
    wrongTypes: [{ ...DISPUTE, value: 21000000 }, { ...DISPUTE, request: 'remove' }, { ...DISPUTE, links: 'https://hostile-test.example' }, { ...DISPUTE, links: ['ftp://x'] }, { ...DISPUTE, contact: 'me' }, { ...DISPUTE, role: 'victim' }],
    nestedUnknown: [{ ...DISPUTE, contact: { ...DISPUTE.contact, extra: 1 } }],
  },
  { method: 'GET', path: '/api/v1/disputes/status/:reference', signedIn: false, ok: 404 },
  { method: 'GET', path: '/api/v1/officer/disputes', signedIn: true, ok: 200, query: { status: 'all', limit: '10' }, wrongQueries: ['status=closed', 'limit=x', 'limit=1&limit=2'] },
  { method: 'GET', path: '/api/v1/officer/disputes/counts', signedIn: true, ok: 200, query: { since: '2024-01' }, wrongQueries: ['since=2024-13', 'since=a&since=b'] },
  { method: 'GET', path: '/api/v1/officer/disputes/:reference', signedIn: true, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/disputes/:reference/contact', signedIn: true, ok: 404, body: { reason: 'hostile input test' }, wrongTypes: [{ reason: 5 }, { reason: '' }] },
  {
    method: 'POST', path: '/api/v1/officer/disputes/:reference/decide', signedIn: true, ok: 404, body: { decision: 'clear', reason: 'hostile input test' },
    wrongTypes: [{ decision: 'approve', reason: 'hostile input test' }, { decision: 'clear', reason: 5 }, { decision: 'verify', reason: 'hostile input test', name: 5 }],
  },
];

const route = (method: Route['method'], path: string): Route => ROUTES.find((r) => r.method === method && r.path === path) as Route;
const pathOf = (r: Route, reference = REF): string => r.path.replace(':reference', reference).replace(':id', '999999').replace(':keyId', '999999').replace(':username', 'no-such-user').replace(':feed', 'phones-high-risk').replace(':kind', 'phone').replace(':bucket', '0');
/** The URL with a query string written as given (nothing re-encoded). */
const urlOf = (r: Route, query: Record<string, string> | undefined = r.query): string =>
  pathOf(r) + (query === undefined ? '' : `?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&')}`);
const encoded = (query: Record<string, string> | undefined): Record<string, string> | undefined =>
  query === undefined ? undefined : Object.fromEntries(Object.entries(query).map(([k, v]) => [k, encodeURIComponent(v)]));

interface Request {
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer | object;
}
interface Attempt {
  what: string;
  route: Route;
  request: Request;
  /** The codes that may answer it; empty: any code of the catalog. */
  codes: ErrorCode[];
}

const JSON_TYPE = { 'content-type': 'application/json' };
const posts = ROUTES.filter((r) => r.method === 'POST');
const withBody = ROUTES.filter((r) => r.body !== undefined);
const valid = (r: Route): Request => ({ url: urlOf(r, encoded(r.query)), ...(r.body === undefined ? {} : { payload: r.body }) });
const raw = (r: Route, payload: string | Buffer, headers: Record<string, string> = JSON_TYPE): Request => ({ url: urlOf(r, encoded(r.query)), headers, payload });

const MALFORMED = ['{"value":', "{'value': 1}", '{"values": [1,]}', 'undefined', '{"a": 1}{"b": 2}'];
/** Valid JSON with keys that could reach an object's prototype: refused as what they are. */
const PROTOTYPE_KEYS = ['{"__proto__": {"polluted": true}}', '{"a": [{"__proto__": {"polluted": true}}]}', '{"constructor": {"prototype": {"polluted": true}}}'];
const NOT_UTF8 = [
  Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), // {"\xff":1}
  Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]), // an overlong "/"
  Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), // an encoded surrogate
];
const BAD_ESCAPES = ['%FF', '%C0%AF', '%ED%A0%80'];

const CATEGORIES: { name: string; attempts: () => Attempt[] }[] = [
  {
    name: 'malformed JSON',
    attempts: () => posts.flatMap((r) => MALFORMED.map((text): Attempt => ({ what: text, route: r, request: raw(r, text), codes: ['MALFORMED_JSON'] }))),
  },
  {
    name: 'prototype keys in JSON',
    attempts: () => posts.flatMap((r) => PROTOTYPE_KEYS.map((text): Attempt => ({ what: text, route: r, request: raw(r, text), codes: ['FORBIDDEN_KEY'] }))),
  },
  {
    name: 'a body that is not UTF-8',
    attempts: () =>
      posts.flatMap((r) => [
        ...NOT_UTF8.map((bytes): Attempt => ({ what: bytes.toString('hex'), route: r, request: raw(r, bytes), codes: ['INVALID_ENCODING'] })),
        { what: 'charset=utf-8', route: r, request: raw(r, NOT_UTF8[0] as Buffer, { 'content-type': 'application/json; charset=utf-8' }), codes: ['INVALID_ENCODING'] },
      ]),
  },
  {
    name: 'a 2 MB body',
    attempts: () => posts.map((r) => ({ what: '2 MB', route: r, request: raw(r, JSON.stringify({ ...r.body, padding: 'a'.repeat(2 * BODY_LIMIT) })), codes: ['BODY_TOO_LARGE'] })),
  },
  {
    name: 'a body that is not application/json',
    attempts: () =>
      posts.flatMap((r) =>
        [
          ['text/plain', JSON.stringify(r.body ?? {})],
          ['application/x-www-form-urlencoded', 'value=1'],
          ['application/xml', '<value>1</value>'],
          ['multipart/form-data; boundary=x', '--x--'],
        ]
          .filter(([type]) => !(r.accepts ?? []).includes(type as string))
          .map(([type, text]): Attempt => ({ what: type as string, route: r, request: raw(r, text as string, { 'content-type': type as string }), codes: ['UNSUPPORTED_MEDIA_TYPE'] })),
      ),
  },
  {
    name: 'an empty body',
    attempts: () => [
      ...posts.map((r): Attempt => ({ what: 'application/json, 0 bytes', route: r, request: raw(r, ''), codes: ['MALFORMED_JSON'] })),
      ...withBody.map((r): Attempt => ({ what: 'no body at all', route: r, request: { url: urlOf(r, encoded(r.query)) }, codes: ['VALIDATION_FAILED'] })),
    ],
  },
  {
    name: 'fields of the wrong type',
    attempts: () =>
      ROUTES.flatMap((r) => [
        ...(r.wrongTypes ?? []).map((payload): Attempt => ({ what: JSON.stringify(payload).slice(0, 80), route: r, request: { url: pathOf(r), payload: payload as object }, codes: ['VALIDATION_FAILED'] })),
        ...(r.wrongQueries ?? []).map((query): Attempt => ({ what: query, route: r, request: { url: `${pathOf(r)}?${query}` }, codes: ['VALIDATION_FAILED'] })),
      ]),
  },
  {
    name: 'unknown fields in the body',
    attempts: () =>
      withBody.flatMap((r) =>
        [{ ...r.body, unexpected: 1 }, ...(r.nestedUnknown ?? [])].map((payload): Attempt => ({ what: JSON.stringify(payload).slice(0, 80), route: r, request: { url: pathOf(r), payload: payload as object }, codes: ['VALIDATION_FAILED'] })),
      ),
  },
  {
    name: 'unknown fields in the query string',
    attempts: () => ROUTES.map((r) => ({ what: 'unexpected=1', route: r, request: { ...valid(r), url: urlOf(r, { ...encoded(r.query), unexpected: '1' }) }, codes: ['VALIDATION_FAILED'] })),
  },
  {
    name: 'percent-escapes that are not UTF-8 in the query string',
    attempts: () =>
      ROUTES.flatMap((r) =>
        Object.keys(r.query ?? {}).flatMap((key) =>
          BAD_ESCAPES.map((escape): Attempt => ({ what: `${key}=${escape}`, route: r, request: { ...valid(r), url: urlOf(r, { ...encoded(r.query), [key]: escape }) }, codes: [] })),
        ),
      ),
  },
  {
    name: 'percent-escapes that are not UTF-8 in the path',
    attempts: () =>
      ROUTES.flatMap((r) =>
        BAD_ESCAPES.map((escape): Attempt => {
          const url = r.path.includes(':reference') ? pathOf(r, escape) : r.path + escape;
          return { what: escape, route: r, request: { ...valid(r), url: url + (r.query === undefined ? '' : `?${new URLSearchParams(r.query)}`) }, codes: [] };
        }),
      ),
  },
  {
    name: 'invalid indicators',
    attempts: () => {
      const reports = route('POST', '/api/v1/reports');
      const check = route('GET', '/api/v1/check');
      const officerCheck = route('GET', '/api/v1/officer/indicators');
      const protect = route('POST', '/api/v1/officer/protected');
      const withIndicator = (indicator: object): Request => ({ url: pathOf(reports), payload: { ...REPORT, indicators: [indicator] } });
      return [
        { what: JUNK, route: reports, request: withIndicator({ value: JUNK }), codes: ['INVALID_INDICATOR'] },
        { what: 'zzz as a phone', route: reports, request: withIndicator({ value: 'zzz', kind: 'phone' }), codes: ['INVALID_INDICATOR'] },
        { what: 'an IBAN with a bad checksum', route: reports, request: withIndicator({ value: 'GB82 WEST 1234 5698 7654 31', kind: 'bank_account' }), codes: ['INVALID_INDICATOR'] },
        { what: JUNK, route: check, request: { url: urlOf(check, { value: encodeURIComponent(JUNK) }) }, codes: ['UNRECOGNIZED'] },
        { what: 'zzz as a phone', route: check, request: { url: urlOf(check, { value: 'zzz', kind: 'phone' }) }, codes: ['INVALID_PHONE'] },
        { what: JUNK, route: officerCheck, request: { url: urlOf(officerCheck, { value: encodeURIComponent(JUNK) }) }, codes: ['UNRECOGNIZED'] },
        { what: JUNK, route: route('POST', '/api/v1/officer/indicators/decision'), request: { url: '/api/v1/officer/indicators/decision', payload: { ...DECISION, value: JUNK } }, codes: ['UNRECOGNIZED'] },
        { what: 'a whole shared host', route: protect, request: { url: pathOf(protect), payload: { ...PROTECTION, value: 'bit.ly' } }, codes: ['SHARED_HOST'] },
        { what: 'zzz as a domain', route: protect, request: { url: pathOf(protect), payload: { ...PROTECTION, value: 'zzz', kind: 'domain' } }, codes: ['INVALID_DOMAIN'] },
        { what: JUNK, route: route('POST', '/api/v1/officer/protected/withdraw'), request: { url: '/api/v1/officer/protected/withdraw', payload: { ...WITHDRAWAL, value: JUNK } }, codes: ['UNRECOGNIZED'] },
        { what: 'a share of an FPS ID that is none', route: route('POST', '/api/v1/partner/accounts'), request: { url: '/api/v1/partner/accounts', payload: { share: [{ type: 'fps_id', value: JUNK, reason: 'mule_account', confidence: 'low' }] } }, codes: ['INVALID_PAYMENT_PROXY'] },
        { what: 'an SMS sender ID that is none', route: route('POST', '/api/v1/partner/sms-screen'), request: { url: '/api/v1/partner/sms-screen', payload: { senderId: JUNK } }, codes: ['INVALID_SMS_SENDER'] },
        { what: 'a suspended number that is none', route: route('POST', '/api/v1/partner/telco-outcomes'), request: { url: '/api/v1/partner/telco-outcomes', payload: { outcomes: [{ value: JUNK, outcome: 'number_suspended' }] } }, codes: ['INVALID_PHONE'] },
        { what: 'a withdrawal of a wallet that is none', route: route('POST', '/api/v1/partner/accounts'), request: { url: '/api/v1/partner/accounts', payload: { withdraw: [{ type: 'wallet', value: JUNK }] } }, codes: ['INVALID_CRYPTO_WALLET'] },
      ];
    },
  },
  {
    // Values the schemas let through but the database cannot store or compare: each must be refused, not a 500.
    name: 'values the database cannot take',
    attempts: () => {
      const reports = route('POST', '/api/v1/reports');
      const audit = route('GET', '/api/v1/officer/audit');
      return [
        { what: 'U+0000 in a narrative', route: reports, request: { url: pathOf(reports), payload: { ...REPORT, narrative: 'a\u0000b' } }, codes: [] },
        { what: 'a lone surrogate in a narrative', route: reports, request: raw(reports, JSON.stringify({ ...REPORT, narrative: 'a_SURROGATE_b' }).replace('_SURROGATE_', '\\ud800')), codes: [] },
        { what: 'a leap second', route: reports, request: { url: pathOf(reports), payload: { ...REPORT, occurredAt: '2016-12-31T23:59:60Z' } }, codes: [] },
        { what: 'U+0000 in a user name', route: route('POST', '/api/v1/auth/login'), request: { url: '/api/v1/auth/login', payload: { username: 'hostile\u0000admin', password: PASSWORD } }, codes: [] },
        { what: 'U+0000 in a reason', route: route('POST', '/api/v1/officer/indicators/decision'), request: { url: '/api/v1/officer/indicators/decision', payload: { ...DECISION, reason: 'a\u0000b reason' } }, codes: [] },
        { what: 'U+0000 in a name', route: route('POST', '/api/v1/officer/protected'), request: { url: '/api/v1/officer/protected', payload: { ...PROTECTION, name: 'Hostile\u0000test' } }, codes: [] },
        { what: 'after=1e400', route: audit, request: { url: '/api/v1/officer/audit?after=1e400' }, codes: [] },
        { what: 'after=10^20', route: audit, request: { url: '/api/v1/officer/audit?after=100000000000000000000' }, codes: [] },
        { what: 'U+0000 in an organisation name', route: route('POST', '/api/v1/officer/partners'), request: { url: '/api/v1/officer/partners', payload: { ...ORGANISATION, name: 'Hostile\u0000Bank two' } }, codes: [] },
        { what: 'U+0000 in a shared account', route: route('POST', '/api/v1/partner/accounts'), request: { url: '/api/v1/partner/accounts', payload: { share: [{ type: 'upi', value: 'mule\u0000@okaxis', reason: 'mule_account', confidence: 'low' }] } }, codes: [] },
        { what: 'an organisation id of 10^20', route: route('GET', '/api/v1/officer/partners/:id/usage'), request: { url: '/api/v1/officer/partners/100000000000000000000/usage' }, codes: [] },
      ];
    },
  },
];

type Caller = 'anonymous' | 'admin';

for (const engine of ENGINES) {
  describe(`hostile input at every route (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    /** Every route and status answered in this suite, checked against the API document at the end. */
    let answers: Set<string>;
    let adminToken: string;
    let partnerToken: string;

    before(async () => {
      // No per-address rate limits: a 429 would hide the answer under test.
      sg = await openTestScamgraph(engine, { loadIndex: true }, { rateLimits: { reports: 0, checks: 0 } });
      app = await buildApp(sg);
      answers = recordAnswers(app);
      await sg.auth.addUser('hostile-admin', PASSWORD, 'admin');
      adminToken = await login(app, 'hostile-admin');
      partnerToken = (await sg.partners.addOrganisation('cli', { name: 'Hostile Bank', type: 'bank', scopes: ['payee:check', 'accounts:share', 'outcomes:write', 'feeds:read', 'lists:read', 'webhooks:manage', 'calls:screen', 'messages:forward'] }, 'hostile input test')).key.token;
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    /** Tokens for an admin's logout attempts, signed in before the rows are counted (a sign-in writes an audit row). */
    const logoutTokens: string[] = [];
    async function signInForLogouts(attempts: Attempt[], caller: Caller): Promise<void> {
      for (const attempt of attempts) if (caller === 'admin' && attempt.route.path === LOGOUT) logoutTokens.push(await login(app, 'hostile-admin'));
    }

    /** One request from a fresh address; an admin's logout gets a token of its own, so the shared one survives. */
    async function send(r: Route, caller: Caller, request: Request): Promise<LightMyRequestResponse> {
      const headers = { ...request.headers };
      if (caller === 'admin' && r.partner === true) Object.assign(headers, bearer(partnerToken));
      else if (caller === 'admin') Object.assign(headers, bearer(r.path === LOGOUT ? (logoutTokens.pop() ?? (await login(app, 'hostile-admin'))) : adminToken));
      return app.inject({ method: r.method, url: request.url, headers, payload: request.payload, remoteAddress: freshAddress() });
    }

    it('the route list above is every route under /api/v1', () => {
      assert.deepEqual(registeredRoutes(app), ROUTES.map((r) => `${r.method} ${r.path}`).sort());
      for (const r of ROUTES) assert.ok(app.hasRoute({ method: r.method, url: r.path }), `${r.method} ${r.path}`);
    });

    it('the valid requests the attempts start from are accepted (as an admin)', async () => {
      const statuses = [];
      for (const r of ROUTES) statuses.push(`${r.method} ${r.path} ${(await send(r, 'admin', valid(r))).statusCode}`);
      assert.deepEqual(statuses, ROUTES.map((r) => `${r.method} ${r.path} ${r.ok}`));
    });

    for (const caller of ['anonymous', 'admin'] as const) {
      for (const category of CATEGORIES) {
        it(`refuses ${category.name} (${caller}), writing nothing`, async () => {
          const attempts = category.attempts();
          assert.ok(attempts.length > 0);
          await signInForLogouts(attempts, caller);
          const rowsBefore = await countRows(sg);
          const problems: string[] = [];
          for (const attempt of attempts) {
            const res = await send(attempt.route, caller, attempt.request);
            // Anonymous calls of officer routes may also be turned away for want of a token.
            const codes: ErrorCode[] = caller === 'anonymous' && attempt.route.signedIn && attempt.codes.length > 0 ? [...attempt.codes, 'UNAUTHENTICATED'] : attempt.codes;
            const problem = refusalProblem(res, codes);
            if (problem !== null) problems.push(`${attempt.route.method} ${attempt.request.url.slice(0, 80)} [${attempt.what}]: ${problem}`);
          }
          const rowsAfter = await countRows(sg);
          for (const [table, n] of Object.entries(rowsAfter)) {
            if (n !== rowsBefore[table as keyof typeof rowsBefore]) problems.push(`${table}: ${rowsBefore[table as keyof typeof rowsBefore]} rows before, ${n} after`);
          }
          if (problems.length > 0) assert.fail(`${problems.length} not refused cleanly:\n${problems.join('\n')}`);
        });
      }
    }

    it('no request polluted Object.prototype', () => {
      assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    });

    it('a report whose third indicator is invalid is refused whole, naming that indicator', async () => {
      const rowsBefore = await countRows(sg);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        remoteAddress: freshAddress(),
        payload: { ...REPORT, indicators: [{ value: '+852 5123 4567' }, { value: 'https://third-indicator-test.com/pay' }, { value: JUNK }] },
      });
      assertRefused(res, 'INVALID_INDICATOR');
      assert.match((res.json() as { error: { message: string } }).error.message, /^indicators\[2\]: /);
      assert.deepEqual(await countRows(sg), rowsBefore);
      const check = await app.inject({ method: 'GET', url: '/api/v1/check', query: { value: 'https://third-indicator-test.com/pay' } });
      assert.equal((check.json() as { verdict: { level: string } }).verdict.level, 'no_record');
    });

    it('a batch check answers an invalid value with its own error, beside the valid ones', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/check', payload: { values: [JUNK, PHONE] } });
      assert.equal(res.statusCode, 200, res.body);
      const [bad, good] = (res.json() as { results: Record<string, unknown>[] }).results;
      assert.deepEqual(Object.keys(bad ?? {}).sort(), ['error', 'input']);
      assert.equal(bad?.input, JUNK);
      assert.equal((bad?.error as { code: string }).code, 'UNRECOGNIZED');
      assert.equal(good?.kind, 'phone');
      assert.equal(good?.canonical, '+85291234567');
    });

    it('answered with no status the API document does not list for the route', async () => {
      assert.deepEqual(undocumentedAnswers(await openApiDocument(app), answers), []);
    });
  });
}
