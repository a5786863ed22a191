import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import type { AuditService } from '../../modules/audit/audit.service.js';
import { perMinute } from '../rate-limit.js';
import { refusals } from '../route-contract.js';

const Base64 = (description: string) => Type.String({ description });

/** The latest signed checkpoint, as RFC 6962's get-sth answers (field names and meaning), plus the key's id. */
const CheckpointBody = Type.Object({
  tree_size: Type.Integer({ description: 'Rows in the audit log when signed.' }),
  timestamp: Type.Integer({ description: 'When, in milliseconds since the epoch.' }),
  sha256_root_hash: Base64("The chain's link at row tree_size, base64."),
  key_id: Base64('SHA-256 of the signing key (DER SubjectPublicKeyInfo), base64; the key itself: scamgraph audit key.'),
  tree_head_signature: Base64('Ed25519 signature over the RFC 6962 TreeHeadSignature of the three fields above, base64.'),
});

/** Public transparency routes of the audit log: anyone may keep its checkpoints and check them later. */
export function auditRoutes(audit: AuditService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/audit/checkpoint',
      {
        config: perMinute(120),
        schema: {
          tags: ['public'],
          summary: 'The latest signed checkpoint of the audit log (its length and head hash, signed); keep it to check the log later with scamgraph audit verify --checkpoint',
          response: { 200: CheckpointBody, ...refusals(404) },
        },
      },
      async () => {
        const checkpoint = audit.latestCheckpoint();
        if (checkpoint === null) throw new AppError('NOT_FOUND', 'No checkpoint of the audit log has been signed yet (the server signs one as it starts).');
        return checkpoint;
      },
    );
  };
}
