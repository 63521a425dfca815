// Looks at the UI inside the built extension (dist/chrome) in Debian's Chromium over the fixture hub,
// and checks what the HTML-level tests cannot: the popup's accept step, keyboard tabs, the import
// error, the warning page's focus and decision. Screenshots go to test-results/ui-live/.
//   node scripts/build.mjs chrome && node test/unit/ui/live-check.mjs
// MODELSEAL_DIST=<dir> checks another build of the extension instead of dist/chrome.
// Exits non-zero on the first failed check. Needs ../shared (the real Sigstore fixture).
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchWithExtension, extensionPage, send, tabStateOf } from '../../fixture-hub/browser.mjs';
import { installFixtureHub } from '../../fixture-hub/hub.mjs';
import { buildScenarios, hasShared } from '../../fixture-hub/scenarios.mjs';
import { runScenario } from '../../fixture-hub/run-scenario.mjs';

if (!hasShared()) {
  console.log('ui live-check: ../shared fixtures not found, nothing to check');
  process.exit(0);
}
const OUT = resolve(process.cwd(), 'test-results/ui-live');
mkdirSync(OUT, { recursive: true });
const shot = (page, name) => page.screenshot({ path: resolve(OUT, `${name}.png`), fullPage: true });
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const { repos, scenarios } = buildScenarios();
const { context, worker, extensionId } = await launchWithExtension(process.env.MODELSEAL_DIST ? { dist: resolve(process.env.MODELSEAL_DIST) } : {});
const hub = await installFixtureHub(context, repos);
const env = { context, worker, extPage: await extensionPage(context, extensionId), hub };
const errors = [];
const watch = (page) => {
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return page;
};
const openPopup = async (tabId, view = '') => {
  const p = watch(await context.newPage());
  await p.setViewportSize({ width: 440, height: 600 });
  await p.goto(`chrome-extension://${extensionId}/popup/index.html?tab=${tabId}${view ? `&view=${view}` : ''}`);
  return p;
};

