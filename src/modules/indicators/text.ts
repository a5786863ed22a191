/**
 * Text preparation shared by detect, normalize and extract: undo defanging, fold full-width ASCII, drop
 * invisible characters. extract needs to map positions back to the original text, so the folding can
 * record, for every output character, the index of the input character it came from.
 */

// Two passes, so that what the first makes (full-width brackets become ASCII ones) is seen by the second.
//   1. full-width ASCII and the ideographic space | invisible characters
//   2. hxxp | [.] (.) {.} [dot] (dot) | [:] [://] | [@] [at] (at)
// A defang form counts only when it is not itself inside brackets: `[[.]]` would otherwise fold to `[.]`, and
// folding again would change it again; normalize must give a canonical form that folds to itself.
const WIDTH_RE = /[\uFF01-\uFF5E\u3000\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const DEFANG_RE =
  /hxxp|h\*\*p|(?<![[({])(?:\s?[[({](?:\.|dot|@|at)[\])}]\s?|\[:\]|\[:\/\/\])(?![\])}])/gi;
// The same test without the optional spaces around brackets, which made every space a place to try.
export const NEEDS_DEFANG_RE = /hxxp|h\*\*p|[[({](?:\.|dot|@|at)[\])}]|\[:(?:\/\/)?\]/i;
const NEEDS_WIDTH_RE = new RegExp(WIDTH_RE.source);
const NEEDS_PREPARING_RE = new RegExp(`[\\u3002\\uFF61]|${WIDTH_RE.source}|${NEEDS_DEFANG_RE.source}`, 'i');

export interface FoldedText {
  text: string;
  /** origin[i] is the index in the input of output character i; origin[text.length] is the input length. Null when nothing changed. */
  origin: Int32Array | null;
}

function widthReplacement(char: string): string {
  const code = char.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  return code === 0x3000 ? ' ' : ''; // the ideographic space; invisible characters go
}

function defangReplacement(match: string): string {
  const lower = match.toLowerCase();
  if (lower === 'hxxp' || lower === 'h**p') return match[0] === 'H' ? 'HTTP' : 'http';
  if (lower.includes('/')) return '://';
  if (lower.includes(':')) return ':';
  if (lower.includes('@') || lower.includes('at')) return '@';
  return '.';
}

/** One rewriting pass; with `track`, also the map from each output index to its input index. */
function rewrite(input: string, re: RegExp, replace: (match: string) => string, track: boolean): FoldedText {
  let out = '';
  const origin: number[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(input); m !== null; m = re.exec(input)) {
    const start = m.index;
    out += input.slice(last, start);
    if (track) for (let i = last; i < start; i++) origin.push(i);
    const replacement = replace(m[0]);
    out += replacement;
    if (track) for (let i = 0; i < replacement.length; i++) origin.push(start);
    last = start + m[0].length;
  }
  out += input.slice(last);
  if (!track) return { text: out, origin: null };
  for (let i = last; i <= input.length; i++) origin.push(i);
  return { text: out, origin: Int32Array.from(origin) };
}

/** Folds full-width and defanged text to plain ASCII forms, keeping a map back to the input when asked. */
export function foldText(input: string, trackOrigin: boolean): FoldedText {
  const wide = NEEDS_WIDTH_RE.test(input) ? rewrite(input, WIDTH_RE, widthReplacement, trackOrigin) : { text: input, origin: null };
  if (!NEEDS_DEFANG_RE.test(wide.text)) return wide;
  const plain = rewrite(wide.text, DEFANG_RE, defangReplacement, trackOrigin);
  if (plain.origin === null || wide.origin === null) return { text: plain.text, origin: plain.origin };
  const through = wide.origin;
  return { text: plain.text, origin: plain.origin.map((i) => through[i] as number) };
}

// The ideographic full stops are dots inside a single pasted value (UTS 46 reads them so in host names),
// but sentence ends in running text, so only prepareValue maps them.
const IDEOGRAPHIC_DOTS_RE = /[\u3002\uFF61]/g;

/**
 * Prepares one pasted value: folded, ideographic dots mapped, surrounding whitespace removed. Quotes stay:
 * they can end a real URL, and a canonical form must survive normalizing again.
 */
export function prepareValue(raw: string): string {
  if (!NEEDS_PREPARING_RE.test(raw)) return raw.trim(); // the usual case, in one scan
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
