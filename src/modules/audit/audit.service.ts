import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { auditLength, auditLinkAt, auditRowsAfter, readableAuditRows, verifyAudit, type ChainWalk } from './audit.repository.js';
import type { AuditVerification } from './audit.types.js';
import { signatureProblem, signCheckpoint, type Checkpoint, type SigningKey } from './checkpoint.js';
import type { CheckpointLog } from './checkpoint-log.js';
import { loadSigningKey } from './signing-key.js';

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: unknown;
}

/** A verification of the whole log, against a checkpoint when there is one. */
export interface AuditReport extends AuditVerification {
  /** The checkpoint the log was checked against (the latest in the checkpoint log, or the one given). */
  checkpoint: Checkpoint | null;
  /** The checkpoint signed after this verification (only when everything verified). */
  published: Checkpoint | null;
}

export interface CheckpointSetup {
  signingKeyFile: string;
  log: CheckpointLog;
}

const when = (c: Checkpoint): string => new Date(c.timestamp).toISOString();

/**
 * Reading and verifying the audit log, and signing checkpoints of it (appending happens inside each
 * action's own transaction). A checkpoint is signed only of a log that verifies and is consistent with the
 * previous checkpoint, so no signature ever vouches for a damaged log.
 */
export class AuditService {
  private key: SigningKey | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
    private readonly checkpoints: CheckpointSetup,
  ) {}

  /** The checkpoint signing key, read (or generated) on first use. */
  signingKey(): SigningKey {
    this.key ??= loadSigningKey(this.checkpoints.signingKeyFile);
    return this.key;
  }

  /**
   * Walks the whole chain and checks it against `against` (else the latest checkpoint kept), whose
   * signature is checked with `trustedKey` (else this log's own key). When all is well, signs a new
   * checkpoint and appends it to the checkpoint log.
   */
  async verify(against?: Checkpoint, trustedKey?: KeyObject): Promise<AuditReport> {
    const checkpoint = against ?? this.checkpoints.log.latest();
    const walk = await verifyAudit(this.db, this.auditKey, { mark: checkpoint?.tree_size });
    const broken = walk.broken ?? (checkpoint === null ? null : this.inconsistency(walk.head.seq, walk.marked, checkpoint, trustedKey ?? this.signingKey().publicKey));
    const published = broken === null ? this.sign(walk.head.seq, walk.head.hash) : null;
    return { rows: walk.rows, broken, checkpoint, published };
  }

  /**
   * Signs a checkpoint of the log as it is now (the schedule in `serve` calls this): only the rows after
   * the latest checkpoint are walked, from its signed head. AUDIT_LOG_BROKEN when the log does not verify.
   */
  async publish(): Promise<Checkpoint> {
    const latest = this.checkpoints.log.latest();
    let walk: ChainWalk;
    if (latest === null) {
      walk = await verifyAudit(this.db, this.auditKey);
    } else {
      const link = await auditLinkAt(this.db, latest.tree_size);
      const length = link === null ? await auditLength(this.db) : latest.tree_size;
      const broken = this.inconsistency(length, link, latest, this.signingKey().publicKey);
      walk = broken !== null ? { rows: 0, broken, head: { seq: length, hash: Buffer.alloc(32) }, marked: null } : await verifyAudit(this.db, this.auditKey, { after: { seq: latest.tree_size, hash: link as Buffer } });
    }
    if (walk.broken !== null) throw new AppError('AUDIT_LOG_BROKEN', `The audit log does not verify at row ${walk.broken.seq}: ${walk.broken.problem} (${walk.broken.detail}); no checkpoint signed.`);
    return this.sign(walk.head.seq, walk.head.hash);
  }

  /** The latest checkpoint kept (the public route serves it; it never makes one, which costs a walk). */
  latestCheckpoint(): Checkpoint | null {
    return this.checkpoints.log.latest();
  }

  /** Where checkpoints are kept, for messages. */
  get checkpointLog(): string {
    return this.checkpoints.log.where;
  }

  /** Rows after `after`, with personal fields decrypted (or `[erased]` once their subject was shredded). */
  async list(after: number, limit: number): Promise<AuditRow[]> {
    const rows = await readableAuditRows(this.db, this.auditKey, await auditRowsAfter(this.db, after, limit));
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  /**
   * Why a log whose chain verifies, `length` rows long with `link` at the checkpoint's length (null: no
   * such row), is not the log `checkpoint` signed; null when it is.
   */
  private inconsistency(length: number, link: Buffer | null, checkpoint: Checkpoint, publicKey: KeyObject): AuditVerification['broken'] {
    const size = checkpoint.tree_size;
    const signed = signatureProblem(checkpoint, publicKey);
    if (signed !== null) return { seq: size, problem: 'bad_checkpoint', detail: `the checkpoint of ${when(checkpoint)} is not to be trusted: ${signed}` };
    if (link === null && length < size) {
      return { seq: length + 1, problem: 'truncated', detail: `the log has ${length} rows, the checkpoint of ${when(checkpoint)} signed ${size}: rows ${length + 1}..${size} were removed from its end` };
    }
    if (link === null || !link.equals(Buffer.from(checkpoint.sha256_root_hash, 'base64'))) {
      return { seq: size, problem: 'rewritten', detail: `row ${size} is not the one the checkpoint of ${when(checkpoint)} signed: the log up to it was rewritten` };
    }
    return null;
  }

  private sign(treeSize: number, head: Buffer): Checkpoint {
    const previous = this.checkpoints.log.latest();
    // Each checkpoint later than the one before (RFC 6962 §3.5), whatever the clock says.
    const timestamp = Math.max(Date.now(), (previous?.timestamp ?? 0) + 1);
    const checkpoint = signCheckpoint(this.signingKey(), treeSize, head, timestamp);
    this.checkpoints.log.append(checkpoint);
    return checkpoint;
  }
}
