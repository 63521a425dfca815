/**
 * The trust root kept through TUF, end to end in the built dist/chrome: the extension ships the real
 * TUF seed, which no test repository can chain from, so the self-test points the worker's trust root
 * at a local test repository (served through context.route on the TUF host) and seed. Its target
 * trusts the fixture factory's test Sigstore instance, so:
 * - before the update (built-in root) a repo signed by that instance does not verify; after it, it does;
 * - with the metadata expired and the repository unreachable, the verdict is "could not verify"
 *   with TRUST_ROOT_EXPIRED and its reason, and settings show the expired root, its version and dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import { launchWithExtension, waitForFinalState, TUF_HOST } from '../fixture-hub/browser.mjs';
import { installFixtureHub, HUB } from '../fixture-hub/hub.mjs';
import { file, repo } from '../fixture-hub/repo.mjs';
import type { Launched } from '../fixture-hub/index.d.mts';
import { sigstoreTuf, sigstoreSignedModel, TUF_TEST_IDENTITY } from '../factory/tuf-sigstore.js';

const TEST_REPO = `${TUF_HOST}/modelseal-test`;
const REPO = 'tuf-fixture/sigstore-signed';

describe('trust root through TUF (dist/chrome)', () => {
  let b: Launched;
  const { sigstore, tuf, seedRoot } = sigstoreTuf(new Date());
  const signed = sigstoreSignedModel(sigstore, 'e2e-model');
  let reachable = true;
  const asked: string[] = [];

  const useRepository = (offsetMs: number) =>
    b.worker.evaluate(
      ([base, seed, offset]) => (globalThis as unknown as { modelsealSelfTest: { useTufRepository(b: string, s: string, o: number): Promise<unknown> } }).modelsealSelfTest.useTufRepository(base, seed, offset),
      [TEST_REPO, new TextDecoder().decode(seedRoot), offsetMs] as const,
    ) as Promise<Record<string, unknown>>;

  async function visit(): Promise<{ page: Page; state: Awaited<ReturnType<typeof waitForFinalState>> }> {
    const page = await b.context.newPage();
    const since = Date.now();
    await page.goto(`${HUB}/${REPO}`);
    const state = await waitForFinalState(b.worker, page, { since: since - 1000 });
    return { page, state };
  }

  beforeAll(async () => {
    b = await launchWithExtension();
    await installFixtureHub(b.context, [repo({ id: REPO, commits: { v1: [file('model.sig', signed.signature), ...Object.entries(signed.files).map(([p, bytes]) => file(p, bytes))] } })]);
    // Routed after the shared setup's refusal of the TUF host, so this one answers first.
    await b.context.route(`${TEST_REPO}/**`, (route) => {
      const name = new URL(route.request().url()).pathname.replace('/modelseal-test/', '');
      asked.push(name);
      if (!reachable) return route.abort('connectionrefused');
      const body = tuf.files.get(name);
      return body ? route.fulfill({ status: 200, body: Buffer.from(body), contentType: 'application/json' }) : route.fulfill({ status: 404, body: 'not found' });
    });
  });

  afterAll(async () => {
    await b?.context.close();
  });

  it('the built-in root does not know the test Sigstore; an update to a root that does makes its signature verify', async () => {
    const before = await visit();
    expect(before.state.verdict.state).not.toMatch(/^verified/);
    await before.page.close();

    const status = await useRepository(0);
    expect(status).toMatchObject({ source: 'updated', rootVersion: 1, host: 'tuf-repo-cdn.sigstore.dev', online: true });
    expect(asked).toContain('timestamp.json');

    const after = await visit();
    expect(after.state.verdict).toMatchObject({ state: 'verified-first-use', signature: { signer: { identity: TUF_TEST_IDENTITY } } });
    await after.page.close();
  });

  it('expired metadata with the repository unreachable: "could not verify" with TRUST_ROOT_EXPIRED, and settings say so', async () => {
    reachable = false;
    // The worker's trust root judged 30 days on: the 7-day timestamp has expired; the update fails.
    const status = await useRepository(30 * 86_400_000);
    expect(status).toMatchObject({ source: 'expired', rootVersion: 1, lastError: { code: 'NETWORK_ERROR' } });

    const v = await visit();
    expect(v.state.verdict.state).toBe('unverifiable');
    expect(v.state.verdict).toMatchObject({ failure: { code: 'TRUST_ROOT_EXPIRED' } });
    expect((v.state.verdict as { failure: { reason: string } }).failure.reason).toContain('could not renew it');

    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.extensionId}/popup/index.html?view=settings`);
    const settings = popup.locator('[data-trust-root]');
    await settings.waitFor({ timeout: 15_000 });
    const text = await settings.innerText();
    expect(text).toContain('Expired: the updated trust root (root version 1)');
    expect(text).toMatch(/TUF root version\s+1/);
    expect(text).toMatch(/Last update\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(text).toMatch(/Valid until\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(text).toContain('tuf-repo-cdn.sigstore.dev');
    expect(text).toContain('Last update failed');
    expect(await popup.locator('[data-trust-root-online]').isChecked()).toBe(true);
    await popup.screenshot({ path: 'test-results/screenshots/trust-root-expired.png' }).catch(() => undefined);
    await popup.close();
    await v.page.close();
  });
});
