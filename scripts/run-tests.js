#!/usr/bin/env node
// `npm test`: type check (server and web app), then every *.test.ts under src/ and test/ with node's test runner (TAP, which CI
// reads). Files are listed explicitly because Node 20's bare --test finds no .ts files and passes with 0 tests;
// for the same reason a run in which no test passed is a failure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : [...testFiles('src'), ...testFiles('test'), ...testFiles('packages'), ...testFiles('extensions')];
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

if (only.length === 0) {
  // The server, the web app, the client SDK and the extension are type checked each with its own configuration (Node vs browser).
  for (const project of ['tsconfig.json', 'web/tsconfig.json', 'packages/client/tsconfig.json', 'extensions/chromium/tsconfig.json']) {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.error(`run-tests: type check failed (${project})`);
      process.exit(1);
    }
  }
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4096);
});
child.on('close', (code) => {
  const passed = Number(/^# pass (\d+)/m.exec(tail)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)/m.exec(tail)?.[1] ?? 0);
  if (passed === 0) {
    console.error('run-tests: no test passed; a run that tests nothing is a failure');
    process.exit(1);
  }
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
