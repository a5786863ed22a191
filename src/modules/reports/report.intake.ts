import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { detectAll, extract, IndicatorError, normalize, type Indicator, type IndicatorKind } from '../indicators/index.js';
import { reportedEntries } from '../verdicts/evidence-keys.js';
import type { IndicatorRole } from './taxonomy.js';
import { AppError } from '../../errors.js';

/** An indicator of a report, normalized: given by the reporter (with a role) or extracted from the narrative. */
export interface ReportIndicator {
  key: string;
  kind: IndicatorKind;
  canonical: string;
  role: IndicatorRole | null;
  extracted: boolean;
}

export interface PreparedIndicators {
  indicators: ReportIndicator[];
  /**
   * The evidence entries the report adds to (see evidence-keys.ts): only those of indicators the reporter
   * gave. Values merely mentioned in a narrative (the bank's real hotline, a friend's number) are kept for
   * officers but are not evidence until someone confirms them.
   */
  entries: string[];
}

export class InvalidIndicatorError extends AppError {
  constructor(
    readonly index: number,
    override readonly cause: IndicatorError,
  ) {
    super('INVALID_INDICATOR', `indicators[${index}]: ${cause.message}`);
  }

  /** The value's own error rides along as the reason: its reason where it has one (`TOO_SHORT`), else its code (`INVALID_URL`). */
  override toJSON(): { code: 'INVALID_INDICATOR'; message: string; reason: string } {
    return { code: 'INVALID_INDICATOR', message: this.message, reason: this.cause.reason ?? this.cause.code };
  }
}

/**
 * Longest indicator key (UTF-8 bytes) that is stored: keys are indexed, and PostgreSQL's btree entries stop
 * at about 2.7 kB. A link can grow a lot in canonical form (every non-ASCII byte becomes %XX).
 */
export const MAX_KEY_BYTES = 2000;

export function keyTooLong(indicator: Indicator): boolean {
  return indicator.key.length > MAX_KEY_BYTES / 3 && Buffer.byteLength(indicator.key) > MAX_KEY_BYTES;
}

/** Normalizes one given value: as its stated kind, or as the most likely kind detected. */
export function normalizeGiven(value: string, kind: IndicatorKind | undefined, region: string): Indicator {
  let indicator: Indicator | undefined;
  if (kind !== undefined) indicator = normalize(kind, value, { region });
  else [indicator] = detectAll(value, { region }).matches;
  if (indicator === undefined) throw new IndicatorError('UNRECOGNIZED', 'This is not a phone number, link, e-mail, account, wallet or handle Scamgraph recognizes.');
  if (keyTooLong(indicator)) throw new IndicatorError('INPUT_TOO_LONG', `In normal form this is longer than the ${MAX_KEY_BYTES} bytes an indicator can be.`);
  return indicator;
}

/**
 * normalizeGiven remembering its last `size` answers (and refusals): an import meets a campaign's numbers,
 * accounts and links in thousands of reports, and normalizing is pure.
 */
export function rememberingNormalizeGiven(size: number): typeof normalizeGiven {
  const answers = new LRUCache<string, Indicator | IndicatorError>({ max: size });
  return (value, kind, region) => {
    const key = `${region}\0${kind ?? ''}\0${value}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      try {
        answer = normalizeGiven(value, kind, region);
      } catch (error) {
        if (!(error instanceof IndicatorError)) throw error;
        answer = error;
      }
      answers.set(key, answer);
    }
    if (answer instanceof IndicatorError) throw answer;
    return answer;
  };
}

/**
 * The indicators of a report: the ones given (each must be valid, else the report is refused with the
 * index of the bad one) and those extracted from the narrative, once per key; given ones keep their role.
 */
export function prepareIndicators(
  given: readonly { value: string; kind?: IndicatorKind; role?: IndicatorRole }[],
  narrative: string,
  region: string,
  normalizeValue: typeof normalizeGiven = normalizeGiven,
): PreparedIndicators {
  const byKey = new Map<string, { indicator: Indicator; role: IndicatorRole | null; extracted: boolean }>();
  given.forEach((item, index) => {
    let indicator: Indicator;
    try {
      indicator = normalizeValue(item.value, item.kind, region);
    } catch (error) {
      if (error instanceof IndicatorError) throw new InvalidIndicatorError(index, error);
      throw error;
    }
    if (!byKey.has(indicator.key)) byKey.set(indicator.key, { indicator, role: item.role ?? null, extracted: false });
  });
  if (narrative !== '') {
    for (const found of extract(narrative, { region })) {
      if (!byKey.has(found.key) && !keyTooLong(found.indicator)) byKey.set(found.key, { indicator: found.indicator, role: null, extracted: true });
    }
  }
  const entries = new Set<string>();
  const indicators: ReportIndicator[] = [];
  for (const { indicator, role, extracted } of byKey.values()) {
    indicators.push({ key: indicator.key, kind: indicator.kind, canonical: indicator.canonical, role, extracted });
    if (!extracted) for (const entry of reportedEntries(indicator)) entries.add(entry);
  }
  return { indicators, entries: [...entries] };
}

/**
 * What makes two reports "the same report": scam type, channel, the indicator keys and the narrative with
 * case and spacing folded. Together with the reporter fingerprint it links repeats as duplicates.
 */
export function contentHash(scamType: string, channel: string, indicators: readonly ReportIndicator[], narrative: string): Buffer {
  const keys = indicators.map((i) => i.key).sort();
  const text = narrative.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(JSON.stringify([scamType, channel, keys, text])).digest();
}
