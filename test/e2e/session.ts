/**
 * The start every hub end-to-end file shares: the built extension (dist/chrome) in Debian's Chromium,
 * the fixture hub routed into its context, and one extension page for typed messages.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { DIST, extensionPage, launchWithExtension } from '../fixture-hub/browser.mjs';
import { installFixtureHub } from '../fixture-hub/hub.mjs';
import type { FixtureHub, FixtureRepo, Launched } from '../fixture-hub/index.d.mts';

/** Where end-to-end tests leave screenshots for a person to look at. */
export const SHOTS = resolve(process.cwd(), 'test-results/screenshots');

export interface Session {
  b: Launched;
  hub: FixtureHub;
  extPage: Page;
}

export async function openSession(repos: FixtureRepo[], opts?: Parameters<typeof installFixtureHub>[2]): Promise<Session> {
  if (!existsSync(resolve(DIST, 'manifest.json'))) throw new Error('dist/chrome is missing: run `node scripts/build.mjs chrome` first');
  mkdirSync(SHOTS, { recursive: true });
  const b = await launchWithExtension();
  const hub = (await installFixtureHub(b.context, repos, opts)) as FixtureHub;
  const extPage = await extensionPage(b.context, b.extensionId);
  return { b, hub, extPage };
}
