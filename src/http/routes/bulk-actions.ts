import type { onRequestHookHandler } from 'fastify';
import Type from 'typebox';
import { OUTCOMES } from '../../modules/clusters/triage.service.js';
import { refusals } from '../route-contract.js';
import { ReportReference } from '../schemas.js';
import { BulkAnswer, ClusterId, Target, Why } from './officer.schemas.js';

/** The bulk actions, on a whole cluster or on the reports an officer ticked: the same fields for each action. */
export type BulkAction = 'triage' | 'refer' | 'close';
export type ReferBody = { target: { kind: 'unit' | 'partner'; name: string }; reason: string };
export type CloseBody = { outcome: (typeof OUTCOMES)[number]; reason: string };

const ACTION_FIELDS = { triage: {}, refer: { target: Target, reason: Why }, close: { outcome: Type.Enum(OUTCOMES), reason: Why } };

/** The route options of one bulk action: its guard, its body (with `references` when ticked) and its answers. */
export function bulkRoute(guard: onRequestHookHandler, action: BulkAction, summary: string, scope: 'cluster' | 'ticked') {
  return {
    onRequest: guard,
    schema: {
      tags: ['officer'],
      summary,
      ...(scope === 'cluster'
        ? { params: ClusterId, body: Type.Object(ACTION_FIELDS[action], { additionalProperties: false }) }
        : { body: Type.Object({ references: Type.Array(ReportReference, { minItems: 1, maxItems: 200 }), ...ACTION_FIELDS[action] }, { additionalProperties: false }) }),
      response: { 200: BulkAnswer, ...refusals(404) },
    },
  };
}
