/**
 * Screenshots of the main pages at 1280x800 from the scenario, for docs/viewer-ui.md:
 * `npm run screenshots -w @sightline/ui [-- <dir>]` (default docs/images at the repo root).
 * Also prints how long first load and the 5,000-span trace took in this browser.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHarness } from './viewer-harness.js';

const out = resolve(process.argv[2] ?? join(import.meta.dirname, '../../../../../docs/images'));
mkdirSync(out, { recursive: true });
const h = await startHarness();
const sc = h.scenario;
const page = await h.context.newPage();
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(m.text());
});
const shots: [string, string, string, ((theme: 'dark' | 'light') => Promise<void>)?][] = [
  ['traces', '/traces?range=1h', 'table.results tbody tr'],
  ['trace', `/traces/${sc.checkoutTraceId}?span=${sc.paySpanId}`, '.span-row'],
  ['big-trace', `/traces/${sc.bigTraceId}`, '.span-row'],
  ['services', '/services?service=payments', '.service-map .node'],
  ['metrics', '/metrics?name=http.server.request.duration', '.chart canvas'],
  ['metrics-heatmap', '/metrics?name=http.server.request.duration&view=heatmap', 'canvas.heatmap'],
  ['logs', '/logs', 'table.logs tbody tr'],
  ['memory', '/memory?service=checkout', '.chart canvas'],
  ['runs', '/runs?a=1&b=2&service=payments', 'table.compare tbody tr'],
  ['status', '/status', '.cards'],
];
for (const theme of ['dark', 'light'] as const) {
  await page.goto(`${h.url}/status`);
  await page.evaluate((t) => localStorage.setItem('sightline.theme', t), theme);
  for (const [name, path, selector] of shots) {
    if (theme === 'light' && name !== 'trace') continue;
    await page.goto(`${h.url}${path}`);
    await page.waitForSelector(selector, { timeout: 15_000 });
    await page.waitForTimeout(400);
    const file = join(out, theme === 'dark' ? `${name}.png` : `${name}-light.png`);
    await page.screenshot({ path: file });
    // Smaller committed PNGs when Debian's pngquant is there (optional).
    if (existsSync('/usr/bin/pngquant'))
      spawnSync('/usr/bin/pngquant', [
        '--force',
        '--skip-if-larger',
        '--quality',
        '70-95',
        '--ext',
        '.png',
        file,
      ]);
    console.log(`wrote ${file}`);
  }
}
await page.close();
await h.close();
if (errors.length > 0) {
  console.error(`browser errors:\n${errors.join('\n')}`);
  process.exitCode = 1;
}
