#!/usr/bin/env node
// `npm run demo`: builds (via npm), starts the fixture hub, launches Chromium with the extension
// (headless by default, `--headed` for a desktop), visits every scenario, prints repo → state and
// writes one screenshot per state (the hub page with its banner, and the popup) to demo-output/.
// Runs without ../shared too: then the scenarios that need its real Sigstore signatures are skipped.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchWithExtension, extensionPage } from '../fixture-hub/browser.mjs';
import { installFixtureHub } from '../fixture-hub/hub.mjs';
import { buildScenarios, hasShared } from '../fixture-hub/scenarios.mjs';
import { runScenario } from '../fixture-hub/run-scenario.mjs';

const headed = process.argv.includes('--headed');
const OUT = resolve(process.cwd(), 'demo-output');

mkdirSync(OUT, { recursive: true });

// Without ../shared (a fresh clone) every scenario is signed by the fixture factory's key instead,
// except those only the real Sigstore signatures can show: they are listed as skipped.
const { repos, scenarios, skipped } = buildScenarios({ shared: hasShared() });
const { context, worker, extensionId } = await launchWithExtension({ headless: !headed });
const hub = await installFixtureHub(context, repos);
const extPage = await extensionPage(context, extensionId);
const shot = new Set();
const rows = [];

async function screenshot(state, page) {
  const s = state?.verdict?.state;
  if (!s || shot.has(s)) return;
  shot.add(s);
  await page.waitForTimeout(400); // let the banner frame paint
  await page.screenshot({ path: resolve(OUT, `${s}.png`) });
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(`chrome-extension://${extensionId}/popup/index.html?tab=${state.tabId}`);
  await popup.waitForTimeout(600);
  await popup.screenshot({ path: resolve(OUT, `${s}-popup.png`) });
  await popup.close();
}

let failed = 0;
for (const sc of scenarios) {
  try {
    const r = await runScenario({ context, worker, extPage, hub }, sc, { onVisit: ({ page, state }) => screenshot(state, page) });
    for (const s of r.states) {
      const v = s.verdict;
      rows.push({ scenario: sc.name, repo: v.subject?.repo ?? s.context?.repo ?? '?', revision: v.subject?.revision ?? '', state: v.state, reason: v.failure?.reason ?? signerText(v), ms: s.elapsedMs });
    }
    await screenshot(r.final, r.page);
    if (!headed) await r.page.close();
  } catch (e) {
    failed++;
    rows.push({ scenario: sc.name, repo: '-', revision: '', state: 'DEMO FAILED', reason: String(e.message ?? e).slice(0, 120), ms: 0 });
  }
}

for (const sk of skipped) rows.push({ scenario: sk.name, repo: '-', revision: '', state: 'skipped', reason: `needs ../shared: ${sk.why}`, ms: 0 });

function signerText(v) {
  const s = v.signature?.signer;
  if (!s) return '';
  return s.kind === 'key' ? `key ${s.keyFingerprint.slice(0, 16)}…` : `${s.identity} (${s.issuer})`;
}

const cols = ['scenario', 'repo', 'revision', 'state', 'ms', 'reason'];
const width = Object.fromEntries(cols.map((c) => [c, Math.min(60, Math.max(c.length, ...rows.map((r) => String(r[c]).length)))]));
const line = (r) => cols.map((c) => String(r[c]).slice(0, 60).padEnd(width[c])).join('  ');
console.log(line(Object.fromEntries(cols.map((c) => [c, c]))));
console.log(cols.map((c) => '-'.repeat(width[c])).join('  '));
for (const r of rows) console.log(line(r));
if (skipped.length) {
  console.log(`\nskipped ${skipped.length} scenario(s) (${skipped.map((sk) => sk.name).join('; ')}): they need the real Sigstore-signed fixtures in ../shared/fixtures/oms-real (the extension trusts only the production Sigstore root), so the other scenarios ran with key-signed factory repos`);
}
console.log(`\nscreenshots (${shot.size} states): ${OUT}`);
if (headed) {
  console.log('headed: the browser stays open; press Ctrl+C to quit');
} else {
  await context.close();
}
process.exitCode = failed ? 1 : 0;
