import { createHmac } from 'node:crypto';
import { AppError } from '../../errors.js';
import { fingerprint, referenceFrom } from './contact-crypto.js';
import { timestamp } from './clean-text.js';
import { contentHash, prepareIndicators, rememberingNormalizeGiven } from './report.intake.js';
import { screenNarrative } from './narrative-screen.js';
import type { ImportedReport } from './report.schema.js';
import type { NewReport } from './reports.repository.js';

/** A validated imported report and its line in the file. */
export interface NumberedReport {
  line: number;
  report: ImportedReport;
}

export interface Reject {
  line: number;
  code: string;
  reason: string;
}

export interface PreparedBatch {
  reports: NewReport[];
  rejects: Reject[];
}

/**
 * Turns validated imported reports into rows to store: normalized indicators, reference, fingerprint and
 * content hash. Pure computation (it runs in a worker thread during an import); values met again are
 * normalized once.
 */
export class ReportPreparer {
  private readonly normalizeValue = rememberingNormalizeGiven(50_000);

  constructor(
    private readonly fingerprintKey: Buffer,
    private readonly source: string,
    private readonly region: string,
  ) {}

  prepareBatch(records: readonly NumberedReport[]): PreparedBatch {
    const batch: PreparedBatch = { reports: [], rejects: [] };
    for (const { line, report } of records) {
      const prepared = this.prepare(report);
      if ('code' in prepared) batch.rejects.push({ line, ...prepared });
      else batch.reports.push(prepared);
    }
    return batch;
  }

  private prepare(report: ImportedReport): NewReport | { code: string; reason: string } {
    // An institution's export may carry what its reporter told it of their own (narrative-screen.ts).
    const narrative = screenNarrative((report.narrative ?? '').trim(), { region: this.region }).text;
    let prepared;
    let receivedAt: Date;
    let occurredAt: Date | null;
    try {
      receivedAt = timestamp(report.receivedAt, 'receivedAt');
      occurredAt = report.occurredAt === undefined ? null : timestamp(report.occurredAt, 'occurredAt');
      prepared = prepareIndicators(report.indicators, narrative, this.region, this.normalizeValue);
    } catch (error) {
      if (error instanceof AppError) return { code: error.code, reason: error.message };
      throw error;
    }
    const keyed = (text: string): Buffer => createHmac('sha256', this.fingerprintKey).update(text).digest();
    const reporter = fingerprint(this.fingerprintKey, `${this.source}\0${report.reporter ?? `report\0${report.externalId}`}`);
    return {
      // Derived from the source and external id, so a re-run produces the very same reference.
      reference: referenceFrom(keyed(`reference\0${this.source}\0${report.externalId}`)),
      source: this.source,
      externalId: report.externalId,
      statusTokenHash: null,
      fingerprint: reporter,
      // An importing institution identified its reporters (or each report is its own): they count as told apart.
      independence: reporter,
      contentHash: contentHash(report.scamType, report.channel, prepared.indicators, narrative),
      receivedAt,
      occurredAt,
      channel: report.channel,
      scamType: report.scamType,
      narrative,
      lossAmount: report.loss == null ? null : report.loss.amount.toFixed(2),
      lossCurrency: report.loss?.currency ?? null,
      indicators: prepared.indicators,
      entries: prepared.entries,
      contact: null,
      mayRepeat: report.reporter !== undefined,
    };
  }
}
