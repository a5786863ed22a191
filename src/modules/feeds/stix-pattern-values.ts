import type { IndicatorKind } from '../indicators/index.js';

/**
 * The values a STIX 2.1 indicator's pattern (STIX 2.1 §9, "STIX Patterning") names, for keeping a peer's
 * indicators as a feed. A block list holds values, not detection logic, so only patterns that are a list of
 * values are read: observation expressions joined by OR, each a comparison or comparisons joined by OR, where
 * AND groups the properties of one object (`bank-account:country = 'HK' AND bank-account:account_number = …`).
 * Anything else (observation operators FOLLOWEDBY and AND, qualifiers WITHIN/REPEATS/START, other comparison
 * operators, parentheses) is refused with the reason, never guessed at.
 *
 * AND binds tighter than OR within an observation expression (§9.5, "Comparison Expression" precedence).
 */

export interface PatternValue {
  kind: IndicatorKind;
  value: string;
}

export type PatternReading = { values: PatternValue[]; passedOver: string[] } | { refused: string };

interface Comparison {
  type: string;
  property: string;
  operator: '=' | 'LIKE';
  literal: string;
}

type Token = { t: 'open' | 'close' } | { t: 'word'; v: string } | { t: 'string'; v: string } | { t: 'op'; v: string };

/** §9.3: a string literal is quoted with ', with \' and \\ its only escapes. */
function tokenize(pattern: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '[') (tokens.push({ t: 'open' }), i++);
    else if (c === ']') (tokens.push({ t: 'close' }), i++);
    else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= pattern.length) return 'a string literal is not closed';
        const d = pattern[i] as string;
        if (d === '\\') {
          const e = pattern[i + 1];
          if (e !== "'" && e !== '\\') return `“\\${e ?? ''}” is not an escape a STIX string may hold`;
          v += e;
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else (v += d, i++);
      }
      tokens.push({ t: 'string', v });
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      const op = /^(=|!=|<=|>=|<|>)/.exec(pattern.slice(i))?.[0] as string | undefined;
      if (op === undefined) return `“${c}” is not a comparison operator`;
      tokens.push({ t: 'op', v: op });
      i += op.length;
    } else {
      const word = /^[A-Za-z0-9_:.\-]+/.exec(pattern.slice(i))?.[0];
      if (word === undefined) return `“${c}” is not part of a pattern of values (parentheses, qualifiers and other literals are not read)`;
      tokens.push({ t: 'word', v: word });
      i += word.length;
    }
  }
  return tokens;
}

/** The alternatives of the pattern: each an AND-group of comparisons about one object. */
function alternatives(pattern: string): Comparison[][] | string {
  const tokens = tokenize(pattern);
  if (typeof tokens === 'string') return tokens;
  const groups: Comparison[][] = [];
  let i = 0;
  const word = (k: number): string | null => {
    const tok = tokens[k];
    return tok?.t === 'word' ? tok.v : null;
  };
  for (;;) {
    if (tokens[i]?.t !== 'open') return 'a pattern of values is observation expressions in [ ] joined by OR';
    i++;
    let group: Comparison[] = [];
    for (;;) {
      const path = word(i);
      const m = path === null ? null : /^([a-z0-9-]+):([a-z0-9_]+)$/.exec(path);
      if (m === null) return `“${path ?? '?'}” is not an object path of a value (type:property)`;
      const opTok = tokens[i + 1];
      const operator = opTok?.t === 'op' ? opTok.v : opTok?.t === 'word' ? opTok.v.toUpperCase() : '';
      if (operator !== '=' && operator !== 'LIKE') return `the operator “${operator}” does not name a value (only = and LIKE are read)`;
      const lit = tokens[i + 2];
      if (lit?.t !== 'string') return 'a comparison of a value compares with a string literal';
      group.push({ type: m[1] as string, property: m[2] as string, operator, literal: lit.v });
      i += 3;
      const next = tokens[i];
      if (next?.t === 'close') {
        i++;
        break;
      }
      const joiner = word(i)?.toUpperCase();
      if (joiner === 'OR') groups.push(group), (group = []);
      else if (joiner !== 'AND') return `“${joiner ?? '?'}” does not join comparisons (AND, OR)`;
      i++;
    }
    groups.push(group);
    if (i === tokens.length) return groups;
    const joiner = word(i)?.toUpperCase();
    if (joiner !== 'OR') return `observations joined by “${joiner ?? '?'}” (or qualified) do not name one value each: only OR is read`;
    i++;
  }
}

