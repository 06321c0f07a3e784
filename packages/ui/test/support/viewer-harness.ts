/**
 * A real viewer (receiver + DuckDB store + query API) serving the built UI from packages/ui/dist,
 * loaded with the scenario in two runs, and a headless Debian chromium driven by playwright-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { ingestAfter, ingestBefore, makeScenario, type Scenario } from './scenario.js';
import { startViewer, type ViewerHandle } from './viewer-process.js';

export const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../dist');
export const CHROMIUM = '/usr/bin/chromium';

export interface Harness {
  viewer: ViewerHandle;
  url: string;
  scenario: Scenario;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<{ context: BrowserContext; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-ui-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return { context, dir };
}

export async function startHarness(): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-ui-data-'));
  const scenario = makeScenario();
  const first = await startViewer({
    httpPort: 0,
    grpcPort: false,
    dataDir,
    uiDir: UI_DIR,
    runName: 'before',
  });
  await ingestBefore(first.httpUrl, scenario);
  await first.close();
  const viewer = await startViewer({
    httpPort: 0,
    grpcPort: false,
    dataDir,
    uiDir: UI_DIR,
    runName: 'after',
  });
  await ingestAfter(viewer.httpUrl, scenario);
  const { context, dir } = await launchBrowser();
  return {
    viewer,
    url: viewer.httpUrl,
    scenario,
    context,
    async close() {
      await context.close();
      await viewer.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
