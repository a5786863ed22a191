import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { entryLabel } from '../verdicts/evidence-keys.js';
import { lastChangeSeq, verdictChanges } from '../verdicts/verdict-log.repository.js';
import type { VerdictLevel } from '../verdicts/verdict.types.js';
import * as repo from './webhooks.repository.js';

export interface WebhookOptions {
  /** Plain http:// endpoints (tests and local trials; SCAMGRAPH_WEBHOOK_ALLOW_HTTP). Partners get https only. */
  allowHttp: boolean;
  /** The first retry's wait; each further one doubles it, up to an hour (5 s). */
  firstRetryMs?: number;
  /** How long a claimed delivery is left to its sender before it is due again (60 s). */
  leaseMs?: number;
  /** A delivery still failing this long after its event is marked failed (24 h). */
  giveUpMs?: number;
  /** How long a receiver has to answer (10 s). */
  timeoutMs?: number;
}

export interface Subscription {
  id: number;
  url: string;
  kinds: string[] | null;
  levels: VerdictLevel[] | null;
  cursor: number;
  createdAt: Date;
  disabledAt: Date | null;
}

const MAX_RETRY_MS = 3_600_000;

/** Loopback, private, link-local and unique-local ranges, and names of this machine. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['::ffff:0:0', 96]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

/**
 * Whether a URL's host is an address (or name) of a private network: refused for webhooks, which would
 * otherwise let a partner make the server call its own network. A public name that resolves to a private
 * address is not caught here (docs/partners.md).
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  const type = isIP(host);
  return type !== 0 && PRIVATE.check(host, type === 4 ? 'ipv4' : 'ipv6');
}

/** The Standard Webhooks signature of a message: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const asSubscription = (row: Awaited<ReturnType<typeof repo.subscriptionsOf>>[number]): Subscription => ({
  id: row.id,
  url: row.url,
  kinds: row.kinds,
  levels: row.levels as VerdictLevel[] | null,
  cursor: row.cursor,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

/**
 * Partners' webhooks, after the Standard Webhooks convention: each change of a verdict that a subscription's
 * kinds and levels select is one event (`verdict.changed`), put in the outbox in the database from the verdict
 * log, and delivered at least once, signed with the subscription's secret (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). A failed attempt is retried with exponential backoff for 24 hours, then marked failed;
 * a partner can replay from any sequence number. The event id is the subscription and the log's sequence
 * number, so every redelivery of an event carries the same id.
 */
