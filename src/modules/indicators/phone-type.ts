import { Metadata } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/metadata.max.json';

/**
 * libphonenumber-js's number-type lookup, with each pattern compiled once.
 *
 * Why: the library builds `new RegExp('^(?:' + pattern + ')$')` on every test, and the type patterns of a
 * plan like GB's are kilobytes long: measured here, 3 µs per test against 0.05 µs with a compiled regex,
 * over half of the time of validating a UK number. The logic below is the library's getNumberType (itself a
 * port of Google's PhoneNumberUtil.getNumberType) step for step; phone-type.test.ts checks that it gives
 * the same answer as `PhoneNumber.getType()` / `isValid()` on real and random numbers, so an upgrade of the
 * library that changed either side fails the tests. The version of libphonenumber-js is pinned for it.
 */

/** The parts of the library's runtime Metadata class used here (the published typings omit them). */
interface NumberType {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface NumberingPlanView {
  hasTypes(): boolean;
  nationalNumberPattern(): string;
  type(name: string): NumberType | undefined;
}

const NON_FIXED_LINE_TYPES = ['MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

const compiled = new Map<string, RegExp>();
const plans = new Map<string, NumberingPlanView>();

function matchesEntirely(text: string, pattern: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, re);
  }
  return re.test(text);
}

function planFor(countryOrCallingCode: string): NumberingPlanView {
  let plan = plans.get(countryOrCallingCode);
  if (plan === undefined) {
    const metadata = new (Metadata as unknown as new (json: unknown) => Metadata & NumberingPlanView)(metadataJson);
    metadata.selectNumberingPlan(countryOrCallingCode as never);
    plan = metadata;
    plans.set(countryOrCallingCode, plan);
  }
  return plan;
}

function isType(nationalNumber: string, name: string, plan: NumberingPlanView): boolean {
  const type = plan.type(name);
  if (type === undefined || !type.pattern()) return false;
  const lengths = type.possibleLengths();
  if (lengths !== undefined && !lengths.includes(nationalNumber.length)) return false;
  return matchesEntirely(nationalNumber, type.pattern());
}

/**
 * The line type of a parsed number (`MOBILE`, `FIXED_LINE`, ...), null for a valid number in a plan without
 * type data, undefined when the number is not valid. Same answers as getType() and isValid().
 */
export function lineType(country: string | undefined, callingCode: string | undefined, nationalNumber: string): string | null | undefined {
  const key = country ?? callingCode;
  if (!key) return undefined;
  const plan = planFor(key);
  if (!plan.hasTypes()) return matchesEntirely(nationalNumber, plan.nationalNumberPattern()) ? null : undefined;
  if (!matchesEntirely(nationalNumber, plan.nationalNumberPattern())) return undefined;
  if (isType(nationalNumber, 'FIXED_LINE', plan)) {
    const mobile = plan.type('MOBILE');
    if (mobile === undefined || mobile.pattern() === '' || isType(nationalNumber, 'MOBILE', plan)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  return NON_FIXED_LINE_TYPES.find((type) => isType(nationalNumber, type, plan));
}
