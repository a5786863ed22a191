/**
 * Text preparation shared by detect, normalize and extract: undo defanging, fold full-width ASCII, drop
 * invisible characters. extract needs to map positions back to the original text, so the folding can
 * record, for every output character, the index of the input character it came from.
 */

// One alternation, so a single pass finds every spot that needs rewriting.
//   full-width ASCII and the ideographic space | invisible characters | hxxp | [.] (.) {.} [dot] (dot) |
//   [:] [://] | [@] [at] (at)
const FOLD_RE =
  /[\uFF01-\uFF5E\u3000]|[\u200B-\u200D\u2060\uFEFF\u00AD]|hxxp|h\*\*p|\s?[[({](?:\.|dot)[\])}]\s?|\[:\]|\[:\/\/\]|\s?[[({](?:@|at)[\])}]\s?/gi;
// The same test without the optional spaces around brackets, which made every space a place to try.
const NEEDS_FOLD_RE = /[\uFF01-\uFF5E\u3000\u200B-\u200D\u2060\uFEFF\u00AD]|hxxp|h\*\*p|[[({](?:\.|dot|@|at)[\])}]|\[:(?:\/\/)?\]/i;

export interface FoldedText {
  text: string;
  /** origin[i] is the index in the input of output character i; origin[text.length] is the input length. Null when nothing changed. */
  origin: Int32Array | null;
}

function replacementFor(match: string): string {
  const code = match.charCodeAt(0);
  if (match.length === 1) {
    if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
    if (code === 0x3000) return ' ';
    return ''; // invisible characters
  }
  const lower = match.toLowerCase();
  if (lower === 'hxxp' || lower === 'h**p') return match[0] === 'H' ? 'HTTP' : 'http';
  if (lower.includes('/')) return '://';
  if (lower.includes(':')) return ':';
  if (lower.includes('@') || lower.includes('at')) return '@';
  return '.';
}

/** Folds defanged and full-width text to plain ASCII forms, keeping a map back to the input when asked. */
export function foldText(input: string, trackOrigin: boolean): FoldedText {
  if (!NEEDS_FOLD_RE.test(input)) return { text: input, origin: null };
  let out = '';
  const origin: number[] = [];
  let last = 0;
  FOLD_RE.lastIndex = 0;
  for (let m = FOLD_RE.exec(input); m !== null; m = FOLD_RE.exec(input)) {
    const start = m.index;
    const piece = input.slice(last, start);
    out += piece;
    if (trackOrigin) for (let i = last; i < start; i++) origin.push(i);
    const replacement = replacementFor(m[0]);
    out += replacement;
    if (trackOrigin) for (let i = 0; i < replacement.length; i++) origin.push(start);
    last = start + m[0].length;
  }
  out += input.slice(last);
  if (!trackOrigin) return { text: out, origin: null };
  for (let i = last; i <= input.length; i++) origin.push(i);
  return { text: out, origin: Int32Array.from(origin) };
}

// The ideographic full stops are dots inside a single pasted value (UTS 46 reads them so in host names),
// but sentence ends in running text, so only prepareValue maps them.
const IDEOGRAPHIC_DOTS_RE = /[\u3002\uFF61]/g;

/**
 * Prepares one pasted value: folded, ideographic dots mapped, surrounding whitespace removed. Quotes stay:
 * they can end a real URL, and a canonical form must survive normalizing again.
 */
export function prepareValue(raw: string): string {
  let value = foldText(raw, false).text;
  if (value.includes('\u3002') || value.includes('\uFF61')) value = value.replace(IDEOGRAPHIC_DOTS_RE, '.');
  return value.trim();
}

/** Removes a `scheme:` prefix such as `tel:` or `mailto:` (any case); returns null when it is absent. */
export function stripPrefix(value: string, prefixes: readonly string[]): string | null {
  const colon = value.indexOf(':');
  if (colon < 1) return null;
  const head = value.slice(0, colon).toLowerCase();
  return prefixes.includes(head) ? value.slice(colon + 1).replace(/^\/\//, '') : null;
}
