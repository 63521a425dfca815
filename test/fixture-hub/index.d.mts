// Types for the plain-JS fixture hub modules (kept as .mjs so the demo and bench run in plain Node).
import type { BrowserContext, Page, Worker } from 'playwright';

export interface FixtureFile { path: string; bytes: Buffer; lfs: boolean; lfsOid?: string }
export interface FixtureRepo { id: string; kind: 'model' | 'dataset'; commits: Map<string, { label: string; files: FixtureFile[] }>; branches: Map<string, string>; defaultBranch?: string }
export type Step =
  | { do: 'visit'; path: string; expect: string[] }
  | { do: 'set-key-policy'; scope: string; pem: string }
  | { do: 'remove-policy'; scope: string }
  | { do: 'accept-signer'; repo: string }
  | { do: 'accept-in-popup'; repo: string }
  | { do: 'sign-in' }
  | { do: 'screenshot'; label: string }
  | { do: 'move-branch'; kind?: 'model' | 'dataset'; repo: string; branch: string; to: string };
export interface Scenario { name: string; steps: Step[] }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TabStateJson = { tabId: number; context?: { url: string; repo: string }; verdict: any; progress?: string; startedAt?: number; elapsedMs?: number };
export interface HubStats { api: number; pages: number; resolve: number; byRepo: Map<string, { api: number; pages: number; resolve: number }>; requests: string[]; listing?: number; resolveRequests: { path: string; range?: string; cookie: boolean }[] }
export interface FixtureHub { stats: HubStats; resetStats(): void; signIn(): Promise<void>; moveBranch(kind: 'model' | 'dataset', id: string, branch: string, label: string): void }
export interface Launched { context: BrowserContext; worker: Worker; extensionId: string }
export interface ScenarioEnv { context: BrowserContext; worker: Worker; extPage: Page; hub: FixtureHub; page?: Page }
export interface ScenarioRun { page: Page; states: TabStateJson[]; marks: { label: string; state?: TabStateJson }[]; final?: TabStateJson }