try {
  // 1. Identity changed → accept through the popup (typed repo name) → verified.
  const idc = scenarios.find((s) => s.name.startsWith('identity changed'));
  const cut = idc.steps.findIndex((s) => s.do === 'screenshot');
  const r = await runScenario(env, { ...idc, steps: idc.steps.slice(0, cut) });
  await shot(r.page, 'identity-changed-page');
  const popup = await openPopup(r.final.tabId);
  await popup.waitForSelector('.ms-accept');
  await shot(popup, 'identity-changed-popup');
  check((await popup.locator('.ms-compare-old').innerText()).includes('Key'), 'old signer shown beside the new one');
  const btn = popup.locator('.ms-accept button[type=submit]');
  const input = popup.locator('.ms-accept input');
  check(await btn.isDisabled(), 'accept disabled before typing');
  await input.fill('ibm-fixture/identity-chang');
  check(await btn.isDisabled(), 'accept disabled for a near-miss repo name');
  await input.fill('ibm-fixture/identity-change');
  check(!(await btn.isDisabled()), 'accept enabled for the exact repo name');
  await btn.click();
  await popup.waitForSelector('.ms-state[data-state="verified"]', { timeout: 30_000 }).catch(() => undefined);
  await shot(popup, 'accepted-popup');
  check((await tabStateOf(worker, r.page))?.verdict.state === 'verified', 'tab verified after the accept step');
  check((await popup.locator('.ms-state').getAttribute('data-state')) === 'verified', 'popup shows verified after the accept step');

  // 2. Keyboard tabs, alerts, trust, settings and a rejected import.
  await popup.locator('[role=tab][aria-selected=true]').focus();
  await popup.keyboard.press('ArrowRight');
  check((await popup.evaluate(() => document.activeElement?.id)) === 'tab-alerts', 'ArrowRight moves to the Alerts tab');
  check((await popup.locator('.ms-alerts li').count()) >= 1, 'alert listed');
  await shot(popup, 'alerts');
  await popup.keyboard.press('End');
  check((await popup.evaluate(() => document.activeElement?.id)) === 'tab-settings', 'End moves to the Settings tab');
  await popup.locator('input[type=file]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
  await popup.waitForSelector('.ms-settings .ms-error', { timeout: 10_000 }).catch(() => undefined);
  const importError = await popup.locator('.ms-settings .ms-error').allTextContents();
  check(importError.some((t) => t.startsWith('Nothing was changed')), `bad import shows its error (${importError.join(' | ')})`);
  await shot(popup, 'settings-bad-import');
  await popup.keyboard.press('Home');
  await popup.close();

  // 3. Download warning: Cancel focused, details expand, the decision reaches the worker.
  const lfs = scenarios.find((s) => s.name.startsWith('LFS file changed'));
  const l = await runScenario(env, lfs);
  // The in-page banner frame followed the tab from checking to the final state.
  const bannerFrame = l.page.frames().find((f) => f.url().includes('/extension/pages/frame.html'));
  check(Boolean(bannerFrame), 'banner frame present in the hub page');
  if (bannerFrame) {
    const ok = await bannerFrame.waitForSelector('.ms-banner[data-state="files-changed"]', { timeout: 10_000 }).then(() => true, () => false);
    check(ok, 'banner frame shows files-changed');
    const box = await bannerFrame.locator('.ms-banner').boundingBox();
    check(box !== null && Math.round(box.height) === 36, `banner is 36 px high (${box?.height})`);
  }
  await shot(l.page, 'files-changed-page');
  const opened = context.waitForEvent('page', { timeout: 15_000 });
  await l.page.locator('a[href*="/resolve/"][href*="signme-1"]').first().click();
  const warn = watch(await opened);
  await warn.waitForSelector('.ms-warning', { timeout: 10_000 });
  check(/warning\.html\?request=/.test(warn.url()), 'warning page opened for the changed file');
  check((await warn.evaluate(() => document.activeElement?.textContent)) === 'Cancel', 'Cancel has focus');
  check((await warn.locator('.ms-kv').first().innerText()).includes('signme-1'), 'warning names the file');
  await warn.getByRole('button', { name: 'Show details' }).click();
  check((await warn.locator('#ms-details tr[data-status="mismatch"]').count()) === 1, 'details show the changed file');
  await shot(warn, 'warning-details');
  await warn.getByRole('button', { name: 'Cancel' }).click();
  await warn.waitForSelector('.ms-ok', { timeout: 10_000 }).catch(() => undefined);
  check((await warn.locator('.ms-ok').allTextContents()).includes('Download cancelled.'), 'cancel acknowledged');

  // 4. Trust tab: a CA policy from .pem files and a key policy from certtool output, through the form.
  const pems = resolve(process.cwd(), '../shared/fixtures/oms-real/keys/certificate');
  const trust = await openPopup(r.final.tabId, 'trust');
  const form = trust.locator('form.ms-form');
  await form.getByLabel('CA certificates', { exact: true }).check();
  await form.getByLabel('Repo or owner/*').fill('corp-fixture/*');
  await form.locator('input[type=file]').setInputFiles([resolve(pems, 'ca-cert.pem'), resolve(pems, 'int-ca-cert.pem')]);
  const preview = await form.locator('.ms-preview li').allInnerTexts().catch(() => []);
  check(preview.join(' | ') === 'CN=root-ca | CN=intermediate-ca', `picked CA files previewed by subject (${preview.join(' | ')})`);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  const caItem = trust.locator('li[data-kind="certificate"]').filter({ hasText: 'corp-fixture/*' });
  check(await caItem.waitFor({ timeout: 10_000 }).then(() => true, () => false), 'CA policy listed after Add');
  await form.getByLabel('Public key', { exact: true }).check();
  await form.getByLabel('Repo or owner/*').fill('corp-fixture/keyed');
  await form.getByLabel('Public key (PEM)').fill(readFileSync(resolve(pems, 'ca-cert.pem'), 'utf8'));
  const pasteError = await form.getByRole('alert').allTextContents();
  check(pasteError.some((t) => t.startsWith('This is a certificate, not a public key.')), `a certificate pasted as a key is refused (${pasteError.join(' | ')})`);
  check(await form.getByRole('button', { name: 'Add', exact: true }).isDisabled(), 'Add disabled while the paste is wrong');
  await form.getByLabel('Public key (PEM)').fill(readFileSync(resolve(pems, 'signing-key-pub.pem'), 'utf8'));
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  const keyItem = trust.locator('li[data-kind="key"]').filter({ hasText: 'corp-fixture/keyed' });
  check(await keyItem.waitFor({ timeout: 10_000 }).then(() => true, () => false), 'key policy listed after Add');
  const stored = (await send(env.extPage, { type: 'trust/snapshot' }))?.value?.expected ?? [];
  const ca = stored.find((e) => e.scope === 'corp-fixture/*');
  check(ca?.kind === 'certificate' && ca.caPems.length === 2 && ca.caPems.every((p) => p.startsWith('-----BEGIN CERTIFICATE-----')), 'worker stored both CA certificates');
  check(stored.some((e) => e.scope === 'corp-fixture/keyed' && e.kind === 'key' && /^[0-9a-f]{64}$/.test(e.keyFingerprint)), 'worker stored the key by fingerprint');
  // A refusal from the worker reaches the form: answer the next policy request as the worker would refuse it.
  await trust.evaluate(() => {
    const real = chrome.runtime.sendMessage.bind(chrome.runtime);
    chrome.runtime.sendMessage = (m, ...rest) => {
      if (m?.type !== 'trust/set-expected-ca') return real(m, ...rest);
      const reply = { ok: false, error: { code: 'STORE_INVALID', message: 'too many policies' } };
      const callback = rest.find((x) => typeof x === 'function'); // the polyfill passes one
      if (callback) setTimeout(() => callback(reply));
      return Promise.resolve(reply);
    };
  });
  await form.getByLabel('CA certificates', { exact: true }).check();
  await form.getByLabel('Repo or owner/*').fill('corp-fixture/other');
  await form.getByLabel(/^CA certificates \(PEM/).fill(readFileSync(resolve(pems, 'ca-cert.pem'), 'utf8'));
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  const refused = await form.locator('[role=alert][data-problem="worker"]').waitFor({ timeout: 5_000 }).then(() => form.locator('[role=alert][data-problem="worker"]').innerText(), () => '');
  check(refused === 'too many policies', `the worker's refusal is shown in the form (${refused})`);
  await shot(trust, 'trust-policies');
  await trust.close();
} finally {
  check(errors.length === 0, `no page errors (${errors.join(' | ')})`);
  await context.close();
}
console.log(failures.length ? `ui live-check: ${failures.length} failed` : 'ui live-check: all ok');
process.exit(failures.length ? 1 : 0);
