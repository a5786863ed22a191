// Builds the Chromium extension into a directory Chromium loads (default extensions/chromium/dist): the
// service worker, the options and warning pages bundled with the client SDK, and the static files beside them.
// `node --import tsx scripts/build-extension.ts [OUT_DIR]`, then chrome://extensions → Load unpacked → OUT_DIR.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SOURCE = fileURLToPath(new URL('../extensions/chromium/', import.meta.url));

export async function buildExtension(outDir = `${SOURCE}dist`): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ['background', 'options', 'warning'].map((name) => `${SOURCE}src/${name}.ts`),
    outdir: outDir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome116',
    minify: true,
    logLevel: 'warning',
  });
  cpSync(`${SOURCE}static`, outDir, { recursive: true });
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`extension built in ${await buildExtension(process.argv[2])}`);
}
