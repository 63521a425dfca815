import type { BrowserContext, Page, Worker } from 'playwright';
import type { Launched, TabStateJson } from './index.d.mts';
export const DIST: string;
export const CHROMIUM: string;
export function launchWithExtension(opts?: { headless?: boolean; dist?: string; extraArgs?: string[] }): Promise<Launched>;
export function tabStateOf(worker: Worker, page: Page): Promise<TabStateJson | undefined>;
export function waitForFinalState(worker: Worker, page: Page, opts?: { timeoutMs?: number; since?: number }): Promise<TabStateJson>;
export function extensionPage(context: BrowserContext, extensionId: string): Promise<Page>;
export function send(extPage: Page, msg: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
