// Launches Debian's Chromium with the built extension (no network, no browser download) and gives
// helpers to read the worker's per-tab state, shared by the e2e tests, the demo and the bench.
import { chromium } from 'playwright';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const DIST = resolve(process.cwd(), 'dist/chrome');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TUF_HOST = 'https://tuf-repo-cdn.sigstore.dev';
/** The transparency logs online consistency checks ask (the production trusted root's). */
export const LOG_HOSTS = ['https://rekor.sigstore.dev', 'https://log2025-1.rekor.sigstore.dev'];

export async function launchWithExtension({ headless = true, dist = DIST, extraArgs = [] } = {}) {
  if (!existsSync(resolve(dist, 'manifest.json'))) throw new Error(`no built extension at ${dist}: run node scripts/build.mjs chrome`);
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless,
    acceptDownloads: true,
    viewport: { width: 1100, height: 800 },
    args: [
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
  // The worker keeps its Sigstore trust root current from Sigstore's TUF host: tests never reach
  // the internet, so that host fails at once (the built-in root stays in force) unless a test
  // routes its own repository there.
  await context.route(`${TUF_HOST}/**`, (route) => route.abort('connectionrefused'));
  // Likewise the log hosts: a test that checks consistency routes its own local log answers there.
  for (const host of LOG_HOSTS) await context.route(`${host}/**`, (route) => route.abort('connectionrefused'));
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent('serviceworker', { timeout: 30_000 });
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId };
}

/** The worker's TabState for the tab showing `page` (matched by URL), or undefined. */
export async function tabStateOf(worker, page) {
  const url = page.url();
  return worker.evaluate((u) => {
    const all = globalThis.modelsealSelfTest?.allTabStates() ?? [];
    return all.find((s) => s.context?.url === u.split('#')[0]);
  }, url);
}

/** Waits until the tab's verdict is final (not `checking`) and returns the TabState. */
export async function waitForFinalState(worker, page, { timeoutMs = 60_000, since = 0 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await tabStateOf(worker, page);
    if (s && s.verdict.state !== 'checking' && (s.startedAt ?? 0) >= since) return s;
    if (Date.now() > deadline) throw new Error(`no final state for ${page.url()} (last: ${s ? s.verdict.state : 'none'})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends a worker message as an extension page would (the popup), via an extension page. */
export async function extensionPage(context, extensionId) {
  const page = await context.newPage();
  // Any extension-origin URL gives us runtime.sendMessage with an extension-page sender.
  await page.goto(`chrome-extension://${extensionId}/manifest.json`);
  return page;
}

export async function send(extPage, msg) {
  return extPage.evaluate((m) => chrome.runtime.sendMessage(m), msg);
}
