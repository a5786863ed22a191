import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { classifyCommand } from './classify.command.js';
import { UsageError, type CliIO } from './io.js';

function io(stdin = ''): CliIO & { out: () => Record<string, unknown>[] } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const out = () => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stdin: Readable.from([stdin]), stdout, stderr: new PassThrough(), out };
}

const SCAM = '【HSBC】您的帳戶於新裝置登入，請立即登入 https://hsbc-hk-verify.com 核實身份，否則帳戶將被凍結。';
const HAM = '今晚七點喺旺角食飯，唔好遲到呀';

describe('classifyCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-classify-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per message of stdin, skipping blank lines, and exits 0', async () => {
    const fake = io(`${SCAM}\n\n   \r\n${HAM}\r\n`);
    assert.equal(await classifyCommand(['-'], fake, 'HK'), 0);
    const lines = fake.out();
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => Object.keys(l)), [['label', 'score', 'signals'], ['label', 'score', 'signals']]);
    assert.deepEqual(lines.map((l) => l.label), ['scam', 'not_scam']);
    for (const l of lines) assert.ok(typeof l.score === 'number' && l.score >= 0 && l.score <= 1);
    const signals = lines[0]!.signals as { text: string; weight: number }[];
    assert.ok(signals.length > 0 && signals.every((s) => typeof s.text === 'string' && s.weight > 0));
  });

  it('reads a file, stdin by default, and takes --region', async () => {
    const file = join(dir, 'messages.txt');
    writeFileSync(file, `${HAM}\n${SCAM}`);
    const fromFile = io();
    assert.equal(await classifyCommand([file, '--region', 'GB'], fromFile, 'HK'), 0);
    assert.deepEqual(fromFile.out().map((l) => l.label), ['not_scam', 'scam']);
    const fromStdin = io(HAM);
    assert.equal(await classifyCommand([], fromStdin, 'HK'), 0);
    assert.equal(fromStdin.out().length, 1);
  });

  it('prints nothing for empty input', async () => {
    const fake = io('');
    assert.equal(await classifyCommand(['-'], fake, 'HK'), 0);
    assert.deepEqual(fake.out(), []);
  });

  it('refuses two files, an unknown region and a file it cannot read as usage errors', async () => {
    await assert.rejects(classifyCommand(['a', 'b'], io(), 'HK'), (e) => e instanceof UsageError && /one file at a time/.test(e.message));
    await assert.rejects(classifyCommand(['--region', 'XX'], io(), 'HK'), (e) => e instanceof UsageError && /unknown region/.test(e.message));
    await assert.rejects(classifyCommand([join(dir, 'missing.txt')], io(), 'HK'), (e) => e instanceof UsageError && /cannot read .*missing\.txt: ENOENT/.test(e.message));
  });
});
