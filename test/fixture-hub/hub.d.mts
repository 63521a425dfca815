import type { BrowserContext } from 'playwright';
import type { FixtureHub, FixtureRepo } from './index.d.mts';
export const HUB: string;
export function installFixtureHub(context: BrowserContext, repos: FixtureRepo[], opts?: { log?: boolean; listingScript?: string }): Promise<FixtureHub>;
export function createHubHandler(repos: FixtureRepo[], opts?: { log?: boolean; onSignIn?: () => Promise<void>; listingScript?: string }): FixtureHub & { handle(route: unknown): Promise<void> };
export function hubFetch(hub: FixtureHub & { handle(route: unknown): Promise<void> }): (input: string, init?: RequestInit) => Promise<Response>;
export const SESSION_COOKIE: { name: string; value: string; domain: string; path: string; secure: boolean; httpOnly: boolean; sameSite: 'Lax' };
