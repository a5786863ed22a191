import Type from 'typebox';

/** What ajv reports for one broken rule (the fields of its ErrorObject this module reads). */
export interface SchemaViolation {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Where in the request a violation is, as Fastify names it. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/**
 * Every `pattern` a request schema uses, with the rule in words: a client is told "limit must be a whole number
 * of up to 3 digits", never the regular expression. test/http/openapi.test.ts checks that every pattern in the
 * API document has its words here.
 */
const PATTERN_RULES = new Map<string, string>([
  // Defined in the reports module (shared with the importer), worded here where it reaches HTTP clients.
  ['^[A-Z]{3}$', 'a three-letter ISO 4217 currency code in capitals, such as HKD'],
]);

/** A string schema with a pattern, whose rule in words is what a client is told when a value breaks it. */
export function Patterned(pattern: string, words: string, options: { description?: string } = {}) {
  const known = PATTERN_RULES.get(pattern);
  if (known !== undefined && known !== words) throw new Error(`pattern ${pattern} is already worded as “${known}”`);
  PATTERN_RULES.set(pattern, words);
  return Type.String({ pattern, description: options.description ?? `Must be ${words}.` });
}

/** The words for a pattern, or undefined when no schema registered it. */
export function patternRule(pattern: string): string | undefined {
  return PATTERN_RULES.get(pattern);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'a date and time with its offset, such as 2025-05-01T09:30:00Z',
  date: 'a date such as 2025-05-01',
  email: 'an e-mail address',
  uri: 'an absolute URI',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const quoteList = (values: readonly unknown[]): string => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/** `/loss/currency` → `loss.currency`, `/values/0` → `values[0]` (JSON Pointer escapes undone). */
export function fieldPath(instancePath: string): string {
  let path = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^[0-9]+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

/** How a field is named in a message: bare in the body (as the issue's "channel must be one of …"), else with its part. */
function subject(part: RequestPart, path: string): string {
  if (path === '') return { body: 'the body', querystring: 'the query string', params: 'the path', headers: 'the headers' }[part];
  const named = { body: '', querystring: 'query parameter ', params: 'path parameter ', headers: 'header ' }[part];
  return `${named}${path}`;
}

/** The rule a single violation broke, in words ("must be one of call, sms"). */
function rule(v: SchemaViolation): string {
  const p = v.params;
  switch (v.keyword) {
    case 'type': {
      const types = String(p.type).split(',');
      return `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`;
    }
    case 'enum':
      return `must be one of ${quoteList(p.allowedValues as unknown[])}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return `must be ${patternRule(String(p.pattern)) ?? 'in the documented form'}`;
    case 'format':
      return `must be ${FORMAT_WORDS[String(p.format)] ?? `in ${String(p.format)} form`}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${plural(Number(p.limit), 'character')} long`;
    case 'maxLength':
      return `must be at most ${plural(Number(p.limit), 'character')} long`;
    case 'minItems':
      return `must hold at least ${plural(Number(p.limit), 'item')}`;
    case 'maxItems':
      return `must hold at most ${plural(Number(p.limit), 'item')}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be more than ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p.limit)}`;
    case 'minProperties':
      return `must have at least ${plural(Number(p.limit), 'field')}`;
    case 'maxProperties':
      return `must have at most ${plural(Number(p.limit), 'field')}`;
    case 'uniqueItems':
      return 'must not list the same item twice';
    default:
      return `is not valid (${v.keyword})`;
  }
}

/**
 * One sentence naming the field and the rule it broke, from ajv's errors for one part of a request. A missing
 * field, an unknown one and a union that matched no branch are told as such; of several errors the most
 * specific (deepest) is told, as it is the one a person can act on.
 */
export function describeViolation(part: RequestPart, violations: readonly SchemaViolation[]): string {
  if (violations.length === 0) return `${subject(part, '')} is not valid.`;
  const deepest = violations.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
  const v = violations.find((x) => x.keyword !== 'anyOf' && x.keyword !== 'oneOf' && x.instancePath === deepest.instancePath) ?? deepest;
  const path = fieldPath(v.instancePath);
  const join = (name: string): string => (path === '' ? name : `${path}.${name}`);
  if (v.keyword === 'required') {
    const missing = join(String(v.params.missingProperty));
    return part === 'body' ? `${missing} is required.` : `${subject(part, missing)} is required.`;
  }
  if (v.keyword === 'additionalProperties') {
    const extra = join(String(v.params.additionalProperty));
    return part === 'querystring' ? `${extra} is not a query parameter of this route.` : `${subject(part, extra)} is not a field this route takes.`;
  }
  // A union (a value or an object, a string or null): every type it could have been, once.
  const types = violations.filter((x) => x.keyword === 'type' && x.instancePath === v.instancePath).map((x) => String(x.params.type));
  if (types.length > 1) return `${subject(part, path)} must be ${[...new Set(types)].map((t) => TYPE_WORDS[t] ?? t).join(' or ')}.`;
  return `${subject(part, path)} ${rule(v)}.`;
}
