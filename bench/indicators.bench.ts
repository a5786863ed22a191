import { findNumbers, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parse as parseDomain } from 'tldts';
import { extract, normalize } from '../src/modules/indicators/index.js';
import { ftcNumbers, openPhishUrls, smsTexts } from '../test/helpers/shared-data.js';
import { compare, type Comparison } from './harness.js';

function attempt(fn: () => unknown): unknown {
  try {
    return fn();
  } catch {
    return null;
  }
}

/** Phone normalization vs bare libphonenumber-js parse + isValid (same "max" metadata) on the FTC numbers. */
export function phoneBenchmark(): Comparison {
  const inputs = ftcNumbers().filter((n) => n.trim() !== '');
  const result = compare(
    { inputs },
    (v) => parsePhoneNumberFromString(v, 'US')?.isValid(),
    (v) => attempt(() => normalize('phone', v, { region: 'US' })),
  );
  const ratio = result.candidate / result.baseline;
  return { name: `phone normalize (${inputs.length} FTC numbers)`, unit: 'ops/s', baselineName: 'parsePhoneNumberFromString().isValid()', ...result, target: '≥ 0.80×', pass: ratio >= 0.8 };
}

/** URL normalization (Safe Browsing canonical form + registrable domain) vs WHATWG `new URL()` on OpenPhish. */
export function urlBenchmark(): Comparison {
  const inputs = openPhishUrls().slice(0, 100_000);
  const result = compare(
    { inputs },
    (v) => attempt(() => new URL(v)),
    (v) => attempt(() => normalize('url', v)),
    5,
  );
  const ratio = result.candidate / result.baseline;
  return { name: `url normalize (${inputs.length} OpenPhish URLs)`, unit: 'ops/s', baselineName: 'new URL()', ...result, target: '≥ 0.15×', pass: ratio >= 0.15 };
}

/** Registrable domain alone, to show what the URL figure spends on the Public Suffix List. */
export function tldtsReference(): Comparison {
  const inputs = openPhishUrls().slice(0, 100_000);
  const result = compare(
    { inputs },
    (v) => attempt(() => new URL(v)),
    (v) => parseDomain(v, { allowPrivateDomains: true }).domain,
    5,
  );
  const ratio = result.candidate / result.baseline;
  return { name: '(reference) tldts parse alone', unit: 'ops/s', baselineName: 'new URL()', ...result, target: '—', pass: true };
}

/** extract() over the SMS collection, message by message, in MB/s; baseline: libphonenumber-js findNumbers. */
export function extractBenchmark(): Comparison {
  const inputs = smsTexts();
  const workload = { inputs, size: (t: string) => Buffer.byteLength(t) / 1e6 };
  const result = compare(
    workload,
    (t) => findNumbers(t, { defaultCountry: 'GB', v2: true }),
    (t) => extract(t, { region: 'GB' }),
  );
  return {
    name: `extract (${inputs.length} SMS, ${(inputs.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6).toFixed(2)} MB)`,
    unit: 'MB/s',
    baselineName: 'findNumbers() (phones only)',
    ...result,
    target: '≥ 20 MB/s',
    pass: result.candidate >= 20,
  };
}
