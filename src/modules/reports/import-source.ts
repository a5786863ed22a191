import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';

/** One record of an import file, with the line it starts on; `error` when it could not even be parsed. */
export interface SourceRecord {
  line: number;
  value: unknown;
  error?: string;
}

export type SourceFormat = 'jsonl' | 'csv' | 'tsv' | 'lines';

/** Counts bytes read from the file (compressed bytes for .gz), for a progress bar over the file size. */
export interface ByteCounter {
  bytes: number;
}

/** The file's bytes, gunzipped when it ends in .gz. */
function open(path: string, counter: ByteCounter): Readable {
  const file = createReadStream(path);
  file.on('data', (chunk) => (counter.bytes += chunk.length));
  if (!/\.gz$/i.test(path)) return file;
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip);
}

/** The file's lines; a read error ends the iteration with that error (readline alone would swallow it). */
function linesOf(path: string, counter: ByteCounter): AsyncIterable<string> {
  const stream = open(path, counter);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  stream.on('error', (error) => lines.emit('error', error));
  return lines;
}

async function* jsonLines(path: string, counter: ByteCounter): AsyncGenerator<SourceRecord> {
  let line = 0;
  for await (const text of linesOf(path, counter)) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch {
      yield { line, value: null, error: 'not valid JSON' };
    }
  }
}

async function* plainLines(path: string, counter: ByteCounter): AsyncGenerator<SourceRecord> {
  let line = 0;
  for await (const text of linesOf(path, counter)) {
    line++;
    const value = text.trim();
    if (value !== '' && !value.startsWith('#')) yield { line, value };
  }
}

/**
 * CSV or TSV rows: objects keyed by the header row when `columns` is true, else arrays of cells. A malformed
 * row becomes an error record and parsing goes on.
 */
async function* delimitedRows(path: string, counter: ByteCounter, delimiter: string, columns: boolean): AsyncGenerator<SourceRecord> {
  const stream = open(path, counter);
  const skipped: SourceRecord[] = [];
  const parser = parseCsv({ columns, delimiter, info: true, skip_empty_lines: true, trim: true, bom: true, skip_records_with_error: true, raw: true, relax_quotes: delimiter === '\t' });
  stream.on('error', (error) => parser.destroy(error));
  stream.pipe(parser);
  // csv-parse tells the line a record ends on; its raw text (empty lines before it included) tells how many
  // lines it spans. Skipped records are reported ahead of the records before them, so they wait their turn.
  const startLine = (end: number, raw: string): number => end - (raw.replace(/\r?\n$/, '').replace(/^(\r?\n)+/, '').match(/\n/g)?.length ?? 0);
  parser.on('skip', (error: Error & { lines?: number; raw?: string }) => skipped.push({ line: startLine(error.lines ?? 0, error.raw ?? ''), value: null, error: error.message }));
  for await (const { record, info, raw } of parser as AsyncIterable<{ record: unknown; info: { lines: number }; raw: string }>) {
    const line = startLine(info.lines, raw);
    while (skipped.length > 0 && (skipped[0] as SourceRecord).line < line) yield skipped.shift() as SourceRecord;
    yield { line, value: record };
  }
  while (skipped.length > 0) yield skipped.shift() as SourceRecord;
}

/** The format by file name (a trailing .gz is looked through): .csv, .tsv, else the fallback. */
export function formatOf(path: string, fallback: SourceFormat): SourceFormat {
  const name = path.replace(/\.gz$/i, '');
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.tsv$/i.test(name)) return 'tsv';
  return fallback;
}

export function readSource(path: string, format: SourceFormat, counter: ByteCounter, columns = true): AsyncGenerator<SourceRecord> {
  if (format === 'csv' || format === 'tsv') return delimitedRows(path, counter, format === 'csv' ? ',' : '\t', columns);
  return format === 'jsonl' ? jsonLines(path, counter) : plainLines(path, counter);
}
