import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The real test data shared beside the repository (`../shared/data`); see its README for licences. */
export const SHARED_DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

function read(relative: string): Buffer {
  const path = SHARED_DATA_DIR + relative;
  if (!existsSync(path)) throw new Error(`shared test data missing: ${path} (clone the repository beside shared/)`);
  const bytes = readFileSync(path);
  return relative.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

/** Rows of a tab- or comma-separated file without its header line. */
function rows(relative: string, separator: string): string[][] {
  const lines = read(relative).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(1).map((line) => line.replace(/\r$/, '').split(separator));
}

/** The caller numbers of the FTC Do Not Call complaints file, blank ones included, in file order. */
export function ftcNumbers(): string[] {
  return rows('ftc-dnc-complaints/dnc_complaint_numbers_2021-07-08.csv', ',').map((r) => r[0] ?? '');
}

/** The phishing URLs seen by OpenPhish. */
export function openPhishUrls(): string[] {
  return rows('openphish/urls.tsv.gz', '\t').map((r) => r[1] ?? '');
}

/** The texts of the SMS Spam Collection training split (ham and spam). */
export function smsTexts(): string[] {
  return read('sms-spam-collection/train.tsv')
    .toString('utf8')
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => line.slice(line.indexOf('\t') + 1));
}