/** The one value an AND-group names, or why it names none Scamgraph keeps. */
function valueOf(group: Comparison[]): PatternValue | string {
  const [first] = group as [Comparison];
  if (group.some((c) => c.type !== first.type)) return 'AND across objects of different types names no one value';
  if (group.some((c) => c.operator === 'LIKE')) return `a LIKE comparison (${first.type}:${first.property} LIKE '${first.literal}') names many values, not one`;
  const p: Record<string, string> = {};
  for (const c of group) p[c.property] = c.literal;
  const only = (property: string, kind: IndicatorKind): PatternValue | string =>
    group.length === 1 && p[property] !== undefined ? { kind, value: p[property] } : `${first.type} is read by its ${property} alone`;
  switch (first.type) {
    case 'domain-name':
      return only('value', 'domain');
    case 'url':
      return only('value', 'url');
    case 'email-addr':
      return only('value', 'email');
    case 'ipv4-addr':
    case 'ipv6-addr':
      return only('value', 'ip');
    case 'phone-number':
      return only('value', 'phone');
    case 'sms-sender-id':
      return only('value', 'sms_sender');
    case 'bank-account':
      if (p.iban !== undefined && group.length === 1) return { kind: 'bank_account', value: p.iban };
      if (p.country === 'HK' && p.account_number !== undefined && group.length === 2) return { kind: 'bank_account', value: p.account_number };
      return 'a bank-account is read by its iban, or a Hong Kong country and account_number';
    case 'cryptocurrency-wallet':
      if (p.value !== undefined && group.every((c) => c.property === 'value' || c.property === 'chain')) return { kind: 'crypto_wallet', value: p.value };
      return 'a cryptocurrency-wallet is read by its value (and chain)';
    case 'payment-proxy':
      if (p.scheme !== undefined && p.value !== undefined && group.length === 2) return { kind: 'payment_proxy', value: `${p.scheme}:${p.value}` };
      return 'a payment-proxy is read by its scheme and value';
    case 'user-account':
      if (p.account_type !== undefined && p.account_login !== undefined && group.length === 2) return { kind: 'social_account', value: `${p.account_type}:${p.account_login}` };
      return 'a user-account is read by its account_type and account_login';
    default:
      return `${first.type} objects name nothing Scamgraph judges`;
  }
}

/**
 * The values of a pattern. A name LIKE '%.X' beside the name X itself is what Scamgraph means by the whole
 * site X (its own indicators say so): it is covered by X and passed over silently. Other alternatives that
 * name no value are passed over with their reason; a pattern with no value at all is refused.
 */
export function patternValues(pattern: string): PatternReading {
  const groups = alternatives(pattern);
  if (typeof groups === 'string') return { refused: groups };
  const values: PatternValue[] = [];
  const passedOver: string[] = [];
  const names = new Set(groups.filter((g) => g.length === 1 && g[0]?.type === 'domain-name' && g[0].operator === '=').map((g) => g[0]?.literal));
  for (const group of groups) {
    const [c] = group as [Comparison];
    if (group.length === 1 && c.type === 'domain-name' && c.operator === 'LIKE' && c.literal.startsWith('%.') && names.has(c.literal.slice(2))) continue;
    const v = valueOf(group);
    if (typeof v === 'string') passedOver.push(v);
    else values.push(v);
  }
  if (values.length === 0) return { refused: passedOver.join('; ') };
  return { values, passedOver };
}
