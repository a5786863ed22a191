import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSenderRegistryCsv, SenderRegistryCsvError } from './sender-registry-csv.js';

const HEADER = 'sender_id,organisation,status,registered_on,expires_on';
const file = (...rows: string[]): string => [HEADER, ...rows].join('\n') + '\n';
const codes = (text: string) => parseSenderRegistryCsv(text).errors.map((e) => [e.line, e.code]);

describe('parseSenderRegistryCsv', () => {
  it('reads good rows: dates, an open end, status in any case, columns in any order', () => {
    const parsed = parseSenderRegistryCsv(file('#HSBC,HSBC,active,2024-01-01,', '#HKPost,  Hongkong   Post ,Suspended,2024-02-01,2026-01-31'));
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.rows, [
      { line: 2, senderId: '#HSBC', organisation: 'HSBC', status: 'active', registeredOn: '2024-01-01', expiresOn: null },
      { line: 3, senderId: '#HKPost', organisation: 'Hongkong Post', status: 'suspended', registeredOn: '2024-02-01', expiresOn: '2026-01-31' },
    ]);
    const reordered = parseSenderRegistryCsv('Organisation,SENDER_ID,expires_on,status,registered_on\nHSBC,#HSBC,,active,2024-01-01\n');
    assert.deepEqual(reordered.rows.map((r) => [r.senderId, r.organisation, r.expiresOn]), [['#HSBC', 'HSBC', null]]);
  });

  it('takes # lines before the header as comments, and keeps the file’s line numbers', () => {
    const parsed = parseSenderRegistryCsv(`# sample data\n#, not real\n${HEADER}\n\n#HSBC,HSBC,active,2024-01-01,\n#X,,active,2024-01-01,\n`);
    assert.deepEqual(parsed.rows.map((r) => r.line), [5]);
    assert.deepEqual(parsed.errors.map((e) => e.line), [6]);
  });

  it('reads a BOM, CRLF line ends and a quoted organisation over two lines', () => {
    const parsed = parseSenderRegistryCsv(`\uFEFF${HEADER}\r\n#A1,"Org, Ltd",active,2024-01-01,\r\n#B2,"Two\r\nLines",active,2024-01-01,\r\n#C3,,active,2024-01-01,\r\n`);
    assert.deepEqual(parsed.rows.map((r) => [r.line, r.organisation]), [[2, 'Org, Ltd'], [3, 'Two Lines']]);
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.code]), [[5, 'MISSING_ORGANISATION']]);
  });

  it('BAD_HEADER: empty file, missing, unknown or repeated columns', () => {
    assert.deepEqual(codes(''), [[1, 'BAD_HEADER']]);
    assert.deepEqual(codes('sender_id,organisation,status,registered_on\n#A1,A,active,2024-01-01\n'), [[1, 'BAD_HEADER']]);
    assert.deepEqual(codes('sender_id,organisation,status,registered_on,expires_on,notes\n'), [[1, 'BAD_HEADER']]);
    assert.deepEqual(codes('sender_id,sender_id,status,registered_on,expires_on\n'), [[1, 'BAD_HEADER']]);
    assert.deepEqual(codes('#HSBC,HSBC,active,2024-01-01,\n'), [[1, 'BAD_HEADER']]); // a # line before any header is a comment: no header at all
  });

  it('MALFORMED_CSV: a wrong number of columns, bad quoting', () => {
    assert.deepEqual(codes(file('#A1,A,active,2024-01-01', '#B2,B,active,2024-01-01,,extra')), [[2, 'MALFORMED_CSV'], [3, 'MALFORMED_CSV']]);
    assert.equal(codes(file('#A1,"A"x,active,2024-01-01,'))[0]?.[1], 'MALFORMED_CSV');
  });

  it('INVALID_SENDER_ID: no #, too long, characters no sender ID has', () => {
    assert.deepEqual(codes(file('HSBC,HSBC,active,2024-01-01,', '#ABCDEFGHIJKL,X,active,2024-01-01,', '#HS*BC,X,active,2024-01-01,', '#,X,active,2024-01-01,')), [
      [2, 'INVALID_SENDER_ID'],
      [3, 'INVALID_SENDER_ID'],
      [4, 'INVALID_SENDER_ID'],
      [5, 'INVALID_SENDER_ID'],
    ]);
  });

  it('MISSING_ORGANISATION and INVALID_ORGANISATION', () => {
    assert.deepEqual(codes(file('#A1,,active,2024-01-01,', '#B2,   ,active,2024-01-01,', `#C3,${'x'.repeat(201)},active,2024-01-01,`)), [
      [2, 'MISSING_ORGANISATION'],
      [3, 'MISSING_ORGANISATION'],
      [4, 'INVALID_ORGANISATION'],
    ]);
  });

  it('INVALID_STATUS', () => {
    assert.deepEqual(codes(file('#A1,A,revoked,2024-01-01,', '#B2,B,,2024-01-01,')), [[2, 'INVALID_STATUS'], [3, 'INVALID_STATUS']]);
  });

  it('INVALID_DATE: not YYYY-MM-DD, no such day, missing, or an end before the start', () => {
    assert.deepEqual(codes(file('#A1,A,active,01/02/2024,', '#B2,B,active,2023-02-29,', '#C3,C,active,,', '#D4,D,active,2024-01-01,2024-13-01', '#E5,E,active,2024-05-01,2024-04-30')), [
      [2, 'INVALID_DATE'],
      [3, 'INVALID_DATE'],
      [4, 'INVALID_DATE'],
      [5, 'INVALID_DATE'],
      [6, 'INVALID_DATE'],
    ]);
    assert.deepEqual(codes(file('#F6,F,active,2024-02-29,2024-02-29')), []); // a leap day; one day's registration
  });

  it('DUPLICATE_SENDER_ID: the same ID twice, whatever its case', () => {
    const parsed = parseSenderRegistryCsv(file('#HSBC,HSBC,active,2024-01-01,', '#hsbc,HSBC again,active,2024-01-01,'));
    assert.deepEqual(parsed.errors.map((e) => [e.line, e.code]), [[3, 'DUPLICATE_SENDER_ID']]);
    assert.match(parsed.errors[0]!.message, /line 2/);
    // Inner spacing folds as the stored key folds: two such rows would otherwise meet in one upsert.
    const spaced = parseSenderRegistryCsv(file('#HK Post,Hongkong Post,active,2024-01-01,', '#HK  Post,Hongkong Post,active,2024-01-01,'));
    assert.deepEqual(spaced.errors.map((e) => [e.line, e.code]), [[3, 'DUPLICATE_SENDER_ID']]);
  });

  it('lists every bad row, in line order, not just the first', () => {
    assert.deepEqual(codes(file('#A1,,active,2024-01-01,', '#B2,B,active,2024-01-01,', 'C3,C,active,2024-01-01,', '#D4,D,gone,2024-01-01,')), [
      [2, 'MISSING_ORGANISATION'],
      [4, 'INVALID_SENDER_ID'],
      [5, 'INVALID_STATUS'],
    ]);
  });

  it('never throws, whatever the text', () => {
    for (const text of ['"', '\u0000', ',,,,', `${HEADER}\n"`, '\n\n\n', `${HEADER}\n${'#A,'.repeat(1000)}`]) assert.ok(Array.isArray(parseSenderRegistryCsv(text).errors));
  });

  it('the sample file is valid', () => {
    const text = readFileSync(new URL('../../../test/fixtures/sender-registry.sample.csv', import.meta.url), 'utf8');
    assert.ok(text.startsWith('# SAMPLE DATA'));
    const parsed = parseSenderRegistryCsv(text);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.rows.length, 20);
  });
});

describe('SenderRegistryCsvError', () => {
  it('carries every bad row with its line and code, and the catalog code INVALID_SENDER_REGISTRY', () => {
    const { errors } = parseSenderRegistryCsv(file('#A1,,active,2024-01-01,', 'B2,B,active,2024-01-01,'));
    const error = new SenderRegistryCsvError(errors);
    assert.equal(error.code, 'INVALID_SENDER_REGISTRY');
    assert.equal(error.status, 400);
    assert.match(error.message, /2 bad rows, so nothing was stored: line 2: .*MISSING_ORGANISATION.*line 3/);
    assert.deepEqual(error.toJSON().rows.map((r) => [r.line, r.code]), [[2, 'MISSING_ORGANISATION'], [3, 'INVALID_SENDER_ID']]);
  });
});