export class Webhooks {
  private readonly firstRetryMs: number;
  private readonly leaseMs: number;
  private readonly giveUpMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretKey: Buffer,
    private readonly auditKey: Buffer,
    private readonly options: WebhookOptions,
  ) {
    this.firstRetryMs = options.firstRetryMs ?? 5_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.giveUpMs = options.giveUpMs ?? 86_400_000;
    // A receiver's time is well inside the lease, so no other node claims a delivery still being sent.
    this.timeoutMs = Math.min(options.timeoutMs ?? 10_000, Math.floor(this.leaseMs / 2));
  }

  /** A new subscription, with its signing secret (shown in this answer only). Events start after the log's current end. */
  async subscribe(organisation: { id: number; name: string }, s: { url: string; kinds?: string[]; levels?: VerdictLevel[] }): Promise<{ subscription: Subscription; secret: string }> {
    let url: URL;
    try {
      url = new URL(s.url);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'The webhook url is not a URL.');
    }
    if (url.protocol !== 'https:' && !(this.options.allowHttp && url.protocol === 'http:')) throw new AppError('VALIDATION_FAILED', 'A webhook url must be https://.');
    if (!this.options.allowHttp && isPrivateHost(url.hostname)) throw new AppError('VALIDATION_FAILED', 'A webhook url must name a public host, not a loopback, private or link-local address.');
    if (url.username !== '' || url.password !== '') throw new AppError('VALIDATION_FAILED', 'A webhook url may not hold a user name or password: the signature authenticates the sender.');
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secretKey, nonce);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const row = await this.db.transaction().execute(async (trx) => {
      const cursor = await lastChangeSeq(trx);
      const inserted = await repo.insertSubscription(trx, { organisationId: organisation.id, url: url.toString(), nonce, ciphertext, kinds: s.kinds ?? null, levels: s.levels ?? null, cursor });
      await appendAudit(trx, this.auditKey, { actor: `partner:${organisation.name}`, action: 'webhook.subscribe', subject: `organisation:${organisation.name}`, details: { subscription: inserted.id, host: url.host } });
      return inserted;
    });
    return { subscription: asSubscription(row), secret };
  }

  async list(organisationId: number): Promise<Subscription[]> {
    return (await repo.subscriptionsOf(this.db, organisationId)).map(asSubscription);
  }

  async disable(organisation: { id: number; name: string }, id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.disableSubscription(trx, id, organisation.id))) throw new AppError('NOT_FOUND', `You have no active webhook ${id}.`);
      await appendAudit(trx, this.auditKey, { actor: `partner:${organisation.name}`, action: 'webhook.disable', subject: `organisation:${organisation.name}`, details: { subscription: id } });
    });
  }

  /** Sends again every selected event after `fromSeq` (with their first ids), then carries on. */
  async replay(organisationId: number, id: number, fromSeq: number): Promise<{ cursor: number }> {
    const mine = (await this.list(organisationId)).find((s) => s.id === id && s.disabledAt === null);
    if (mine === undefined) throw new AppError('NOT_FOUND', `You have no active webhook ${id}.`);
    const top = await lastChangeSeq(this.db);
    if (fromSeq > top) throw new AppError('VALIDATION_FAILED', `The verdict log ends at ${top}: replay from ${top} or less.`);
    await this.db.transaction().execute((trx) => repo.rewind(trx, id, fromSeq));
    return { cursor: fromSeq };
  }

  async deliveries(organisationId: number, id: number, limit = 100) {
    if (!(await this.list(organisationId)).some((s) => s.id === id)) throw new AppError('NOT_FOUND', `You have no webhook ${id}.`);
    return repo.deliveriesOf(this.db, id, limit);
  }

  /** Puts the events each subscription has not had yet into the outbox; returns how many. */
  async enqueue(): Promise<number> {
    let queued = 0;
    // Most seconds nothing is new: a subscription already at the log's end costs no transaction.
    const end = await lastChangeSeq(this.db);
    for (const s of await repo.activeSubscriptions(this.db)) {
      if (s.cursor >= end) continue;
      queued += await this.db.transaction().execute(async (trx) => {
        const locked = await repo.lockSubscription(trx, s.id);
        if (locked === undefined) return 0; // another node is at it
        // The log's end first: writers hold the change-log lock, so every row up to it is committed.
        const top = await lastChangeSeq(trx);
        const read = await verdictChanges(trx, locked.cursor, { ...(locked.kinds === null ? {} : { kinds: locked.kinds }), ...(locked.levels === null ? {} : { levels: locked.levels as VerdictLevel[] }) }, 1000);
        // Rows committed after `top` was read wait for the next run: the cursor must not pass a row unread.
        const changes = read.filter((c) => c.seq <= top);
        await repo.enqueue(
          trx,
          changes.map((c) => ({
            subscriptionId: s.id,
            seq: c.seq,
            eventId: `msg_${s.id}_${c.seq}`,
            payload: JSON.stringify({ type: 'verdict.changed', timestamp: c.at.toISOString(), data: { seq: c.seq, kind: c.kind, value: entryLabel(c.entry), entry: c.entry, level: c.level, previousLevel: c.previous } }),
          })),
        );
        await repo.setCursor(trx, s.id, read.length === 1000 ? (changes.at(-1)?.seq ?? locked.cursor) : Math.max(top, locked.cursor));
        return changes.length;
      });
    }
    return queued;
  }

  /** Sends the due deliveries once each; returns how many were delivered. */
  async deliverDue(limit = 50): Promise<number> {
    const due = await repo.claimDue(this.db, this.leaseMs, limit);
    if (due.length === 0) return 0;
    const subscriptions = new Map((await repo.activeSubscriptions(this.db)).map((s) => [s.id, s]));
    let delivered = 0;
    await Promise.all(
      due.map(async (d) => {
        const s = subscriptions.get(d.subscription_id);
        if (s === undefined) return repo.markRetry(this.db, d.subscription_id, d.seq, d.attempts, null, null); // disabled meanwhile
        const timestamp = Math.floor(Date.now() / 1000);
        let status: number | null = null;
        try {
          const res = await fetch(s.url, {
            method: 'POST',
            redirect: 'manual',
            signal: AbortSignal.timeout(this.timeoutMs),
            headers: { 'content-type': 'application/json', 'user-agent': 'Scamgraph-Webhooks/1', 'webhook-id': d.event_id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(this.secretOf(s), d.event_id, timestamp, d.payload) },
            body: d.payload,
          });
          status = res.status;
          await res.body?.cancel();
        } catch {
          status = null; // refused, reset or timed out
        }
        if (status !== null && status >= 200 && status < 300) {
          delivered += 1;
          return repo.markDelivered(this.db, d.subscription_id, d.seq, d.attempts, status);
        }
        const wait = Math.min(MAX_RETRY_MS, this.firstRetryMs * 2 ** Math.max(0, d.attempts - 1));
        const giveUp = d.created_at.getTime() + this.giveUpMs < Date.now() + wait;
        return repo.markRetry(this.db, d.subscription_id, d.seq, d.attempts, status, giveUp ? null : new Date(Date.now() + wait));
      }),
    );
    return delivered;
  }

  private secretOf(s: { secret_nonce: Buffer; secret_ciphertext: Buffer }): string {
    const decipher = createDecipheriv('aes-256-gcm', this.secretKey, s.secret_nonce);
    decipher.setAuthTag(s.secret_ciphertext.subarray(s.secret_ciphertext.length - 16));
    return Buffer.concat([decipher.update(s.secret_ciphertext.subarray(0, s.secret_ciphertext.length - 16)), decipher.final()]).toString('utf8');
  }
}
