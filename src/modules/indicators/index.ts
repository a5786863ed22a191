/** The indicator engine: pure functions, no I/O. Everything downstream keys on `Indicator.key`. */
export { INDICATOR_KINDS, DEFAULT_REGION, IndicatorError, isIndicatorKind } from './indicator.types.js';
export type { Indicator, IndicatorKind, NormalizeOptions } from './indicator.types.js';
export { normalize, resolveRegion } from './normalize.js';
export { detect, detectAll, type Detection } from './detect.js';
export { extract, type ExtractedIndicator } from './extract.js';
export { lookalikes, buildProtectedSet, type Lookalike, type LookalikeReason, type ProtectedSet } from './lookalikes.js';
export { canonicalizeUrl, lookupExpressions, type CanonicalUrl } from './url.js';
export { skeleton } from './confusables.js';
