#!/usr/bin/env node
// Entry point for `npx scamgraph`: runs the TypeScript sources through tsx, so no build step is needed.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

const command = process.argv[2];
// A one-off check runs a few small queries and exits: V8's optimizing compiler, recompiling the embedded
// database's hottest WebAssembly functions as it starts, cost such a process half a second of CPU and saved
// it nothing. Long-running commands (serve, import) keep the default, where that compilation pays.
if (command === 'check') setFlagsFromString('--wasm-tiering-budget=100000000');

// Every module loaded after tsx's hooks are registered crosses to the hooks' thread and back, which costs a
// package made of many modules dearly (Kysely is 262 of them, libphonenumber-js 93: half a second of a one-off
// `check`). Loaded first, natively, they are already in the module cache when the sources import them.
const needsDatabase = !['normalize', 'extract', 'help', '--help', '-h', undefined].includes(command);
await Promise.all([import('libphonenumber-js/max'), ...(needsDatabase ? [import('kysely'), import('@electric-sql/pglite')] : [])]);

register();
// `scamgraph normalize … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
