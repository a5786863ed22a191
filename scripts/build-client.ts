// Builds packages/client/dist/index.js: the SDK and the server's own normalization, canonicalization, Rice and
// filter code it imports, bundled as one ES module for browsers, Node and React Native (no Node API in it).
import { build } from 'esbuild';

const result = await build({
  entryPoints: [new URL('../packages/client/src/index.ts', import.meta.url).pathname],
  outfile: new URL('../packages/client/dist/index.js', import.meta.url).pathname,
  bundle: true,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + (o.entryPoint !== undefined ? o.bytes : 0), 0);
console.log(`packages/client/dist/index.js: ${(bytes / 1024).toFixed(0)} KiB`);
