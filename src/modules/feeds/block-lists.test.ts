import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FEEDS, formatLines, validFeeds } from './block-lists.js';

describe('feed definitions (SCAMGRAPH_FEEDS)', () => {
  it('add to the defaults or replace one by name', () => {
    const feeds = validFeeds({ 'ips-high-risk': { kinds: ['ip'], levels: ['high_risk'], description: 'IPs' }, 'phones-high-risk': { kinds: ['phone', 'sms_sender'], levels: ['high_risk', 'high_risk'] } }, 'test');
    assert.deepEqual(feeds['ips-high-risk'], { kinds: ['ip'], levels: ['high_risk'], description: 'IPs' });
    assert.deepEqual(feeds['phones-high-risk'], { kinds: ['phone', 'sms_sender'], levels: ['high_risk'], description: '' });
    assert.deepEqual(feeds['all-flagged'], DEFAULT_FEEDS['all-flagged']);
  });

  it('refuse a protected or unrecorded level, an unknown kind, a bad name and an unknown field, saying where', () => {
    const refused: [unknown, RegExp][] = [
      [{ safe: { kinds: ['domain'], levels: ['verified'] } }, /safe\.levels .*never on a block list/],
      [{ x: { kinds: ['phone'], levels: ['no_record'] } }, /x\.levels/],
      [{ x: { kinds: ['planet'], levels: ['high_risk'] } }, /x\.kinds/],
      [{ x: { kinds: [], levels: ['high_risk'] } }, /x\.kinds/],
      [{ 'Bad Name': { kinds: ['phone'], levels: ['high_risk'] } }, /not a feed name/],
      [{ x: { kinds: ['phone'], levels: ['high_risk'], ttl: 5 } }, /unknown field “ttl”/],
      [[], /JSON object/],
    ];
    for (const [raw, message] of refused) assert.throws(() => validFeeds(raw, 'SCAMGRAPH_FEEDS=f.json'), (e: Error) => e.message.startsWith('SCAMGRAPH_FEEDS=f.json: ') && message.test(e.message));
  });
});

describe('block-list formats', () => {
  it('CSV quotes a field with a comma, a quote or a line break (RFC 4180 §2.6–2.7) and ends lines in CRLF', () => {
    const text = [...formatLines([{ op: 'add', kind: 'url', value: 'evil.example/a,"b"', level: 'high_risk', seq: 7 }, { op: 'remove', kind: 'phone', value: '+85291234567', seq: 8 }], 'csv')].join('');
    assert.equal(text, 'op,kind,value,level,seq\r\nadd,url,"evil.example/a,""b""",high_risk,7\r\nremove,phone,+85291234567,,8\r\n');
  });

  it('JSON Lines: one object per line, each ended by \\n, in chunks however many lines there are', () => {
    const many = Array.from({ length: 4500 }, (_, i) => ({ op: 'add' as const, kind: 'phone', value: `+8529${String(i).padStart(7, '0')}`, level: 'high_risk' as const }));
    const chunks = [...formatLines(many, 'jsonl')];
    assert.equal(chunks.length, 3);
    const text = chunks.join('');
    assert.equal(text.split('\n').length, 4501);
    assert.deepEqual(JSON.parse(text.split('\n')[4499] as string), many[4499]);
  });
});
