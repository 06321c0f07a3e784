// Bundles the UI into dist/ (index.html, app.js, app.css, favicon.svg), which the viewer serves as
// static files. One minified ES module and one stylesheet: no inline script, so the viewer's
// content-security-policy (script-src 'self') holds.
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { app: join(root, 'src/main.tsx') },
  outdir: dist,
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'favicon.svg'])
  copyFileSync(join(root, 'src', file), join(dist, file));
const size = (f) => `${(statSync(join(dist, f)).size / 1024).toFixed(1)} KiB`;
console.log(`ui: dist/app.js ${size('app.js')}, dist/app.css ${size('app.css')}`);
