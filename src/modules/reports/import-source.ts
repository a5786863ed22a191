import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';

/** One record of an import file, with the line it starts on; `error` when it could not even be parsed. */
export interface SourceRecord {
  line: number;
  value: unknown;
  error?: string;
}

export type SourceFormat = 'jsonl' | 'csv' | 'lines';

/** Counts bytes read, for a progress bar over the file size. */
export interface ByteCounter {
  bytes: number;
}

async function* jsonLines(path: string, counter: ByteCounter): AsyncGenerator<SourceRecord> {
  const stream = createReadStream(path);
  stream.on('data', (chunk) => (counter.bytes += chunk.length));
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
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
  const stream = createReadStream(path);
  stream.on('data', (chunk) => (counter.bytes += chunk.length));
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    const value = text.trim();
    if (value !== '' && !value.startsWith('#')) yield { line, value };
  }
}

/** CSV with a header row; a malformed row becomes an error record and parsing goes on. */
async function* csvRows(path: string, counter: ByteCounter, columns: boolean | string[]): AsyncGenerator<SourceRecord> {
  const stream = createReadStream(path);
  stream.on('data', (chunk) => (counter.bytes += chunk.length));
  const skipped: SourceRecord[] = [];
  const parser = stream.pipe(parseCsv({ columns, info: true, skip_empty_lines: true, trim: true, bom: true, skip_records_with_error: true, relax_column_count: false }));
  parser.on('skip', (error: Error & { lines?: number }) => skipped.push({ line: error.lines ?? 0, value: null, error: error.message }));
  for await (const { record, info } of parser as AsyncIterable<{ record: unknown; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift() as SourceRecord;
    yield { line: info.lines, value: record };
  }
  while (skipped.length > 0) yield skipped.shift() as SourceRecord;
}

export function formatOf(path: string, fallback: SourceFormat): SourceFormat {
  return /\.csv$/i.test(path) ? 'csv' : fallback;
}

export function readSource(path: string, format: SourceFormat, counter: ByteCounter, csvColumns: boolean | string[] = true): AsyncGenerator<SourceRecord> {
  if (format === 'csv') return csvRows(path, counter, csvColumns);
  return format === 'jsonl' ? jsonLines(path, counter) : plainLines(path, counter);
}
