import { createRequire } from 'node:module';

// The prototype table of Unicode's confusables.txt (UTS #39), as shipped by the unhomoglyph package.
const table: Record<string, string> = createRequire(import.meta.url)('unhomoglyph/data.json');
const prototypes = new Map<string, string>(Object.entries(table));

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
