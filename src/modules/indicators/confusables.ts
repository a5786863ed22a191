// The prototype table of Unicode's confusables.txt (UTS #39), as shipped by the unhomoglyph package; a JSON
// import, so that bundlers carry it into the client SDK as well.
import table from 'unhomoglyph/data.json' with { type: 'json' };

const prototypes = new Map<string, string>(Object.entries(table as Record<string, string>));

/**
 * The UTS #39 skeleton: NFD, every character replaced by its confusable prototype, NFD again. Two strings
 * that look alike have the same skeleton (`раypal` with Cyrillic letters and `paypal`; `rn` and `m`).
 * Lower-cased before and after, since host names and sender IDs are compared without case and some
 * prototypes are capitals (`0` → `O`).
 */
export function skeleton(text: string): string {
  let out = '';
  for (const char of text.toLowerCase().normalize('NFD')) out += prototypes.get(char) ?? char;
  return out.normalize('NFD').toLowerCase();
}
