import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { IndicatorKind } from '../indicators/index.js';
import { normalizeGiven } from '../reports/report.intake.js';
import { reevaluateKeys, removeExclusion, storedBlock, upsertExclusion } from './clusters.repository.js';
import { rebuildClusters, type RebuildProgress, type RebuildSummary } from './clusters-rebuild.repository.js';
import { clusterGraph, clusterSummary, clusterSuggestions, listClusters, type ClusterGraph, type ClusterSuggestion, type ClusterSummary } from './cluster-queries.repository.js';
import { BLOCKED_NAMES, type Blocked } from './correlation-rules.js';
import { hubStats, type HubStats } from './stats.repository.js';

export interface CorrelationState {
  key: string;
  /** Why the key links no reports, or `correlates`. */
  state: string;
}

export interface ClusterDetail extends ClusterSummary {
  suggestions: ClusterSuggestion[];
}

/** Clusters of correlated reports: reading them, and the officer actions that change what links them. */
export class ClusterService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
    private readonly region: string,
  ) {}

  /** The console's dashboard figures over the last `days` days (see hubStats). */
  stats(days: number, now = new Date()): Promise<HubStats> {
    return hubStats(this.db, days, now);
  }

  async list(minReports: number, limit: number, offset = 0): Promise<ClusterSummary[]> {
    const clusters = await listClusters(this.db, minReports, limit, offset);
    const summaries = [];
    for (const c of clusters) {
      const summary = await clusterSummary(this.db, c.id);
      if (summary !== null) summaries.push(summary);
    }
    return summaries;
  }

  async show(id: number): Promise<ClusterDetail> {
    const summary = await clusterSummary(this.db, id);
    if (summary === null) throw new AppError('NOT_FOUND', `There is no cluster ${id}.`);
    return { ...summary, suggestions: await clusterSuggestions(this.db, id) };
  }

  async graph(id: number): Promise<ClusterGraph> {
    const graph = await clusterGraph(this.db, id);
    if (graph.nodes.length === 0) throw new AppError('NOT_FOUND', `There is no cluster ${id}.`);
    return graph;
  }

  /**
   * Marks a value "do not correlate" (it then links no reports: the cluster it held together splits) or lifts
   * the mark (the reports sharing it merge again, unless the warning list or a protection still blocks it).
   */
  async setCorrelation(actor: string, target: { value: string; kind?: IndicatorKind }, correlate: boolean, reason: string): Promise<CorrelationState> {
    const { key } = normalizeGiven(target.value, target.kind, this.region);
    const state = await this.db.transaction().execute(async (trx) => {
      if (correlate) {
        if (!(await removeExclusion(trx, key))) throw new AppError('NOT_FOUND', 'This value is not marked "do not correlate".');
      } else await upsertExclusion(trx, key, reason, actor);
      await reevaluateKeys(trx, [key]);
      await appendAudit(trx, this.auditKey, { actor, action: correlate ? 'correlation.include' : 'correlation.exclude', subject: key, details: { reason } });
      return BLOCKED_NAMES[(await storedBlock(trx, key)) as Blocked];
    });
    return { key, state };
  }

  /** Recomputes every cluster (after the shipped warning list changed, or to check the incremental path); audited. */
  async rebuild(actor: string, onProgress?: (p: RebuildProgress) => void): Promise<RebuildSummary> {
    return this.db.transaction().execute(async (trx) => {
      const summary = await rebuildClusters(trx, onProgress);
      await appendAudit(trx, this.auditKey, { actor, action: 'clusters.rebuild', subject: 'clusters', details: { clusters: summary.clusters, reports: summary.reports } });
      return summary;
    });
  }
}
