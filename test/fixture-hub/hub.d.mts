import type { BrowserContext } from 'playwright';
import type { FixtureHub, FixtureRepo } from './index.d.mts';
export const HUB: string;
export function installFixtureHub(context: BrowserContext, repos: FixtureRepo[], opts?: { log?: boolean }): Promise<FixtureHub>;
